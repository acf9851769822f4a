"""The record orderings every page uses, computed once with the data set.

`order(dataset)` sorts the records newest first, groups them by year and lists each registry
once in file order. `fazhi.stats.aggregate` computes it and keeps it in `Stats.order`, so the
aggregation and every renderer read the same lists instead of sorting again (it sorts by
`date_key` itself, to keep the sort between calls, and builds the ordering with `sorted_order`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TypeVar

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import Agency, Law, Metric, PartialDate, Topic

__all__ = [
    "AGENCY_KINDS",
    "Ordering",
    "YearGroup",
    "campaign_date",
    "case_date",
    "date_key",
    "newest_first",
    "order",
    "sorted_order",
]

#: Agency kinds in the order the agencies index and the dashboard list them.
AGENCY_KINDS: tuple[str, ...] = ("法院", "检察院", "司法行政", "公安", "其他")

T = TypeVar("T")
E = TypeVar("E", CampaignEntry, CaseEntry)


@dataclass(frozen=True)
class YearGroup:
    """The records of one year, newest first."""

    year: int
    entries: tuple[CampaignEntry, ...] | tuple[CaseEntry, ...]


@dataclass(frozen=True)
class Ordering:
    """The published records and registries in display order."""

    campaigns: tuple[CampaignEntry, ...]
    """Newest first by start date (a coarser date after finer ones of its period), then id."""
    cases: tuple[CaseEntry, ...]
    """Newest first by date, then id."""
    campaign_years: tuple[YearGroup, ...]
    """Campaigns grouped by the year they start, newest year first."""
    case_years: tuple[YearGroup, ...]
    """Cases grouped by year, newest year first."""
    agencies: tuple[Agency, ...]
    """The agency registry in file order, once each (the data set files aliases too)."""
    topics: tuple[Topic, ...]
    metrics: tuple[Metric, ...]
    laws: tuple[Law, ...] = ()
    """The laws registry in file order, once each."""


def campaign_date(entry: CampaignEntry) -> PartialDate:
    """The date a campaign is sorted and filed by: its start."""
    return entry.model.start


def case_date(entry: CaseEntry) -> PartialDate:
    """The date a case is sorted and filed by."""
    return entry.model.date


def date_key(date: PartialDate, record_id: str) -> tuple[int, int, int, str]:
    """The sort key of a record dated `date`: newest first (a coarser date after finer ones of
    the same period), then by id."""
    return (-date.year, -date.month, -date.day, record_id)


def newest_first(entries: Iterable[E], date_of: Callable[[E], PartialDate]) -> list[E]:
    """Sorted by date, newest first (a coarser date after finer ones of the same period),
    then by id."""
    return sorted(entries, key=lambda entry: date_key(date_of(entry), entry.id))


def unique(values: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Registry entries once each, in first-seen order."""
    seen: set[str] = set()
    found = []
    for value in values:
        if key(value) not in seen:
            seen.add(key(value))
            found.append(value)
    return found


def _by_year(entries: Sequence[E], date_of: Callable[[E], PartialDate]) -> tuple[YearGroup, ...]:
    """Records (already newest first) grouped by year."""
    return tuple(YearGroup(year, tuple(items))  # type: ignore[arg-type]
                 for year, items in groupby(entries, key=lambda e: date_of(e).year))


def order(dataset: Dataset) -> Ordering:
    """The orderings of `dataset`; registries keep their file order, records are sorted, so
    the order in which the data set holds them does not matter."""
    campaigns = newest_first(dataset.campaigns.values(), campaign_date)
    cases = newest_first(dataset.cases.values(), case_date)
    return sorted_order(dataset, tuple(campaigns), tuple(cases),
                        _by_year(campaigns, campaign_date), _by_year(cases, case_date))


def sorted_order(dataset: Dataset, campaigns: tuple[CampaignEntry, ...], cases: tuple[CaseEntry, ...],
                 campaign_years: tuple[YearGroup, ...], case_years: tuple[YearGroup, ...]) -> Ordering:
    """`order(dataset)` from its records already sorted and grouped by year (`fazhi.stats`
    sorts them itself, to keep the sort between calls)."""
    return Ordering(
        campaigns=campaigns,
        cases=cases,
        campaign_years=campaign_years,
        case_years=case_years,
        agencies=tuple(unique(dataset.agencies.values(), lambda a: a.slug)),
        topics=tuple(unique(dataset.topics.values(), lambda t: t.slug)),
        metrics=tuple(unique(dataset.metrics.values(), lambda m: m.name)),
        laws=tuple(unique(dataset.laws.values(), lambda law: law.slug)),
    )
