"""Aggregation for the statistics pages: totals by year, region, topic and agency kind.

`aggregate` is pure: it takes the published `Dataset` and returns a `Stats` of frozen
dataclasses that `fazhi.render_stats` turns into pages. The rules, which the 方法说明 section
and ``content/about.md`` explain to readers:

- **Campaign figures are counted once.** A campaign that is `part_of` another reports a
  piece of its parent's work, so its figure for a metric is not counted when an enclosing
  campaign (its parent, grandparent …) reports the same metric: that figure already includes
  it. A nested campaign's figure for a metric that no enclosing campaign reports is counted,
  since it is in no other total. For the usual case, a parent that reports everything its
  parts do, this means only the top-level campaign counts.
- **Case figures are never added to campaign totals.** Typical cases illustrate the work
  inside campaigns; their figures are summed separately (`Slice.case_totals`).
- **Approximations propagate.** A total is exact only when every part is; otherwise it is
  "at least" (余/多/逾), "at most" (近) or "about" (约) by `fazhi.values.sum_quantities`,
  so an "at most" value is never added as if it were exact. An approximate total keeps four
  significant digits, rounded in the direction that keeps it true (逾368.6万元, not
  逾3686433元); a single figure is shown as reported.
- **Rates come from summed exact parts.** A rate (e.g. 执行前和解成功率) is the sum of the
  numerators over the sum of the denominators, over the campaigns that report both as exact
  figures; campaigns reporting an approximate part are left out and listed.

- **A joint figure is no one agency's own.** A campaign with more than one agency is joint.
  An agency's own totals (`AgencyWork`) add the campaigns it ran alone and its shares of
  joint ones (``by_agency``); a joint campaign without a share is listed as joint, never
  added. A court's or procuratorate's roll-up treats it and the agencies of its kind below it
  in the registry's regions as one group the same way, so a campaign they ran together
  counts once. A share counts only where the campaign's figure itself counts (not covered
  by an enclosing campaign).

A slice (a year, a region, a topic, an agency kind) holds the campaigns and cases filed under
it. A campaign is in the year it starts, in the region node of its `region` and every node
above it, under each of its topics and under the kind of each of its agencies (so per-topic
or per-kind totals may add up to more than the overall total). A case is in the year of its
date and in the region of its agency.

The record orderings (`fazhi.ordering`) are computed here, once, and kept in `Stats.order`
for the renderers.

Aggregation reads each record only through its facts (`_CaseFacts`, `_CampaignFacts`: what a
slice, a total or an agency's work is worked out from). A process that aggregates again after
each edit (the preview) keeps a `StatsMemo` and passes it to every call: what is worked out
from facts and registries the edit left unchanged is reused, and the statistics are the same
as without it.
"""

from __future__ import annotations

import operator
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import compress, count, groupby
from typing import Any, Generic, TypeVar

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import Agency, Metric
from fazhi.ordering import AGENCY_KINDS, Ordering, YearGroup, date_key, sorted_order
from fazhi.values import Qualifier, Quantity, sum_quantities

__all__ = [
    "RATE_PAIRS",
    "ROLL_UP_KINDS",
    "AgencyWork",
    "Covered",
    "Rate",
    "RatePair",
    "RegionNode",
    "Slice",
    "Stats",
    "StatsMemo",
    "Total",
    "aggregate",
]

#: Significant digits an approximate total keeps (see `_rounded`).
_SIGNIFICANT = 4
#: Records run about this long (`_runs`): the figures of each run are kept (`StatsMemo`).
_RUN = 32
#: At most this many cases changed in place since `StatsMemo`'s call before are looked at one by one.
_FEW = 64
#: Agency kinds whose page rolls up the agencies of the same kind below it (courts and procuratorates).
ROLL_UP_KINDS = ("法院", "检察院")


@dataclass(frozen=True)
class RatePair:
    """A rate that the registry's metrics allow: `numerator` counts a subset of `denominator`."""

    name: str
    numerator: str
    denominator: str


#: The rates computed where both metrics are in the registry. Each numerator counts a subset of
#: the cases its denominator counts, as the metric descriptions in data/metrics.yaml define them;
#: add a pair here only when that holds, never for metrics that merely look related.
RATE_PAIRS: tuple[RatePair, ...] = (
    # Of the cases referred to mediation before enforcement was filed, those that settled.
    RatePair("执行前和解成功率", numerator="执行前和解成功", denominator="委派执行前和解"),
    # Of the cases in which the court urged performance, those resolved without enforcement.
    RatePair("督促后化解率", numerator="督促后化解", denominator="督促履行"),
)


@dataclass(frozen=True)
class Total:
    """The total of one metric over some records, with the ids of the records it adds up."""

    metric: Metric
    value: Quantity
    records: tuple[str, ...]


@dataclass(frozen=True)
class Rate:
    """A rate computed from summed exact parts.

    `value` is the fraction (0.3023… for 26/86). `records` are the campaigns whose exact parts
    were summed, `excluded` those that report both metrics but one of them approximately.
    """

    pair: RatePair
    numerator: Total
    denominator: Total
    value: Decimal
    excluded: tuple[str, ...]


