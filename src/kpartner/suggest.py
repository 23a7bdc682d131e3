"""'Did you mean': close spellings of an unknown name, from an index built once.

Every unknown id, field, sector, city or enum value is answered the same way. The choices
are folded once when the index is built, and each answer is kept, so a file with ten
thousand broken references costs ten thousand look-ups in one index, not ten thousand
passes that fold every known id again.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Suggester:
    """Close spellings among fixed ``choices``, best first, ties in choice order.

    A choice within a few edits (a transposition is one) comes first; then choices that
    contain the word, so ``alpha`` finds ``alpha-city``.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = list(dict.fromkeys(choices))
        self.folded = [choice.casefold() for choice in self.choices]
        # All folded choices in one string: a substring is found by str.find, in C.
        self._blob = "\n".join(self.folded)
        self._starts: list[int] = []
        offset = 0
        for folded in self.folded:
            self._starts.append(offset)
            offset += len(folded) + 1
        self._memo: dict[tuple[str, int], list[str]] = {}

    def __call__(self, word: str, limit: int = 3) -> list[str]:
        key = (word, limit)
        if key not in self._memo:
            self._memo[key] = self._suggest(word, limit)
        return self._memo[key]

    def _suggest(self, word: str, limit: int) -> list[str]:
        # rapidfuzz loads on the first suggestion: a run that suggests nothing never pays for it.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        folded = word.casefold()
        cutoff = max(1, len(word) // 3)
        found = process.extract(
            folded, self.folded, scorer=OSA.distance, score_cutoff=cutoff, limit=limit
        )
        close = [self.choices[index] for _choice, _distance, index in found]
        if len(word) >= 3 and "\n" not in folded:
            close += self._containing(folded, limit + len(close), set(close))
        return close[:limit]

    def _containing(self, folded: str, limit: int, skip: set[str]) -> list[str]:
        found: list[str] = []
        position = self._blob.find(folded)
        while position != -1 and len(found) < limit:
            index = bisect.bisect_right(self._starts, position) - 1
            choice = self.choices[index]
            if choice not in skip and choice not in found:
                found.append(choice)
            # on to the next choice: past the end of this one
            position = self._blob.find(folded, self._starts[index] + len(self.folded[index]) + 1)
        return found


def suggest(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Close spellings of ``word`` among ``choices`` (for one look-up; build a
    :class:`Suggester` for many)."""
    return Suggester(choices)(word, limit)


def did_you_mean(options: list[str]) -> str:
    """``"; did you mean 'a' or 'b'?"``, or nothing: the one wording of every suggestion."""
    if not options:
        return ""
    return "; did you mean " + " or ".join(f"'{option}'" for option in options) + "?"
