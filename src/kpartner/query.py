"""Resolve what a founder typed to sectors of the taxonomy.

Each term is tried, in order: an exact hit on a sector's id, label or synonym (English or
Korean; case, width, spacing, punctuation and English plurals ignored), then a fuzzy
match — but only where a fuzzy match is safe:

* short terms ("AI", "5G", "IoT") match exactly or not at all, so "ai" never becomes
  "rail" and "5g" never "4G LTE";
* the scorer is plain edit similarity (``fuzz.ratio``), never a token-set or partial
  scorer that gives 100 when one string's words are a subset of the other's;
* Hangul is compared on its jamo (NFD splits each syllable), so "드롬" is one letter
  away from "드론" rather than one whole syllable.

Every term comes back resolved (to which sector, how, with what score) or unresolved
with up to three suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from kpartner.catalog import Catalog
from kpartner.enums import SectorKind
from kpartner.text import fold

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Sector

FUZZY_MIN_LENGTH = 5  # in letters (jamo for Hangul): shorter terms must match exactly
FUZZY_CUTOFF = 80.0  # fuzz.ratio, 0-100
SUGGEST_CUTOFF = 60.0
DESCRIBE_FUZZY_MIN_LENGTH = 6
DESCRIBE_FUZZY_CUTOFF = 88.0
WORD_SCORE = 90.0
# Words too common in sector names to stand for one sector on their own, and never
# corrected as typos: "cities" is not a misspelt "city OS", "data" not "drt".
GENERIC_WORDS = frozenset(
    {"smart", "management", "service", "system", "technology", "platform", "city", "urban"}
    | {"network", "mobile", "digital", "public", "solution", "and", "for", "of", "the"}
    | {"data", "cities", "startup", "company", "product", "app", "application", "software"}
    | {"service", "services", "systems", "solutions", "platforms", "networks", "infrastructure"}
    | {"based", "using", "measure", "measures", "quality", "help", "helps", "people", "with"}
    | {"서비스", "스마트", "시스템", "플랫폼", "도시", "기술", "관리", "솔루션", "데이터", "사업"}
    | {"startup", "startups", "town", "towns", "new", "jobs", "job", "business", "businesses"}
    | {"autonomous", "automated", "intelligent"}  # an autonomous drone is no self-driving car
    | {"스타트업", "기업", "회사"}
)

_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


class How(StrEnum):
    EXACT = "exact"  # the sector's id or label
    SYNONYM = "synonym"  # one of its synonyms, English or Korean
    WORD = "word"  # one whole word of exactly one sector's name ("water")
    PARTIAL = "partial"  # found inside a longer term ("IoT" in "IoT gateways")
    FUZZY = "fuzzy"  # a close spelling


@dataclass(frozen=True, slots=True)
class ResolvedTerm:
    input: str
    sector: str
    how: How
    score: float  # 100 for exact and synonym hits
    matched: str  # the taxonomy word it matched


@dataclass(frozen=True, slots=True)
class UnresolvedTerm:
    input: str
    suggestions: tuple[str, ...]
    ambiguous: bool = False  # a word of several sectors' names ("vehicles")


@dataclass(frozen=True)
class Query:
    terms: tuple[ResolvedTerm, ...]
    unresolved: tuple[UnresolvedTerm, ...]
    typed: int | None = None  # how many of the terms were typed (the rest: from a description)

    @cached_property
    def sectors(self) -> list[str]:
        """The distinct sectors asked for, in the order first asked."""
        return list(dict.fromkeys(term.sector for term in self.terms))

    @cached_property
    def core(self) -> list[str]:
        """The sectors of the typed terms — what the startup says it does — or, with only a
        description, every sector asked for."""
        typed = self.terms[: self.typed] if self.typed else self.terms
        return list(dict.fromkeys(term.sector for term in typed))

    def inputs_for(self, sector: str) -> list[str]:
        """The user's own words for a sector; a typo read by fuzzy matching as the word it
        matched ('autonomus vehicles' reads 'autonomous vehicles')."""
        return list(dict.fromkeys(_own_word(term) for term in self.terms if term.sector == sector))


def _own_word(term: ResolvedTerm) -> str:
    if term.how is not How.FUZZY:
        return term.input
    # The word it matched, written as words where it is the sector's id.
    return term.matched.replace("-", " ") if term.matched == term.sector else term.matched


def singular(key: str) -> str:
    """English plural → singular on a folded key: drones → drone, batteries → battery."""
    if not key.isascii() or len(key) <= 3:
        return key
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith(("sses", "xes", "ches", "shes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith(("ss", "us", "is")):
        return key[:-1]
    return key


def _key(text: str) -> str:
    return singular(fold(text))


def _letters(key: str) -> str:
    """Decompose Hangul syllables into jamo so edit distance counts letters."""
    return unicodedata.normalize("NFD", key)


@dataclass(frozen=True, slots=True)
class _Entry:
    sector: str
    how: How
    word: str


class TermIndex:
    """Every way of naming a sector, folded, for exact, fuzzy and in-sentence lookups."""

    def __init__(self, catalog: Catalog) -> None:
        self.sectors = catalog.sectors
        self.exact: dict[str, _Entry] = {}
        for sector in catalog.sectors.values():
            for word, how in _names(sector):
                for key in dict.fromkeys((fold(word), _key(word))):
                    self.exact.setdefault(key, _Entry(sector.id, how, word))
        self.words: dict[str, dict[str, str]] = {}  # word → {sector id: the name it is in}
        # Words of labels only, for sentences: a synonym's word ("plant" in "virtual power
        # plant", "road" in "road safety") says too little inside a founder's prose.
        self.label_words: dict[str, dict[str, str]] = {}
        for sector in catalog.sectors.values():
            for name, how in _names(sector):
                tokens = _tokens(name)
                if len(tokens) < 2 or name == sector.id:
                    continue
                for token in tokens:
                    if _is_telling_word(token):
                        self.words.setdefault(singular(token), {}).setdefault(sector.id, name)
                        if how is How.EXACT:
                            owners = self.label_words.setdefault(singular(token), {})
                            owners.setdefault(sector.id, name)
        keys = list(self.exact)
        self._fuzzy_keys = [k for k in keys if len(_letters(k)) >= FUZZY_MIN_LENGTH - 1]
        self._fuzzy_letters = [_letters(k) for k in self._fuzzy_keys]
        phrases = sorted(
            {
                (tuple(_tokens(word)), entry.sector, entry.how, word)
                for word, entry in self._words()
                if _tokens(word)
            },
            key=_phrase_order,
        )
        # Phrases filed under their first word, so a long text tries only a few at each word.
        self._phrases_by_first: dict[str, list[_Phrase]] = {}
        for phrase in phrases:
            self._phrases_by_first.setdefault(_phrase_key(phrase[0][0]), []).append(phrase)

    def _words(self) -> list[tuple[str, _Entry]]:
        return [
            (word, _Entry(sector.id, how, word))
            for sector in self.sectors.values()
            for word, how in _names(sector)
        ]

    def resolve(self, term: str) -> ResolvedTerm | UnresolvedTerm:
        key = _key(term)
        entry = self.exact.get(key) or self.exact.get(fold(term))
        if entry is not None:
            return ResolvedTerm(term, entry.sector, entry.how, 100.0, entry.word)
        if _HANGUL.match(term) and " " not in term.strip():
            # '드론을', '배송하는': a Korean word with its particle or ending.
            for stem in _hangul_stems(fold(term)):
                entry = self.exact.get(stem)
                if entry is not None:
                    return ResolvedTerm(term, entry.sector, How.SYNONYM, 100.0, entry.word)
        tokens = _tokens(term)
        if len(tokens) == 1 and singular(tokens[0]) in self.words:
            owners = self.words[singular(tokens[0])]
            if len(owners) == 1:
                [(sector_id, name)] = owners.items()
                return ResolvedTerm(term, sector_id, How.WORD, WORD_SCORE, name)
            return UnresolvedTerm(term, tuple(owners.values())[:3], ambiguous=True)
        generic = all(t in GENERIC_WORDS or singular(t) in GENERIC_WORDS for t in tokens)
        fuzzy = [] if generic else self._closest(term, FUZZY_CUTOFF, limit=1)
        if fuzzy and len(_letters(key)) >= FUZZY_MIN_LENGTH:
            entry, score = fuzzy[0]
            return ResolvedTerm(term, entry.sector, How.FUZZY, round(score, 1), entry.word)
        return UnresolvedTerm(
            term, tuple(entry.word for entry, _ in self._closest(term, SUGGEST_CUTOFF))
        )

    def _closest(self, term: str, cutoff: float, limit: int = 3) -> list[tuple[_Entry, float]]:
        """The best-scoring taxonomy names for ``term``, one per sector, best first.

        Both the singular and the written form are compared, so a typo in a plural
        ("dornes") is not penalised twice.
        """
        # rapidfuzz loads on the first term that is not an exact hit (a typo, a suggestion):
        # a run whose terms are all known never pays for it.
        from rapidfuzz import fuzz, process

        best: dict[str, tuple[_Entry, float, int]] = {}
        for form in dict.fromkeys((_key(term), fold(term))):
            hits = process.extract(
                _letters(form),
                self._fuzzy_letters,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                limit=None,
            )
            for _, score, index in hits:
                entry = self.exact[self._fuzzy_keys[index]]
                known = best.get(entry.sector)
                if known is None or (score, -index) > (known[1], -known[2]):
                    best[entry.sector] = (entry, score, index)
        ranked = sorted(best.values(), key=lambda hit: (-hit[1], hit[2]))
        return [(entry, score) for entry, score, _ in ranked[:limit]]

    def extract(self, text: str) -> list[ResolvedTerm]:
        """The taxonomy terms a sentence mentions, longest phrases first, in sentence order."""
        tokens = _tokens(text)
        found: list[ResolvedTerm] = []
        position = 0
        while position < len(tokens):
            hit = self._phrase_at(tokens, position)
            if hit is not None:
                length, resolved = hit
                found += [resolved, *self.inner_terms(resolved)]
                position += length
                continue
            word = self._telling_word(tokens[position]) or self._fuzzy_word(tokens[position])
            if word is not None:
                found.append(word)
            position += 1
        # A sector named twice ("AI traffic signals") is reported once, as first named.
        first: dict[str, ResolvedTerm] = {}
        for term in found:
            first.setdefault(term.sector, term)
        return list(first.values())

    def _telling_word(self, token: str) -> ResolvedTerm | None:
        """A word of exactly one sector's label ("water" in a sentence); a Hangul word may
        carry a particle or ending ("배송하는")."""
        owners = self.label_words.get(singular(token), {})
        said = token
        if not owners and _HANGUL.match(token) and len(self.words) > 0:
            # The word is echoed as the founder would write it alone: '수질', not '수질을'.
            said, owners = next(
                (
                    (word, self.label_words[word])
                    for word in _hangul_stems(token)
                    if word in self.label_words
                ),
                (token, {}),
            )
        if len(owners) != 1 or self.words.get(singular(token), owners) != owners:
            return None
        [(sector_id, name)] = owners.items()
        return ResolvedTerm(said, sector_id, How.WORD, WORD_SCORE, name)

    def _phrase_at(self, tokens: list[str], position: int) -> tuple[int, ResolvedTerm] | None:
        token = tokens[position]
        candidates = self._phrases_by_first.get(singular(token), [])
        if _HANGUL.match(token):
            candidates = candidates + self._phrases_by_first.get(token[:2], [])
        for phrase, sector, how, word in sorted(candidates, key=_phrase_order):
            end = position + len(phrase)
            if end <= len(tokens) and all(
                _token_matches(tokens[position + i], part) for i, part in enumerate(phrase)
            ):
                # Echoed as written, less a Korean particle: '수질', not '수질을'.
                written = " ".join(
                    part
                    if _HANGUL.match(part) and tokens[position + i].startswith(part)
                    else tokens[position + i]
                    for i, part in enumerate(phrase)
                )
                return len(phrase), ResolvedTerm(written, sector, how, 100.0, word)
        return None

    def inner_terms(self, hit: ResolvedTerm) -> list[ResolvedTerm]:
        """Single words inside a matched phrase that name another sector on their own.

        "AI traffic" is a synonym of traffic management, and its "AI" is a technology the
        founder offers: both count.
        """
        inner = []
        for token in _tokens(hit.input):
            entry = self.exact.get(singular(token))
            # Only a technology counts on its own: "energy storage" offers no "energy" domain.
            if (
                entry is not None
                and entry.sector != hit.sector
                and self.sectors[entry.sector].kind is SectorKind.TECHNOLOGY
            ):
                inner.append(ResolvedTerm(token, entry.sector, entry.how, 100.0, entry.word))
        return inner if len(_tokens(hit.input)) > 1 else []

    def _fuzzy_word(self, token: str) -> ResolvedTerm | None:
        if len(token) < DESCRIBE_FUZZY_MIN_LENGTH or not token.isascii() or not token.isalpha():
            return None
        if token in GENERIC_WORDS or singular(token) in GENERIC_WORDS:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(
            singular(token), self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=DESCRIBE_FUZZY_CUTOFF
        )
        if best is None:
            return None
        key, score, _ = best
        entry = self.exact[key]
        return ResolvedTerm(token, entry.sector, How.FUZZY, round(score, 1), entry.word)


_Phrase = tuple[tuple[str, ...], str, How, str]  # (words, sector id, how, the name)


def _phrase_order(phrase: _Phrase) -> tuple[int, tuple[str, ...], str, int, str]:
    """Longest first, then by words and sector; an exact name before a synonym, then by the
    name itself: a total order, so a run never depends on how a set was hashed."""
    words, sector, how, name = phrase
    return (-len(words), words, sector, list(How).index(how), name)


def _phrase_key(first: str) -> str:
    """Hangul words match by prefix (particles follow them), so file them by two syllables."""
    if len(first) >= 2 and _HANGUL.match(first):
        return first[:2]
    return singular(first)


def _names(sector: Sector) -> list[tuple[str, How]]:
    names = [(sector.id, How.EXACT), (sector.label, How.EXACT)]
    if sector.label_ko:
        names.append((sector.label_ko, How.EXACT))
    return names + [(word, How.SYNONYM) for word in sector.synonyms]


def _hangul_stems(token: str) -> list[str]:
    """'배송하는' → ['배송하', '배송']: the word without trailing particles or endings."""
    return [token[:end] for end in range(len(token) - 1, 1, -1)]


def _is_telling_word(token: str) -> bool:
    if token in GENERIC_WORDS:
        return False
    if _HANGUL.match(token):
        return len(token) >= 2
    return len(token) >= 4 and token.isalpha()


def _tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _token_matches(token: str, part: str) -> bool:
    if singular(token) == singular(part):
        return True
    # Korean attaches particles to nouns (드론을, 자율주행차가): a Hangul word of two or
    # more syllables matches the start of a token.
    return len(part) >= 2 and _HANGUL.match(part) is not None and token.startswith(part)


def split_terms(values: list[str]) -> list[str]:
    """``--tech drones,5g --tech iot`` → ``["drones", "5g", "iot"]``; blanks dropped."""
    # Commas, full-width commas and the ideographic comma all separate terms.
    terms = [part.strip() for value in values for part in re.split(r"[,\uff0c\u3001;]", value)]
    return [term for term in terms if term]


def term_index(catalog: Catalog) -> TermIndex:
    """The catalog's term index, built once: a batch of profiles resolves many queries."""
    found = catalog.derived.get("term_index")
    if not isinstance(found, TermIndex):
        found = catalog.derived["term_index"] = TermIndex(catalog)
    return found


