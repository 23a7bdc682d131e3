from kpartner.cli import main

main()
