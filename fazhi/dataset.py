"""The validated data set: records with their names resolved and their figures parsed.

This is what aggregation and rendering see. It holds only what passed every rule.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from fazhi.models import Agency, Campaign, Case, Law, Metric, Topic
from fazhi.values import Quantity


@dataclass(frozen=True)
class Figure:
    """One reported figure: its metric, its value, and its breakdown when it has one.

    `shares` are the agencies' own parts of a joint campaign's figure (``by_agency``), in the
    record's order; `complete` says the parts, or the shares, add up to the value.
    """

    metric: Metric
    value: Quantity
    parts: tuple[tuple[str, Quantity], ...] = ()
    complete: bool = False
    shares: tuple[tuple[Agency, Quantity], ...] = ()


@dataclass(frozen=True)
class Citation:
    """A law a case cites, resolved through the laws registry, with the articles as written."""

    law: Law
    articles: tuple[str, ...]
    """第一百零九条, 第五百七十七条第一款 …; empty when the case cites the law as a whole."""
    text: str
    """The entry as the record writes it."""


@dataclass(frozen=True)
class Changed:
    """When a record's file last changed: the last commit that touched it (`fazhi.history`)."""

    moment: datetime.datetime
    committed: bool = True
    """False when the file has changes not yet committed (a local preview): `moment` is then
    the data's fallback time, not the file's."""


@dataclass(frozen=True)
class Waived:
    """A privacy finding that a record waived, shown in the check report."""

    path: str
    line: int
    match: str
    reason: str


@dataclass
class CampaignEntry:
    """A campaign record with its references resolved."""

    id: str
    path: str
    model: Campaign
    agencies: list[Agency]
    region: str
    topics: list[Topic]
    figures: dict[str, Figure]
    children: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    lead: Agency | None = None
    """The organising agency, one of `agencies`, when the record names one."""

    @property
    def joint(self) -> bool:
        """Whether more than one agency ran the campaign: its figures belong to them together."""
        return len({agency.slug for agency in self.agencies}) > 1

    @property
    def published(self) -> bool:
        """Whether the record may reach the site."""
        return self.model.status == "published"


@dataclass
class CaseEntry:
    """A typical-case record with its references resolved."""

    id: str
    path: str
    model: Case
    agency: Agency
    topics: list[Topic]
    figures: dict[str, Figure]
    citations: tuple[Citation, ...] = ()

    @property
    def published(self) -> bool:
        """Whether the record may reach the site."""
        return self.model.status == "published"


@dataclass
class Dataset:
    """Registries and records after validation."""

    agencies: dict[str, Agency]
    topics: dict[str, Topic]
    metrics: dict[str, Metric]
    campaigns: dict[str, CampaignEntry]
    cases: dict[str, CaseEntry]
    waived: list[Waived] = field(default_factory=list)
    laws: dict[str, Law] = field(default_factory=dict)
    """The laws registry by name and alias (empty when the data has no laws.yaml)."""
    changed: dict[str, Changed] = field(default_factory=dict)
    """When each record file last changed, by its path (``data/cases/x.yaml``); filled in by
    the pipeline (`fazhi.history`), empty for a data set built in memory."""

    def published(self) -> Dataset:
        """The same data set with only published records: all the site may show."""
        campaigns = {
            key: replace(entry,
                         children=[c for c in entry.children if self.campaigns[c].published],
                         cases=[c for c in entry.cases if self.cases[c].published])
            for key, entry in self.campaigns.items() if entry.published
        }
        cases = {key: entry for key, entry in self.cases.items() if entry.published}
        return replace(self, campaigns=campaigns, cases=cases, waived=[])
