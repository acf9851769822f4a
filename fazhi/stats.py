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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import Metric
from fazhi.ordering import AGENCY_KINDS, Ordering, order
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
    "Total",
    "aggregate",
]

#: Significant digits an approximate total keeps (see `_rounded`).
_SIGNIFICANT = 4
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


# --- aggregation --------------------------------------------------------------------------


class _Aggregator:
    """The published data set, sorted, with the counted figure of every campaign."""

    def __init__(self, dataset: Dataset) -> None:
        self.data = dataset
        self.order = order(dataset)
        self.metrics = self.order.metrics
        self.campaigns = list(self.order.campaigns)
        self.cases = list(self.order.cases)
        self.covered: list[Covered] = []
        self.counted: dict[str, dict[str, Quantity]] = {}
        for entry in self.campaigns:
            self.counted[entry.id] = self._counted_figures(entry)
        self.rate_pairs = [pair for pair in RATE_PAIRS
                           if pair.numerator in dataset.metrics and pair.denominator in dataset.metrics]
        self.case_values: dict[str, dict[str, Quantity]] = {
            case.id: {name: figure.value for name, figure in case.figures.items()} for case in self.cases}
        """Each case's figures (every one counts: cases are never nested)."""
        self.cases_by_agency: dict[str, list[tuple[int, CaseEntry]]] = {}
        """Each agency's cases with their place in `cases`, in that order."""
        for rank, case in enumerate(self.cases):
            self.cases_by_agency.setdefault(case.agency.slug, []).append((rank, case))
        self.agency_slugs: dict[str, frozenset[str]] = {}
        """Each campaign's agencies (slugs)."""
        self.campaigns_by_agency: dict[str, list[tuple[int, CampaignEntry]]] = {}
        """Each agency's campaigns with their place in `campaigns`, in that order."""
        for rank, entry in enumerate(self.campaigns):
            slugs = self.agency_slugs[entry.id] = frozenset(agency.slug for agency in entry.agencies)
            for slug in slugs:
                self.campaigns_by_agency.setdefault(slug, []).append((rank, entry))

    def _ancestors(self, entry: CampaignEntry) -> list[CampaignEntry]:
        """The enclosing campaigns, nearest first (validation has ruled out cycles)."""
        found: list[CampaignEntry] = []
        parent = entry.model.part_of
        while parent is not None and parent in self.data.campaigns and len(found) < len(self.data.campaigns):
            found.append(self.data.campaigns[parent])
            parent = self.data.campaigns[parent].model.part_of
        return found

    def _counted_figures(self, entry: CampaignEntry) -> dict[str, Quantity]:
        """The figures of `entry` that no enclosing campaign already includes."""
        counted = {}
        ancestors = self._ancestors(entry)
        for name, figure in entry.figures.items():
            cover = next((a for a in ancestors if name in a.figures), None)
            if cover is None:
                counted[name] = figure.value
            else:
                self.covered.append(Covered(entry.id, figure.metric, figure.value, cover.id))
        return counted

    # --- slices

    def slice_of(self, key: str, label: str, campaigns: list[CampaignEntry],
                 cases: list[CaseEntry]) -> Slice:
        """These records (newest first) with their totals and rates."""
        totals = self._totals([(e.id, self.counted[e.id]) for e in campaigns])
        case_totals = self._totals([(e.id, self.case_values[e.id]) for e in cases])
        rates = [rate for pair in self.rate_pairs if (rate := self._rate(pair, campaigns))]
        return Slice(key, label, tuple(e.id for e in campaigns), tuple(e.id for e in cases),
                     tuple(totals), tuple(case_totals), tuple(rates))

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

    def _rate(self, pair: RatePair, campaigns: list[CampaignEntry]) -> Rate | None:
        exact: list[tuple[str, Quantity, Quantity]] = []
        excluded: list[str] = []
        for entry in campaigns:
            values = self.counted[entry.id]
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

    def _grouped(self, campaign_keys: Callable[[CampaignEntry], Iterable[str]],
                 case_keys: Callable[[CaseEntry], Iterable[str]]) -> _Groups:
        """Records bucketed by key in one pass; a bucket keeps record order, a record once."""
        campaigns: dict[str, list[CampaignEntry]] = {}
        cases: dict[str, list[CaseEntry]] = {}
        for entry in self.campaigns:
            for key in dict.fromkeys(campaign_keys(entry)):
                campaigns.setdefault(key, []).append(entry)
        for case in self.cases:
            for key in dict.fromkeys(case_keys(case)):
                cases.setdefault(key, []).append(case)
        return _Groups(campaigns, cases)

    def _group_slice(self, groups: _Groups, key: str, label: str) -> Slice:
        return self.slice_of(key, label, groups.campaigns.get(key, []), groups.cases.get(key, []))

    def years(self) -> list[Slice]:
        groups = self._grouped(lambda e: [str(e.model.start.year)], lambda e: [str(e.model.date.year)])
        return [self._group_slice(groups, year, f"{year}年")
                for year in sorted(groups.all_keys(), key=int)]

    def regions(self) -> list[RegionNode]:
        paths: dict[str, list[str]] = {}  # region as stored -> its nodes; agencies share regions

        def nodes_of(region: str) -> list[str]:
            found = paths.get(region)
            if found is None:
                found = paths[region] = _prefixes(_region_path(region))
            return found

        groups = self._grouped(lambda e: nodes_of(e.region), lambda e: nodes_of(e.agency.region))
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
        groups = self._grouped(lambda e: [t.slug for t in e.topics], lambda e: [t.slug for t in e.topics])
        return [self._group_slice(groups, topic.slug, topic.name)
                for topic in self.order.topics
                if topic.slug in groups]

    def work_of(self, key: str, label: str, group: set[str], members: tuple[str, ...] = ()) -> AgencyWork:
        """What the agencies `group` (slugs) did: their own campaigns and shares, and the joint
        campaigns they took part in (see `AgencyWork`)."""
        own: list[str] = []
        joint: list[str] = []
        figures: list[tuple[str, dict[str, Quantity]]] = []
        taking_part = {entry.id: (rank, entry)
                       for slug in group for rank, entry in self.campaigns_by_agency.get(slug, [])}
        for _, entry in sorted(taking_part.values(), key=lambda ranked: ranked[0]):
            slugs = self.agency_slugs[entry.id]
            if slugs <= group:
                own.append(entry.id)
                figures.append((entry.id, self.counted[entry.id]))
                continue
            joint.append(entry.id)
            shares = self._shares(entry, group)
            if shares:
                figures.append((entry.id, shares))
        joint_ids = set(joint)
        shared = tuple(record for record, _ in figures if record in joint_ids)
        mine = [case for slug in group for case in self.cases_by_agency.get(slug, [])]
        if len(group) > 1:
            mine.sort(key=lambda ranked: ranked[0])
        cases = tuple(case.id for _, case in mine)
        return AgencyWork(key, label, tuple(own), tuple(joint), shared, tuple(self._totals(figures)), cases,
                          members)

    def _shares(self, entry: CampaignEntry, group: set[str]) -> dict[str, Quantity]:
        """The group's shares of a joint campaign's counted figures (``by_agency``)."""
        found = {}
        for name, figure in entry.figures.items():
            mine = [value for agency, value in figure.shares if agency.slug in group]
            if mine and name in self.counted[entry.id]:
                total = sum_quantities(mine)
                assert total is not None
                found[name] = total
        return found

    def agencies(self) -> list[AgencyWork]:
        involved = {a.slug for e in self.campaigns for a in e.agencies} | {e.agency.slug for e in self.cases}
        return [self.work_of(agency.slug, agency.name, {agency.slug})
                for agency in self.order.agencies if agency.slug in involved]

    def roll_ups(self) -> list[AgencyWork]:
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
                found.append(self.work_of(agency.slug, agency.name, {agency.slug, *below}, below))
        return found

    def agency_kinds(self) -> list[Slice]:
        groups = self._grouped(lambda e: [a.kind for a in e.agencies], lambda e: [e.agency.kind])
        return [self._group_slice(groups, kind, kind) for kind in AGENCY_KINDS
                if kind in groups]