@dataclass(frozen=True)
class Slice:
    """The records filed under one key (a year, a region, a topic, a kind) and their totals.

    `campaigns` and `cases` are ids, newest first. `totals` are the counted campaign figures,
    `case_totals` the case figures (never part of `totals`), both in registry order.
    """

    key: str
    label: str
    campaigns: tuple[str, ...]
    cases: tuple[str, ...]
    totals: tuple[Total, ...]
    case_totals: tuple[Total, ...]
    rates: tuple[Rate, ...]

    @property
    def empty(self) -> bool:
        """True when no record is filed under this key."""
        return not self.campaigns and not self.cases


@dataclass(frozen=True)
class AgencyWork:
    """The work of an agency, or of a group of agencies taken as one, attributed honestly.

    `own` are the campaigns only the group ran (newest first), `joint` those it ran with
    agencies outside it; `shared` are the joint ones whose figures give the group a share.
    `totals` add the own campaigns' counted figures and the shares, never a joint figure.
    `members` are the agencies below the first (by slug) for a roll-up, empty otherwise.
    """

    key: str
    label: str
    own: tuple[str, ...]
    joint: tuple[str, ...]
    shared: tuple[str, ...]
    totals: tuple[Total, ...]
    cases: tuple[str, ...]
    members: tuple[str, ...] = ()

    @property
    def campaigns(self) -> tuple[str, ...]:
        """Every campaign the group took part in: its own, then the joint ones."""
        return self.own + self.joint


@dataclass(frozen=True)
class RegionNode:
    """A province, city or county, with everything at or below it rolled up in `slice`."""

    path: str
    name: str
    level: int
    parent: str | None
    children: tuple[str, ...]
    slice: Slice

    @property
    def full_name(self) -> str:
        """The name as a reader writes it: 贵州省安顺市."""
        return self.path.replace("/", "")


@dataclass(frozen=True)
class Covered:
    """A nested campaign's figure left out of totals: an enclosing campaign reports the metric."""

    campaign: str
    metric: Metric
    value: Quantity
    ancestor: str


@dataclass(frozen=True)
class Stats:
    """Everything the statistics pages show."""

    overall: Slice
    years: tuple[Slice, ...]
    """Years with records, oldest first."""
    latest: Slice | None
    """The latest year that has counted campaign figures (else the latest year with records)."""
    regions: tuple[RegionNode, ...]
    """Every region node, depth first, siblings by path."""
    topics: tuple[Slice, ...]
    """Topics in registry order, only those with records."""
    agency_kinds: tuple[Slice, ...]
    """Agency kinds in `AGENCY_KINDS` order, only those with records."""
    agencies: tuple[AgencyWork, ...]
    """Agencies in registry order, keyed by slug, only those with records."""
    roll_ups: tuple[AgencyWork, ...]
    """Courts and procuratorates with agencies of their kind below them, each with those agencies
    (registry order), keyed by slug."""
    nested: tuple[str, ...]
    """Campaigns that are part of another campaign."""
    covered: tuple[Covered, ...]
    """Nested figures not counted because an enclosing campaign reports the metric."""
    unplaced: tuple[str, ...]
    """Campaigns without a region (their agencies share no province)."""
    order: Ordering
    """The records and registries in display order, for every page."""

    def region(self, path: str) -> RegionNode:
        """The region node for `path`; KeyError if there is none."""
        return self._region_nodes[path]

    @cached_property
    def _region_nodes(self) -> dict[str, RegionNode]:
        """The region nodes by path, built on the first lookup (not a field: not compared)."""
        return {node.path: node for node in self.regions}

    def regions_at(self, level: int) -> tuple[RegionNode, ...]:
        """Region nodes of one level (1 province, 2 city, 3 county), in tree order."""
        return tuple(node for node in self.regions if node.level == level)


# --- helpers ------------------------------------------------------------------------------


def _region_path(region: str) -> str:
    """A region as stored, with stray spaces around components removed; "" for none."""
    return "/".join(part.strip() for part in region.split("/") if part.strip())


def _prefixes(path: str) -> list[str]:
    """贵州省/安顺市/平坝区 → 贵州省, 贵州省/安顺市, 贵州省/安顺市/平坝区."""
    parts = path.split("/") if path else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _total_of(values: list[Quantity]) -> Quantity:
    """One value as written (8万余元); several added up with a total's marker (逾…, 近…, 约…)
    and, when approximate, rounded to `_SIGNIFICANT` digits (`_rounded`)."""
    if len(values) == 1:
        return values[0]
    total = sum_quantities(values)
    assert total is not None
    return _rounded(total)


def _rounded(total: Quantity) -> Quantity:
    """An approximate total to `_SIGNIFICANT` significant digits (and at most two decimals in
    万 or 亿), rounded the way its qualifier stays true: down for "at least", up for "at
    most", to the nearest for "about".

    360余万元 + 86433元 is at least 3686433元; the press writes that as 逾368.6万元, and the
    digits after the fourth say nothing when one part is only known to the nearest ten
    thousand. Exact totals and totals below 10^`_SIGNIFICANT` are kept as they are.
    """
    if total.is_exact or total.amount == 0:
        return total
    magnitude = total.amount.adjusted()
    # At most two decimals once written with 万 or 亿, as `format_quantity` needs to use them.
    scale = 8 if magnitude >= 8 else 4 if magnitude >= 4 else 0
    exponent = max(magnitude - (_SIGNIFICANT - 1), scale - 2)
    if exponent <= 0:
        return total
    rounding = {Qualifier.AT_LEAST: ROUND_FLOOR, Qualifier.AT_MOST: ROUND_CEILING}.get(
        total.qualifier, ROUND_HALF_UP)
    amount = total.amount.quantize(Decimal(1).scaleb(exponent), rounding=rounding)
    return replace(total, amount=Decimal(int(amount)))


