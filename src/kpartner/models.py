"""The records of the catalog: what a sector, project, consortium and company is.

The models are strict on purpose: an unknown field (a typo such as ``memebers``) is an
error, not something silently dropped, and every project, consortium and company
carries the sources it was read in and the date it was true on (``as_of``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

# Re-exported; kpartner.enums imports them without pydantic (a warm run needs no more).
from kpartner.enums import CompanyType as CompanyType
from kpartner.enums import ConsortiumStatus as ConsortiumStatus
from kpartner.enums import ProjectProgramme as ProjectProgramme
from kpartner.enums import ProjectStatus as ProjectStatus
from kpartner.enums import SectorKind as SectorKind

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""A lower-case, hyphenated identifier such as ``lg-cns`` or ``sejong-5-1``."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# Numbers are numbers: YAML 1.1 reads `true` as a boolean, which Python counts as 1, so
# `budget_krw: true` would pass and show as ₩1; `.inf` and `.nan` are floats no JSON can
# hold; a 400-digit budget is no budget. Strict types refuse booleans (and text), and
# every number field has a finite range.
Count = Annotated[int, Strict()]
Won = Annotated[int, Strict(), Field(gt=0, le=10**15)]
"""An amount in won: positive, and at most 1,000 trillion (Korea's yearly budget is below)."""
SquareMetres = Annotated[float, Strict(), Field(gt=0, le=1e12, allow_inf_nan=False)]
"""An area: positive, finite, at most a million square kilometres."""

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from None
    return value


def _date_as_text(value: object) -> object:
    # YAML reads an unquoted 2020-10-08 as a date and 2020 as a number; both mean the text.
    if isinstance(value, dt.date | int) and not isinstance(value, bool | dt.datetime):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


PartialDate = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(_check_partial_date)]
"""A date known to the year, month or day (sources often give only 'May 2021').

Strings in this form sort chronologically, which keeps timelines in order.
"""


class Record(BaseModel):
    """Base of every data record: immutable, and unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_url(value: str) -> str:
    # An outlet's name ("donga") or "URL (id)" is not an address a reader can open.
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise ValueError(
            "expected an absolute http(s) address such as 'https://www.example.com/news/1',"
            f" got {value!r}"
        )
    if any(ch.isspace() for ch in value):
        raise ValueError(
            f"an address has no spaces, got {value!r}; put an article id in 'article_id'"
        )
    return value


Url = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_url)]
"""An absolute http(s) address with a host: the page a reader can open."""


class Source(Record):
    """Where a fact was read. ``published`` is empty when the page showed no date."""

    url: Url
    title: Text | None = None
    publisher: Text | None = None
    published: PartialDate | None = None
    article_id: Text | None = Field(
        default=None,
        description="The article's id on its site, where the fact sheet gives only site and id.",
    )
    note: Text | None = None


class Caveat(Record):
    """A rule of the Korean market for one sector, read in ``source`` and true on ``as_of``."""

    text: Text
    source: Source
    as_of: dt.date


class Sector(Record):
    """One term of the taxonomy, with the words people use for it."""

    id: Id
    kind: SectorKind
    label: Text
    label_ko: Text | None = None
    synonyms: list[Text] = Field(default_factory=list)
    serves: list[Id] = Field(
        default_factory=list,
        description="For a technology: the service domains it serves.",
    )
    parent: Id | None = Field(
        default=None, description="For a domain: the broader domain it belongs to."
    )
    related: list[Id] = Field(
        default_factory=list,
        description="For a technology: close technologies (blockchain and fintech); symmetric.",
    )
    description: Text | None = None
    caveats: list[Caveat] = Field(
        default_factory=list,
        description="What a foreign startup must know before selling this in Korea"
        " (a law, a pilot scheme, a safety rule), each with where it was read.",
    )


class Sourced(Record):
    """A record that must say where its facts come from and when they were true."""

    sources: list[Source] = Field(min_length=1)
    as_of: dt.date
    notes: list[Text] = Field(
        default_factory=list,
        description="Caveats, conflicting figures and open questions, kept visible.",
    )


class Member(Record):
    company: Id
    role: Text | None = None
    confirmed: bool = Field(
        default=True,
        description="False where only some reports name this member, not the official list.",
    )
    note: Text | None = Field(
        default=None, description="E.g. that only some reports name this member."
    )


class Consortium(Sourced):
    """A group of companies that bid for, or works on, one project."""

    id: Id
    name: Text
    name_ko: Text | None = None
    status: ConsortiumStatus
    date: PartialDate | None = Field(default=None, description="When the status was reached.")
    lead: Id | None = None
    members: list[Member] = Field(default_factory=list)
    unnamed_members: Count = Field(
        default=0,
        ge=0,
        le=10_000,
        description="Members the sources count but do not name (3 of 11 named: 8).",
    )


class Zone(Record):
    name: Text
    area_m2: SquareMetres | None = None
    focus: list[Id] = Field(default_factory=list)
    description: Text | None = None


class Event(Record):
    date: PartialDate
    event: Text
    source: Source | None = Field(default=None, description="Where the event was read.")


class Project(Sourced):
    id: Id
    name: Text
    name_ko: Text | None = None
    city: Text
    city_ko: Text | None = None
    programme: ProjectProgramme
    year: Count | None = Field(default=None, ge=2000, le=2100)
    status: ProjectStatus
    status_date: PartialDate = Field(description="When the status became true.")
    status_source: Source = Field(description="Where the status was read.")
    deadline: PartialDate | None = Field(
        default=None, description="For an open call: the last day to apply."
    )
    area_m2: SquareMetres | None = None
    budget_krw: Won | None = Field(default=None, description="Total budget in won.")
    state_funding_krw: Won | None = Field(
        default=None, gt=0, description="Central-government share (국비) in won."
    )
    summary: Text | None = None
    focus: list[Id] = Field(min_length=1)
    zones: list[Zone] = Field(default_factory=list)
    timeline: list[Event] = Field(default_factory=list)
    consortia: list[Consortium] = Field(default_factory=list)

    @model_validator(mode="after")
    def _deadline_only_for_open_calls(self) -> Project:
        if self.status is ProjectStatus.OPEN_CALL and self.deadline is None:
            raise ValueError("an open call needs its 'deadline'")
        if self.status is not ProjectStatus.OPEN_CALL and self.deadline is not None:
            raise ValueError("'deadline' is only for a project whose status is open-call")
        return self


class Company(Sourced):
    id: Id
    name: Text
    name_ko: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    type: CompanyType
    capabilities: list[Id] = Field(default_factory=list)
    group: Text | None = None
    parent: Id | None = None
    website: Text | None = None
    description: Text | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        default="KR",
        description="Where it is headquartered (ISO 3166 alpha-2): a firm from abroad is no"
        " Korean partner.",
    )
    sells: list[Id] | None = Field(
        default=None,
        description="The sectors of its own product line, from its capabilities: a startup"
        " selling one of them meets a competitor, licensee or reseller, not a partner. Empty:"
        " it integrates, operates or builds. Omitted: judged by its type.",
    )


class SectorsFile(Record):
    sectors: list[Sector]


class ProjectsFile(Record):
    projects: list[Project]


class CompaniesFile(Record):
    companies: list[Company]
