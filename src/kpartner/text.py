"""Text normalisation shared by the taxonomy checks and the query resolver."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_./·・()\[\]{}'\"\u2019`,:;!?+&]+")


def fold(text: str) -> str:
    """Case, width and spacing folded: ``"5 G"``, ``"5-G"`` and ``"5g"`` are one term.

    NFKC turns full-width forms (U+FF15 for "5") into ASCII; separators are dropped so
    that spacing and punctuation inside a term do not matter.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("", folded)
