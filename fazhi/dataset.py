"""The validated data set: records with their names resolved and their figures parsed.

This is what aggregation and rendering see. It holds only what passed every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fazhi.models import Agency, Campaign, Case, Metric, Topic
from fazhi.values import Quantity


@dataclass(frozen=True)
class Figure:
    """One reported figure: its metric, its value, and its breakdown when it has one."""

    metric: Metric
    value: Quantity
    parts: tuple[tuple[str, Quantity], ...] = ()
    complete: bool = False


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