# --- what aggregation reads of each record ---------------------------------------------------


def _written(value: Quantity) -> tuple[str, str, Qualifier, str]:
    """A quantity as the pages show it: `Quantity` equality ignores the marker (8万余元 equals
    8万多元) and `Decimal` equality the exponent (1 equals 1.0), which a page shows."""
    return (str(value.amount), value.unit, value.qualifier, value.marker)


def _written_values(values: dict[str, Quantity]) -> tuple[tuple[str, tuple[str, str, Qualifier, str]], ...]:
    return tuple((name, _written(value)) for name, value in values.items())


def _cut(record_id: str) -> bool:
    """Whether a run of records (`_runs`) ends after this one: about one in `_RUN`, by id, so
    that a record added, removed or moved changes only the runs around it."""
    return zlib.crc32(record_id.encode()) % _RUN == 0


class _Facts:
    """The facts of one record (`_CaseFacts`, `_CampaignFacts`), written out once when compared."""

    __slots__ = ()
    id: str

    def written(self) -> tuple[object, ...]:
        """Every fact, quantities as written: equal exactly when the facts aggregate the same."""
        found: tuple[object, ...] | None = self._written  # type: ignore[attr-defined]
        if found is None:
            found = self._write()
            object.__setattr__(self, "_written", found)
        return found

    def _write(self) -> tuple[object, ...]:
        raise NotImplementedError


@dataclass(frozen=True, eq=False, slots=True)
class _CaseFacts(_Facts):
    """Everything aggregation reads of a case; it reads nothing else of it.

    Compared by identity (``eq=False``): `StatsMemo` gives a case the facts object of the call
    before when its facts are written the same (`written`), so a tuple of facts is the same,
    element by element, exactly when everything aggregated from it is.
    """

    id: str
    sort_key: tuple[int, int, int, str]
    """`fazhi.ordering.date_key` of its date."""
    year: int
    agencies: tuple[str]
    """The slug of its agency."""
    kinds: tuple[str]
    """The kind of its agency."""
    nodes: tuple[str, ...]
    """The region nodes of its agency, province first."""
    topics: tuple[str, ...]
    """Its topics' slugs, once each."""
    values: dict[str, Quantity]
    """Its figures (every one counts: cases are never nested)."""
    cut: bool
    """`_cut` of its id."""
    _written: tuple[object, ...] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, entry: CaseEntry, nodes_of: Callable[[str], tuple[str, ...]]) -> _CaseFacts:
        date = entry.model.date
        return cls(entry.id, date_key(date, entry.id), date.year, (entry.agency.slug,), (entry.agency.kind,),
                   nodes_of(entry.agency.region), tuple(dict.fromkeys(topic.slug for topic in entry.topics)),
                   {name: figure.value for name, figure in entry.figures.items()}, _cut(entry.id))

    def _write(self) -> tuple[object, ...]:
        return (self.id, self.sort_key, self.year, self.agencies, self.kinds, self.nodes, self.topics,
                _written_values(self.values))


@dataclass(frozen=True, eq=False, slots=True)
class _CampaignFacts(_Facts):
    """Everything aggregation reads of a campaign (and, for its counted figures, of the
    campaigns enclosing it); compared by identity, like `_CaseFacts`."""

    id: str
    sort_key: tuple[int, int, int, str]
    """`fazhi.ordering.date_key` of its start."""
    year: int
    part_of: str | None
    agencies: frozenset[str]
    """Its agencies' slugs."""
    kinds: tuple[str, ...]
    """Its agencies' kinds, once each, in the record's order."""
    nodes: tuple[str, ...]
    """The region nodes of its region, province first; none when it has no region."""
    topics: tuple[str, ...]
    counted: dict[str, Quantity]
    """Its figures that no enclosing campaign already includes."""
    shares: tuple[tuple[str, tuple[tuple[str, Quantity], ...]], ...]
    """The agencies' shares (slug, value) of each counted figure that has them (``by_agency``)."""
    covered: tuple[Covered, ...]
    """Its figures that an enclosing campaign includes."""
    cut: bool
    _written: tuple[object, ...] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, entry: CampaignEntry, campaigns: dict[str, CampaignEntry],
           nodes_of: Callable[[str], tuple[str, ...]]) -> _CampaignFacts:
        ancestors = _ancestors(entry, campaigns)
        counted: dict[str, Quantity] = {}
        covered = []
        for name, figure in entry.figures.items():
            cover = next((a for a in ancestors if name in a.figures), None)
            if cover is None:
                counted[name] = figure.value
            else:
                covered.append(Covered(entry.id, figure.metric, figure.value, cover.id))
        shares = tuple((name, tuple((agency.slug, value) for agency, value in figure.shares))
                       for name, figure in entry.figures.items() if figure.shares and name in counted)
        start = entry.model.start
        return cls(entry.id, date_key(start, entry.id), start.year, entry.model.part_of,
                   frozenset(agency.slug for agency in entry.agencies),
                   tuple(dict.fromkeys(agency.kind for agency in entry.agencies)), nodes_of(entry.region),
                   tuple(dict.fromkeys(topic.slug for topic in entry.topics)), counted, shares, tuple(covered),
                   _cut(entry.id))

    def _write(self) -> tuple[object, ...]:
        # Metrics by identity: `Covered.metric` is the figure's own.
        return (self.id, self.sort_key, self.year, self.part_of, self.agencies, self.kinds, self.nodes,
                self.topics, _written_values(self.counted),
                tuple((name, tuple((slug, _written(value)) for slug, value in shares))
                      for name, shares in self.shares),
                tuple((c.campaign, id(c.metric), _written(c.value), c.ancestor) for c in self.covered))