@dataclass(frozen=True)
class _Groups:
    """Campaigns and cases bucketed by the same kind of key."""

    campaigns: dict[str, list[CampaignEntry]]
    cases: dict[str, list[CaseEntry]]

    def all_keys(self) -> set[str]:
        return self.campaigns.keys() | self.cases.keys()

    def __contains__(self, key: str) -> bool:
        return key in self.campaigns or key in self.cases


def _latest(years: list[Slice]) -> Slice | None:
    """The latest year with counted campaign figures, else the latest year with records."""
    with_figures = [year for year in years if year.totals]
    if with_figures:
        return with_figures[-1]
    return years[-1] if years else None


def aggregate(dataset: Dataset) -> Stats:
    """Totals, rates and region roll-ups of `dataset`, which must be the published-only view.

    Registries keep their file order; records are sorted, so the order in which the data set
    holds them does not matter.
    """
    agg = _Aggregator(dataset)
    years = agg.years()
    return Stats(
        overall=agg.overall(),
        years=tuple(years),
        latest=_latest(years),
        regions=tuple(agg.regions()),
        topics=tuple(agg.topics()),
        agency_kinds=tuple(agg.agency_kinds()),
        agencies=tuple(agg.agencies()),
        roll_ups=tuple(agg.roll_ups()),
        nested=tuple(sorted(e.id for e in agg.campaigns if e.model.part_of is not None)),
        covered=tuple(sorted(agg.covered, key=lambda c: c.campaign)),  # stable: record order
        unplaced=tuple(sorted(e.id for e in agg.campaigns if not _region_path(e.region))),
        order=agg.order,
    )
