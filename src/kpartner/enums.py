"""The closed vocabularies of the records: kinds, programmes, statuses and company types.

They live apart from :mod:`kpartner.models` so that what only reads a catalog (matching
from the compiled cache) imports them without building pydantic's model classes.
"""

from __future__ import annotations

from enum import StrEnum


class SectorKind(StrEnum):
    TECHNOLOGY = "technology"  # something a startup offers: drones, 5G, AI, ...
    DOMAIN = "domain"  # something a city needs: mobility, healthcare, water, ...


class ProjectProgramme(StrEnum):
    NATIONAL_PILOT = "national-pilot"
    CITY_CHALLENGE = "city-challenge"
    TOWN_CHALLENGE = "town-challenge"
    REGIONAL_HUB = "regional-hub"
    SMALL_CITY = "small-city"
    SPECIAL_ZONE = "special-zone"
    SOLUTION_DIFFUSION = "solution-diffusion"  # proven smart-city solutions spread to more cities
    K_CITY_NETWORK = "k-city-network"  # Korean firms paired with foreign cities (MOLIT, KIND, KAIA)


class ProjectStatus(StrEnum):
    """Where a project stands today; ``status_date`` says since when."""

    PLANNED = "planned"  # announced; nobody selected yet (a call may be open, deadline unknown)
    OPEN_CALL = "open-call"  # a call for cities or partners is open until ``deadline``
    SELECTED = "selected"  # chosen for a stage or for funding; building not yet reported
    UNDER_WAY = "under-way"  # being planned in detail or built
    OPERATING = "operating"  # services running for residents (building may go on)
    COMPLETED = "completed"  # the funded work is finished: a reference, not a lead
    NOT_ADVANCED = "not-advanced"  # a stage done, not picked for the next one


class ConsortiumStatus(StrEnum):
    BIDDING = "bidding"
    PREFERRED_BIDDER = "preferred-bidder"
    SELECTED = "selected"
    LOST = "lost"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"


class CompanyType(StrEnum):
    TELECOM = "telecom"
    IT_SERVICES = "it-services"
    ELECTRONICS = "electronics"
    FINANCE = "finance"
    CONSTRUCTION = "construction"
    AUTOMOTIVE = "automotive"
    MOBILITY = "mobility"
    ENERGY = "energy"
    LOGISTICS = "logistics"
    HEALTHCARE = "healthcare"
    REAL_ESTATE = "real-estate"
    MEDIA = "media"
    SECURITY = "security"
    PLATFORM = "platform"
    STARTUP = "startup"
    SME = "sme"
    PUBLIC_AGENCY = "public-agency"
    RESEARCH = "research"
    UNIVERSITY = "university"
    SPC = "spc"