def _ancestors(entry: CampaignEntry, campaigns: dict[str, CampaignEntry]) -> list[CampaignEntry]:
    """The enclosing campaigns, nearest first (validation has ruled out cycles)."""
    found: list[CampaignEntry] = []
    parent = entry.model.part_of
    while parent is not None and parent in campaigns and len(found) < len(campaigns):
        found.append(campaigns[parent])
        parent = campaigns[parent].model.part_of
    return found


F = TypeVar("F", _CampaignFacts, _CaseFacts)
R = TypeVar("R", CampaignEntry, CaseEntry)
T = TypeVar("T")


def _same(first: tuple[object, ...], second: tuple[object, ...]) -> bool:
    """Whether two tuples hold the very same objects, in the same order."""
    return len(first) == len(second) and all(map(operator.is_, first, second))


def _same_all(first: tuple[tuple[object, ...], ...], second: tuple[tuple[object, ...], ...]) -> bool:
    """Whether two tuples of tuples hold the very same objects, in the same order (`_same`)."""
    return len(first) == len(second) and all(map(_same, first, second))


def _interned(found: F, before: F | None) -> F:
    """`before`, the facts of the same record in the call before, when written the same as `found`."""
    return before if before is not None and before.written() == found.written() else found


def _runs(records: tuple[F, ...]) -> Iterator[tuple[F, ...]]:
    """`records` in consecutive runs, each ending after a record that `_cut` marks."""
    start = 0
    for end in compress(count(1), map(_CUT, records)):
        yield records[start:end]
        start = end
    if start < len(records):
        yield records[start:]


_CUT = operator.attrgetter("cut")


# --- the memo ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sorted:
    """How records with these sort keys sort."""

    keys: list[tuple[tuple[int, int, int, str], int]]
    """Each record's sort key and year, in data set order."""
    order: list[int]
    """Positions in data set order, newest first."""
    years: tuple[tuple[int, int, int], ...]
    """Each year's (year, start, end) in that order, newest year first."""


@dataclass(frozen=True)
class _Bucketed(Generic[F]):
    """Records (newest first) bucketed by key: each bucket is their positions, in order."""

    records: tuple[F, ...]
    positions: dict[str, list[int]]

    def get(self, key: str) -> tuple[F, ...]:
        """The records under `key`, newest first."""
        return tuple(map(self.records.__getitem__, self.positions.get(key, ())))

    def __contains__(self, key: str) -> bool:
        return key in self.positions