def resolve(catalog: Catalog, terms: list[str], describe: str | None = None) -> Query:
    """Resolve typed terms and the terms a description mentions, duplicates kept once."""
    index = term_index(catalog)
    resolved: list[ResolvedTerm] = []
    unresolved: list[UnresolvedTerm] = []
    for term in dict.fromkeys(terms):
        outcome = index.resolve(term)
        if isinstance(outcome, ResolvedTerm) and outcome.how is How.FUZZY:
            # "IoT sensors" is IoT and sensors, not a misspelling of one longer name.
            parts = [f for f in index.extract(term) if f.how is not How.FUZZY]
            if len(_tokens(term)) > 1 and parts:
                outcome = UnresolvedTerm(term, ())
        if isinstance(outcome, ResolvedTerm):
            resolved.append(outcome)
            # "IoT security" is cybersecurity, and its "IoT" is offered too.
            resolved += [
                replace(inner, input=term, how=How.PARTIAL, score=WORD_SCORE)
                for inner in index.inner_terms(outcome)
            ]
            continue
        # "edge AI", "AI cameras": a term of several words may contain a known one.
        inside = index.extract(term) if len(_tokens(term)) > 1 else []
        if inside:
            # Reported against what the user typed, and as part of it: "'edge AI' → ai".
            resolved += [
                replace(found, input=term, how=How.PARTIAL, score=min(found.score, WORD_SCORE))
                for found in inside
            ]
        else:
            unresolved.append(outcome)
    typed = len(resolved)
    if describe:
        seen = {term.input.casefold() for term in resolved}
        typed_sectors = {term.sector for term in resolved}
        for found in index.extract(describe):
            if found.sector in typed_sectors:
                continue  # typed already: the sentence adds nothing about it
            if found.input.casefold() not in seen:
                seen.add(found.input.casefold())
                resolved.append(found)
    return Query(tuple(resolved), tuple(unresolved), typed)
