"""Text helpers shared across modules: folding terms, names, what a terminal may show."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_SEPARATORS = re.compile(r"[\s\-_./·・()\[\]{}'\"\u2019`,:;!?+&]+")


def fold(text: str) -> str:
    """Case, width and spacing folded: ``"5 G"``, ``"5-G"`` and ``"5g"`` are one term.

    NFKC turns full-width forms (U+FF15 for "5") into ASCII; separators are dropped so
    that spacing and punctuation inside a term do not matter.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("", folded)


def join_names(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' (each name once)."""
    items = list(dict.fromkeys(items))
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def some(names: Sequence[str], shown: int = 3, sep: str = ", ") -> str:
    """'A, B, C and 2 more': the first few of a list of names, and how many others."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return sep.join(names[:shown]) + more


def both_names(name: str, name_ko: str | None) -> str:
    """'LG U+ (LG유플러스)'; a Korean name equal to the English one is not repeated."""
    return f"{name} ({name_ko})" if name_ko and name_ko != name else name


# What must not reach a terminal raw: C0 controls but tab and newline (ESC starts
# cursor moves, title changes, screen clears), DEL, C1 controls (CSI among them), the
# bidirectional overrides and isolates that reorder what a reader sees ("Trojan
# Source"), and lone surrogates (from undecodable arguments), which no encoder takes.
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)
_SGR = re.compile("\x1b\\[[0-9;]*m")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``).

    Tabs, newlines and CR LF line ends (CSV has them) stay: they are layout, not commands.
    """
    return CONTROL.sub(_escaped, text)


def escape_for_terminal(text: str, keep_colours: bool = False) -> str:
    """Like :func:`escape_controls`, keeping the colour codes our own renderer wrote."""
    if not keep_colours:
        return escape_controls(text)
    parts = []
    last = 0
    for match in _SGR.finditer(text):
        parts += [escape_controls(text[last : match.start()]), match.group()]
        last = match.end()
    parts.append(escape_controls(text[last:]))
    return "".join(parts)


def shorten(text: str, limit: int = 200) -> str:
    """At most ``limit`` characters of ``text``, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"