class StatsMemo:
    """What `aggregate` worked out, kept between its calls in one process to reuse what the
    changes since cannot have reached (the preview aggregates again after each edit).

    Aggregation reads records only through their facts (`_CaseFacts`, `_CampaignFacts`), and
    the registries. A record whose facts are written the same as in the call before keeps that
    call's facts object, so any tuple of facts is the very same, object by object, exactly
    when what is worked out from it is. What is reused, and on what it is keyed:

    - all the statistics but `Stats.order`, when the records' facts (newest first) and the
      registries (agencies, topics, metrics, by identity) are the same objects: an edit that
      changes nothing aggregation reads, such as a title, costs the reading of the facts;
    - otherwise, a slice's campaign figures and case figures, and an agency's work, when the
      facts they are worked out from are the same objects; the figures of runs of about
      `_RUN` records (`_runs`) the same way, for a slice that changed;
    - the sort of the records while their sort keys are equal, and their buckets by year,
      region, topic, agency kind and agency while their keys are equal.

    `Stats.order` holds the records themselves and is always built from the current ones.
    A case's facts are kept for the very entry: `fazhi.validate.CaseMemo` gives the same one
    for an unchanged file, and entries are not changed after validation. Campaign entries are
    new on every check, and their counted figures depend on the campaigns enclosing them, so
    their facts are read again each time (about 1,000 at 10,000 cases) and then compared.
    The figures worked out depend on the metrics registry too: when its objects are not the
    same, nothing worked out from figures is reused.
    """

    def __init__(self) -> None:
        self._cases: tuple[tuple[CaseEntry, ...], tuple[_CaseFacts, ...]] = ((), ())
        self._campaigns: dict[str, _CampaignFacts] = {}
        self._sorted: dict[str, _Sorted] = {}
        self._buckets: dict[str, tuple[list[Iterable[str]], dict[str, list[int]]]] = {}
        self._kept: dict[str, tuple[tuple[object, ...], Any]] = {}
        self._context: tuple[object, ...] = ()
        self._parts: dict[tuple[str, tuple[object, ...]], Any] = {}
        self._fresh: dict[tuple[str, tuple[object, ...]], Any] = {}
        self._works: dict[tuple[str, str], tuple[tuple[object, ...], AgencyWork]] = {}
        self._fresh_works: dict[tuple[str, str], tuple[tuple[object, ...], AgencyWork]] = {}
        self._result: tuple[tuple[tuple[object, ...], ...], Stats] | None = None

    def _case_facts(self, entries: tuple[CaseEntry, ...],
                    nodes_of: Callable[[str], tuple[str, ...]]) -> tuple[_CaseFacts, ...]:
        """The facts of each case: those of an entry seen in the call before are kept, those
        of a new entry read, and kept from the call before if written the same."""
        seen, known = self._cases
        if len(seen) == len(entries):  # the usual edit: a few entries replaced in place
            changed = list(compress(count(), map(operator.is_not, seen, entries)))
            if len(changed) <= _FEW:
                found = list(known)
                for i in changed:
                    facts = _CaseFacts.of(entries[i], nodes_of)
                    found[i] = _interned(facts, known[i] if known[i].id == facts.id else
                                         next((f for f in known if f.id == facts.id), None))
                self._cases = (entries, tuple(found))
                return self._cases[1]
        by_entry = {id(entry): facts for entry, facts in zip(seen, known, strict=True)}  # `seen` keeps them alive
        by_id = {facts.id: facts for facts in known}
        found = []
        for entry in entries:
            facts = by_entry.get(id(entry))
            if facts is None:
                facts = _CaseFacts.of(entry, nodes_of)
                facts = _interned(facts, by_id.get(facts.id))
            found.append(facts)
        self._cases = (entries, tuple(found))
        return self._cases[1]

    def _campaign_facts(self, entries: tuple[CampaignEntry, ...], campaigns: dict[str, CampaignEntry],
                        nodes_of: Callable[[str], tuple[str, ...]]) -> tuple[_CampaignFacts, ...]:
        """The facts of each campaign, read again and kept from the call before if written the same."""
        found = []
        for entry in entries:
            facts = _CampaignFacts.of(entry, campaigns, nodes_of)
            found.append(_interned(facts, self._campaigns.get(facts.id)))
        self._campaigns = {facts.id: facts for facts in found}
        return tuple(found)

    def _sort(self, name: str, entries: tuple[R, ...], facts: tuple[F, ...],
              ) -> tuple[tuple[R, ...], tuple[F, ...], tuple[YearGroup, ...]]:
        """The records newest first, their facts in the same order, and the records by year."""
        keys = list(map(_SORT_KEY_AND_YEAR, facts))
        kept = self._sorted.get(name)
        if kept is None or kept.keys != keys:
            sort_keys = [key for key, _ in keys]
            order = sorted(range(len(keys)), key=sort_keys.__getitem__)
            years, start = [], 0
            for year, run in groupby(keys[i][1] for i in order):
                end = start + sum(1 for _ in run)
                years.append((year, start, end))
                start = end
            kept = self._sorted[name] = _Sorted(keys, order, tuple(years))
        records = tuple(map(entries.__getitem__, kept.order))
        return records, tuple(map(facts.__getitem__, kept.order)), tuple(
            YearGroup(year, records[start:end]) for year, start, end in kept.years)  # type: ignore[arg-type]

    def _bucketed(self, name: str, records: tuple[F, ...], keys: Callable[[F], Iterable[str]]) -> _Bucketed[F]:
        """`records` bucketed by their `keys` (each key of a record once: the facts hold no key
        twice), kept while the keys are equal."""
        sequence = list(map(keys, records))
        kept = self._buckets.get(name)
        if kept is None or kept[0] != sequence:
            positions: dict[str, list[int]] = {}
            for rank, found in enumerate(sequence):
                for key in found:
                    positions.setdefault(key, []).append(rank)
            kept = self._buckets[name] = (sequence, positions)
        return _Bucketed(records, kept[1])

    def _begin(self, context: tuple[object, ...]) -> None:
        """Start working out statistics under `context` (what every figure depends on)."""
        if not _same(context, self._context):
            self._context = context
            self._parts, self._works = {}, {}
        self._fresh, self._fresh_works = {}, {}

    def _part(self, kind: str, facts: tuple[object, ...], compute: Callable[[], T]) -> T:
        """What `compute` gives for `facts` (tuples of facts compare by identity), kept while
        a call uses it."""
        key = (kind, facts)
        found = self._fresh.get(key)
        if found is None:
            found = self._parts.get(key)
            if found is None:
                found = compute()
            self._fresh[key] = found
        return found  # type: ignore[no-any-return]

    def _work(self, name: tuple[str, str], key: tuple[object, ...], same: Callable[[tuple[object, ...]], bool],
              compute: Callable[[], AgencyWork]) -> AgencyWork:
        """The work `name` of the call before when `same` holds for its `key`, else `compute()`."""
        kept = self._works.get(name)
        found = (key, kept[1]) if kept is not None and same(kept[0]) else (key, compute())
        self._fresh_works[name] = found
        return found[1]

    def _keep(self, name: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """What `compute` gave for the very same objects `key` under `name` in the call before,
        else its value now."""
        kept = self._kept.get(name)
        if kept is None or not _same(kept[0], key):
            kept = self._kept[name] = (key, compute())
        return kept[1]  # type: ignore[no-any-return]

    def _end(self, key: tuple[tuple[object, ...], ...], stats: Stats) -> None:
        """Keep what this call worked out for the next."""
        self._parts, self._fresh = self._fresh, {}
        self._works, self._fresh_works = self._fresh_works, {}
        self._result = (key, stats)

    def _kept_stats(self, key: tuple[tuple[object, ...], ...]) -> Stats | None:
        """The statistics of the call before, when worked out from the very same facts and registries."""
        if self._result is None:
            return None
        before, stats = self._result
        return stats if _same_all(before, key) else None


_SORT_KEY_AND_YEAR = operator.attrgetter("sort_key", "year")


# --- aggregation --------------------------------------------------------------------------


class _Aggregator:
    """The data set, sorted, read through each record's facts (`_CaseFacts`, `_CampaignFacts`)."""

    def __init__(self, dataset: Dataset, memo: StatsMemo) -> None:
        self.data = dataset
        self.memo = memo
        paths: dict[str, tuple[str, ...]] = {}  # region as stored -> its nodes; agencies share regions

        def nodes_of(region: str) -> tuple[str, ...]:
            found = paths.get(region)
            if found is None:
                found = paths[region] = tuple(_prefixes(_region_path(region)))
            return found

        campaign_entries = tuple(dataset.campaigns.values())
        case_entries = tuple(dataset.cases.values())
        campaign_facts = memo._campaign_facts(campaign_entries, dataset.campaigns, nodes_of)
        case_facts = memo._case_facts(case_entries, nodes_of)
        campaigns, self.campaigns, campaign_years = memo._sort("campaigns", campaign_entries, campaign_facts)
        cases, self.cases, case_years = memo._sort("cases", case_entries, case_facts)
        self.order = sorted_order(dataset, campaigns, cases, campaign_years, case_years)
        self.metrics = self.order.metrics
        self.rate_pairs = [pair for pair in RATE_PAIRS
                           if pair.numerator in dataset.metrics and pair.denominator in dataset.metrics]
        rate_metrics = tuple(dataset.metrics[name] for pair in self.rate_pairs
                             for name in (pair.numerator, pair.denominator))
        context = (*self.metrics, *self.rate_pairs, *rate_metrics)
        memo._begin(context)
        self.key = (self.campaigns, self.cases, self.order.agencies, self.order.topics, context)
        """What the statistics but `Stats.order` are worked out from."""

    @cached_property
    def by_agency(self) -> _Groups:
        """Each agency's campaigns and cases, by slug."""
        return self._grouped("agencies", _AGENCIES, _AGENCIES)

    # --- slices

    def slice_of(self, key: str, label: str, campaigns: tuple[_CampaignFacts, ...],
                 cases: tuple[_CaseFacts, ...]) -> Slice:
        """These records (newest first) with their totals and rates."""
        def campaign_part() -> tuple[tuple[str, ...], tuple[Total, ...], tuple[Rate, ...]]:
            totals = self._run_totals("campaign run", campaigns, _COUNTED)
            rates = [rate for pair in self.rate_pairs if (rate := self._rate(pair, campaigns))]
            return tuple(e.id for e in campaigns), tuple(totals), tuple(rates)

        def case_part() -> tuple[tuple[str, ...], tuple[Total, ...]]:
            return tuple(e.id for e in cases), tuple(self._run_totals("case run", cases, _VALUES))

        campaign_ids, totals, rates = self.memo._part("campaigns", campaigns, campaign_part)
        case_ids, case_totals = self.memo._part("cases", cases, case_part)
        return Slice(key, label, campaign_ids, case_ids, totals, case_totals, rates)

    def _totals(self, figures: list[tuple[str, dict[str, Quantity]]]) -> list[Total]:
        """Each metric's total over `figures` (record, values), in registry order; one pass
        over the records, each metric's values in record order."""
        reported: dict[str, list[tuple[str, Quantity]]] = {}
        for record, values in figures:
            for name, value in values.items():
                reported.setdefault(name, []).append((record, value))
        totals = []
        for metric in self.metrics:
            found = reported.get(metric.name)
            if found:
                totals.append(Total(metric, _total_of([v for _, v in found]),
                                    tuple(sorted(record for record, _ in found))))
        return totals

    def _run_totals(self, kind: str, records: tuple[F, ...], values_of: Callable[[F], dict[str, Quantity]],
                    ) -> list[Total]:
        """`_totals` of `records` and their `values_of`, put together from what each run of
        them (`_runs`) reports: the runs are consecutive, so each metric's values stay in
        record order."""
        reported: dict[str, tuple[list[Quantity], list[str]]] = {}
        for run in _runs(records):
            for name, (values, ids) in self.memo._part(kind, run, lambda run=run: _reported(run, values_of)).items():
                found = reported.get(name)
                if found is None:
                    reported[name] = (list(values), list(ids))
                else:
                    found[0].extend(values)
                    found[1].extend(ids)
        totals = []
        for metric in self.metrics:
            found = reported.get(metric.name)
            if found:
                totals.append(Total(metric, _total_of(found[0]), tuple(sorted(found[1]))))
        return totals

    def _rate(self, pair: RatePair, campaigns: tuple[_CampaignFacts, ...]) -> Rate | None:
        exact: list[tuple[str, Quantity, Quantity]] = []
        excluded: list[str] = []
        for entry in campaigns:
            values = entry.counted
            if pair.numerator not in values or pair.denominator not in values:
                continue
            top, bottom = values[pair.numerator], values[pair.denominator]
            if top.is_exact and bottom.is_exact:
                exact.append((entry.id, top, bottom))
            else:
                excluded.append(entry.id)
        if not exact:
            return None
        records = tuple(sorted(record for record, _, _ in exact))
        top_total = sum_quantities(top for _, top, _ in exact)
        bottom_total = sum_quantities(bottom for _, _, bottom in exact)
        assert top_total is not None and bottom_total is not None
        if bottom_total.amount == 0:
            return None
        return Rate(pair,
                    Total(self.data.metrics[pair.numerator], top_total, records),
                    Total(self.data.metrics[pair.denominator], bottom_total, records),
                    top_total.amount / bottom_total.amount,
                    tuple(sorted(excluded)))

    # --- the dimensions

    def overall(self) -> Slice:
        return self.slice_of("all", "全部", self.campaigns, self.cases)

    def _grouped(self, name: str, campaign_keys: Callable[[_CampaignFacts], Iterable[str]],
                 case_keys: Callable[[_CaseFacts], Iterable[str]]) -> _Groups:
        """Records bucketed by key; a bucket keeps record order, a record once (each kind of
        key is a dimension `name`)."""
        return _Groups(self.memo._bucketed(f"{name} campaigns", self.campaigns, campaign_keys),
                       self.memo._bucketed(f"{name} cases", self.cases, case_keys))

    def _group_slice(self, groups: _Groups, key: str, label: str) -> Slice:
        return self.slice_of(key, label, groups.campaigns.get(key), groups.cases.get(key))

    def years(self) -> list[Slice]:
        groups = self._grouped("years", _YEAR, _YEAR)
        return [self._group_slice(groups, year, f"{year}年")
                for year in sorted(groups.all_keys(), key=int)]

    def regions(self) -> list[RegionNode]:
        groups = self._grouped("regions", _NODES, _NODES)
        nodes = sorted(groups.all_keys())  # sorted paths are depth first: parents before children
        children: dict[str, list[str]] = {}
        for path in nodes:
            if "/" in path:
                children.setdefault(path.rsplit("/", 1)[0], []).append(path)
        found = []
        for path in nodes:
            parts = path.split("/")
            found.append(RegionNode(
                path=path,
                name=parts[-1],
                level=len(parts),
                parent="/".join(parts[:-1]) or None,
                children=tuple(children.get(path, ())),
                slice=self._group_slice(groups, path, path.replace("/", "")),
            ))
        return found

    def topics(self) -> list[Slice]:
        groups = self._grouped("topics", _TOPICS, _TOPICS)
        return [self._group_slice(groups, topic.slug, topic.name)
                for topic in self.order.topics
                if topic.slug in groups]

    def work_of(self, key: str, label: str, group: set[str], members: tuple[str, ...] = ()) -> AgencyWork:
        """What the agencies `group` (slugs) did: their own campaigns and shares, and the joint
        campaigns they took part in (see `AgencyWork`).

        Kept from the call before when the facts of the group's campaigns and cases are the
        same objects: their order is that of their sort keys, which are among the facts."""
        slugs = sorted(group)
        campaigns = tuple(self.by_agency.campaigns.get(slug) for slug in slugs)
        cases = tuple(self.by_agency.cases.get(slug) for slug in slugs)
        return self.memo._work(
            ("roll-up" if members else "agency", key), (label, members, slugs, campaigns, cases),
            lambda kept: kept[:3] == (label, members, slugs) and _same_all(kept[3], campaigns)  # type: ignore[arg-type]
            and _same_all(kept[4], cases),  # type: ignore[arg-type]
            lambda: self._work_of(key, label, group, members))

    def _work_of(self, key: str, label: str, group: set[str], members: tuple[str, ...]) -> AgencyWork:
        own: list[str] = []
        joint: list[str] = []
        figures: list[tuple[str, dict[str, Quantity]]] = []
        taking_part = {rank for slug in group for rank in self.by_agency.campaigns.positions.get(slug, ())}
        for rank in sorted(taking_part):
            entry = self.campaigns[rank]
            if entry.agencies <= group:
                own.append(entry.id)
                figures.append((entry.id, entry.counted))
                continue
            joint.append(entry.id)
            shares = self._shares(entry, group)
            if shares:
                figures.append((entry.id, shares))
        joint_ids = set(joint)
        shared = tuple(record for record, _ in figures if record in joint_ids)
        mine = [rank for slug in group for rank in self.by_agency.cases.positions.get(slug, ())]
        if len(group) > 1:
            mine.sort()
        cases = tuple(self.cases[rank].id for rank in mine)
        return AgencyWork(key, label, tuple(own), tuple(joint), shared, tuple(self._totals(figures)), cases,
                          members)

    @staticmethod
    def _shares(entry: _CampaignFacts, group: set[str]) -> dict[str, Quantity]:
        """The group's shares of a joint campaign's counted figures (``by_agency``)."""
        found = {}
        for name, shares in entry.shares:
            mine = [value for agency, value in shares if agency in group]
            if mine:
                total = sum_quantities(mine)
                assert total is not None
                found[name] = total
        return found

    def agencies(self) -> list[AgencyWork]:
        involved = self.by_agency.all_keys()
        return [self.work_of(agency.slug, agency.name, {agency.slug})
                for agency in self.order.agencies if agency.slug in involved]

    def roll_ups(self) -> list[AgencyWork]:
        return [self.work_of(agency.slug, agency.name, {agency.slug, *below}, below)
                for agency, below in self.memo._keep("roll-ups", self.order.agencies, self._roll_up_groups)]

    def _roll_up_groups(self) -> list[tuple[Agency, tuple[str, ...]]]:
        """Each court and procuratorate with the agencies of its kind below it (registry order)."""
        found = []
        by_kind: dict[str, list[tuple[str, str]]] = {}  # kind -> (slug, region path), registry order
        for agency in self.order.agencies:
            by_kind.setdefault(agency.kind, []).append((agency.slug, _region_path(agency.region)))
        for agency in self.order.agencies:
            if agency.kind not in ROLL_UP_KINDS:
                continue
            prefix = _region_path(agency.region) + "/"
            below = tuple(slug for slug, path in by_kind[agency.kind] if path.startswith(prefix))
            if below:
                found.append((agency, below))
        return found

    def agency_kinds(self) -> list[Slice]:
        groups = self._grouped("kinds", _KINDS, _KINDS)
        return [self._group_slice(groups, kind, kind) for kind in AGENCY_KINDS
                if kind in groups]


def _year(record: _CampaignFacts | _CaseFacts) -> tuple[str]:
    return (str(record.year),)


_YEAR = _year
_NODES = operator.attrgetter("nodes")
_TOPICS = operator.attrgetter("topics")
_KINDS = operator.attrgetter("kinds")
_AGENCIES = operator.attrgetter("agencies")
_COUNTED = operator.attrgetter("counted")
_VALUES = operator.attrgetter("values")


def _reported(records: tuple[F, ...], values_of: Callable[[F], dict[str, Quantity]],
              ) -> dict[str, tuple[list[Quantity], list[str]]]:
    """Each metric's values over `records` and the records reporting it, in record order."""
    found: dict[str, tuple[list[Quantity], list[str]]] = {}
    for record in records:
        for name, value in values_of(record).items():
            reported = found.get(name)
            if reported is None:
                reported = found[name] = ([], [])
            reported[0].append(value)
            reported[1].append(record.id)
    return found


@dataclass(frozen=True)
class _Groups:
    """Campaigns and cases bucketed by the same kind of key."""

    campaigns: _Bucketed[_CampaignFacts]
    cases: _Bucketed[_CaseFacts]

    def all_keys(self) -> set[str]:
        return self.campaigns.positions.keys() | self.cases.positions.keys()

    def __contains__(self, key: str) -> bool:
        return key in self.campaigns or key in self.cases


def _latest(years: list[Slice]) -> Slice | None:
    """The latest year with counted campaign figures, else the latest year with records."""
    with_figures = [year for year in years if year.totals]
    if with_figures:
        return with_figures[-1]
    return years[-1] if years else None


def aggregate(dataset: Dataset, memo: StatsMemo | None = None) -> Stats:
    """Totals, rates and region roll-ups of `dataset`, which must be the published-only view.

    Registries keep their file order; records are sorted, so the order in which the data set
    holds them does not matter. `memo`, kept by a process that aggregates again after each
    edit (the preview), reuses what the calls before worked out where the changes since cannot
    have reached (`StatsMemo`); the statistics are the same either way.
    """
    agg = _Aggregator(dataset, memo if memo is not None else StatsMemo())
    kept = agg.memo._kept_stats(agg.key)
    if kept is not None:
        return replace(kept, order=agg.order)
    years = agg.years()
    stats = Stats(
        overall=agg.overall(),
        years=tuple(years),
        latest=_latest(years),
        regions=tuple(agg.regions()),
        topics=tuple(agg.topics()),
        agency_kinds=tuple(agg.agency_kinds()),
        agencies=tuple(agg.agencies()),
        roll_ups=tuple(agg.roll_ups()),
        nested=tuple(sorted(e.id for e in agg.campaigns if e.part_of is not None)),
        covered=tuple(sorted((c for e in agg.campaigns for c in e.covered),
                             key=lambda c: c.campaign)),  # stable: record order
        unplaced=tuple(sorted(e.id for e in agg.campaigns if not e.nodes)),
        order=agg.order,
    )
    agg.memo._end(agg.key, stats)
    return stats
