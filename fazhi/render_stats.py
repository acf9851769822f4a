"""Render the statistics pages: the home page, the 数据 dashboard and the region pages.

`render_stats` is pure, like `fazhi.render.render_pages`, and uses its template environment:
every value a template writes goes through an escaping filter, charts arrive as `Escaped`
SVG from `fazhi.charts`. Pages (paths relative to the docs directory):

- ``index.md``: the home page: the latest year's figures, a chart, the newest records;
- ``stats/index.md``: totals by year, region, topic and agency kind, rates, case figures,
  charts (each followed by a table of the same numbers) and the 方法说明;
- ``regions/index.md`` and ``regions/<slug>.md``: one page per province, city and county,
  rolling up everything at or below it (`fazhi.stats.region_slug` names the pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fazhi.charts import Chart, Series, chart_svg
from fazhi.dataset import Dataset
from fazhi.models import Metric
from fazhi.render import (
    SHORT_LIST,
    Capped,
    Item,
    Link,
    RenderedPage,
    _campaign_link,
    _campaign_when,
    _case_link,
    _href,
    _region,
    _render,
    archive_links,
    is_archived,
    total_rows,
)
from fazhi.stats import RegionNode, Slice, Stats, Total
from fazhi.text import Escaped
from fazhi.values import Quantity, format_quantity

__all__ = ["render_stats"]

#: How many of the newest campaigns and cases the home page lists.
NEWEST = 5
#: The dashboard's method notes name at most this many figures not counted twice; each
#: campaign page notes its own.
COVERED_SHOWN = 20
#: At most this many metrics get their own charts on the dashboard.
KEY_METRICS = 3
#: Level names of region nodes, by depth.
LEVELS: dict[int, str] = {1: "省级", 2: "市级", 3: "县级"}

_CAMPAIGN_UNIT = "项"
_CASE_UNIT = "件"


# --- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    """A rate with the sums it comes from."""

    name: str
    value: str
    basis: str


@dataclass(frozen=True)
class SliceRow:
    """One row of a by-year, by-region, by-topic or by-kind table."""

    label: str
    link: Link | None
    campaigns: str
    cases: str
    figures: str


@dataclass(frozen=True)
class ChartView:
    """A chart with the table that repeats its numbers."""

    heading: str
    svg: Escaped
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Section:
    """A dimension of the dashboard: its chart and table, then charts of key metrics."""

    heading: str
    intro: str
    label_heading: str
    figures_intro: str
    chart: ChartView | None
    rows: list[SliceRow]
    metric_charts: list[ChartView]


@dataclass(frozen=True)
class TreeRow:
    """A region in the regions index, indented by level."""

    level: int
    item: Item


# --- formatting ---------------------------------------------------------------------------


def _at(link: Link, here: str) -> Link:
    """`link` as written on a page in directory `here`; "" is the docs root (the home page),
    where ``../campaigns/x.md`` is ``campaigns/x.md``."""
    if here == "" and link.href.startswith("../"):
        return Link(link.text, link.href.removeprefix("../"))
    return link


def _count(number: int, unit: str) -> Quantity:
    return Quantity(Decimal(number), unit)


def _figures_text(totals: Sequence[Total]) -> str:
    """出动干警76人；执结标的101.2万元 — a slice's totals on one line."""
    return "；".join(f"{t.metric.name}{format_quantity(t.value)}" for t in totals)


def _percent(value: Decimal) -> str:
    """0.302325… → 30.2%."""
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _rate_rows(slice_: Slice) -> list[RateRow]:
    rows = []
    for rate in slice_.rates:
        basis = (f"{rate.numerator.metric.name}{format_quantity(rate.numerator.value)} ÷ "
                 f"{rate.denominator.metric.name}{format_quantity(rate.denominator.value)}，"
                 f"{len(rate.numerator.records)}项行动")
        if rate.excluded:
            basis += f"；另有{len(rate.excluded)}项行动的数字为约数，未计入"
        rows.append(RateRow(rate.pair.name, _percent(rate.value), basis))
    return rows


def _chart_view(chart: Chart) -> ChartView:
    return ChartView(chart.title, chart_svg(chart), [s.name for s in chart.series], chart.rows())


def _records_chart(title: str, heading: str, labels: Sequence[str], slices: Sequence[Slice],
                   horizontal: bool) -> Chart:
    """How many campaigns and cases each slice holds."""
    return Chart(
        title=title,
        heading=heading,
        labels=tuple(labels),
        series=(
            Series("专项行动", tuple(_count(len(s.campaigns), _CAMPAIGN_UNIT) for s in slices)),
            Series("典型案例", tuple(_count(len(s.cases), _CASE_UNIT) for s in slices)),
        ),
        horizontal=horizontal,
    )


def _metric_total(slice_: Slice, metric: Metric) -> Quantity | None:
    return next((t.value for t in slice_.totals if t.metric.name == metric.name), None)


def _key_metrics(stats: Stats) -> list[Metric]:
    """The metrics most campaigns report (at least two), most reported first."""
    reported = [t for t in stats.overall.totals if len(t.records) >= 2]
    reported.sort(key=lambda t: -len(t.records))  # stable: registry order among equals
    return [t.metric for t in reported[:KEY_METRICS]]


def _metric_charts(metrics: Sequence[Metric], what: str, heading: str, labels: Sequence[str],
                   slices: Sequence[Slice], horizontal: bool) -> list[ChartView]:
    """A chart per key metric, where at least two slices report it."""
    charts = []
    for metric in metrics:
        pairs = [(label, value) for label, s in zip(labels, slices, strict=True)
                 if (value := _metric_total(s, metric)) is not None]
        if len(pairs) < 2:
            continue
        charts.append(_chart_view(Chart(
            title=f"{what}的{metric.name}",
            heading=heading,
            labels=tuple(label for label, _ in pairs),
            series=(Series(metric.name, tuple(value for _, value in pairs)),),
            horizontal=horizontal,
        )))
    return charts


# --- pages --------------------------------------------------------------------------------


class _StatsSite:
    """The data set and its statistics, with the lookups the pages need."""

    def __init__(self, dataset: Dataset, stats: Stats) -> None:
        self.data = dataset
        self.stats = stats
        self.key_metrics = _key_metrics(stats)

    def _campaign_items(self, ids: Sequence[str], here: str, limit: int | None = None) -> list[Item]:
        entries = [self.data.campaigns[i] for i in ids[:limit]]
        return [Item(_at(_campaign_link(e, here), here),
                     f"{_campaign_when(e)}，{_region(e.region) or '跨地区'}")
                for e in entries]

    def _case_items(self, ids: Sequence[str], here: str, limit: int | None = None) -> list[Item]:
        entries = [self.data.cases[i] for i in ids[:limit]]
        return [Item(_at(_case_link(e, here), here), f"{e.model.date.chinese()}，{e.agency.name}")
                for e in entries]

    def _region_link(self, node: RegionNode, here: str, text: str | None = None) -> Link:
        return Link(text or node.name, _href(here, "regions", node.slug))

    def _section(self, heading: str, intro: str, label_heading: str, what: str,
                 slices: Sequence[Slice], labels: Sequence[str],
                 links: Sequence[Link | None], horizontal: bool = True) -> Section:
        """A dimension: a chart of its records, the table of the same counts with each
        slice's totals, and charts of the key metrics. Years read left to right (vertical
        bars); long names read better as horizontal bars."""
        chart = _records_chart(f"{what}收录的专项行动和典型案例数", label_heading, labels, slices,
                               horizontal)
        rows = [SliceRow(label, link, campaigns, cases, _figures_text(s.totals))
                for (label, (campaigns, cases)), link, s in zip(chart.rows(), links, slices, strict=True)]
        return Section(
            heading=heading,
            intro=intro,
            label_heading=label_heading,
            figures_intro=f"{what}专项行动报告的数字：",
            chart=_chart_view(chart) if slices else None,
            rows=rows,
            metric_charts=_metric_charts(self.key_metrics, what, label_heading, labels, slices,
                                         chart.horizontal),
        )

    # --- the dashboard

    def stats_page(self) -> RenderedPage:
        """``stats/index.md``: totals, rates, the dimensions, case figures, 方法说明."""
        here = "stats"
        stats = self.stats
        years = stats.years
        provinces = stats.regions_at(1)
        cities = stats.regions_at(2)
        sections = [
            self._section("按年份", "专项行动按开始的年份、典型案例按发生的年份归入。", "年份", "各年份",
                          years, [y.label for y in years], [None] * len(years), horizontal=False),
            self._section("按省级地区", "地区包括其下的市、县。", "地区", "各省级地区",
                          [n.slice for n in provinces], [n.name for n in provinces],
                          [self._region_link(n, here) for n in provinces]),
            self._section("按市级地区", "地区包括其下的县（区、旗）；只写到省级的行动不在本表中。",
                          "地区", "各市级地区",
                          [n.slice for n in cities], [n.name for n in cities],
                          [self._region_link(n, here) for n in cities]),
            self._section("按专题", "一项行动属于几个专题，就在每个专题下各计一次，"
                          "所以各专题的数字相加会大于总计。", "专题", "各专题",
                          stats.topics, [t.label for t in stats.topics],
                          [Link(t.label, _href(here, "topics", t.key)) for t in stats.topics]),
            self._section("按机关类别", "一项行动由几类机关共同开展，就在每一类下各计一次。",
                          "机关类别", "各类机关", stats.agency_kinds,
                          [k.label for k in stats.agency_kinds], [None] * len(stats.agency_kinds)),
        ]
        covered = [f"{self.data.campaigns[c.campaign].model.title}的{c.metric.name}"
                   f"{format_quantity(c.value)}（已含在{self.data.campaigns[c.ancestor].model.title}中）"
                   for c in stats.covered]
        markdown = _render(
            "stats.md.j2",
            title="数据",
            description="各地专项行动报告的主要数字：按年份、地区、专题和机关类别汇总，附统计方法说明。",
            campaigns=len(stats.overall.campaigns),
            cases=len(stats.overall.cases),
            nested=len(stats.nested),
            totals=total_rows(stats.overall.totals, "项行动"),
            rates=_rate_rows(stats.overall),
            sections=sections,
            case_totals=total_rows(stats.overall.case_totals, "件案例"),
            covered=covered[:COVERED_SHOWN],
            covered_more=len(covered) - len(covered[:COVERED_SHOWN]),
            unplaced=[self.data.campaigns[c].model.title for c in stats.unplaced],
        )
        return RenderedPage(f"{here}/index.md", markdown, None)

    # --- the home page

    def home_page(self) -> RenderedPage:
        """``index.md``: intro, the latest year's figures, a chart, the newest records."""
        here = ""
        stats = self.stats
        latest = stats.latest
        years = stats.years
        chart = None
        if years:
            chart = _chart_view(_records_chart("各年份收录的专项行动和典型案例数", "年份",
                                               [y.label for y in years], years, horizontal=False))
        markdown = _render(
            "home.md.j2",
            title="法治公开",
            description="法院、检察院和司法行政机关公开发布的专项行动与典型案例，每个数字都标明出处。",
            latest=latest,
            latest_totals=total_rows(latest.totals, "项行动") if latest else [],
            latest_cases=_figures_text(latest.case_totals) if latest else "",
            chart=chart,
            campaigns=self._campaign_items(stats.overall.campaigns, here, NEWEST),
            cases=self._case_items(stats.overall.cases, here, NEWEST),
        )
        return RenderedPage("index.md", markdown, None)

    # --- regions

    def regions_index(self) -> RenderedPage:
        """``regions/index.md``: every region as a tree, with its counts."""
        here = "regions"
        rows = [TreeRow(node.level, Item(self._region_link(node, here), self._region_note(node)))
                for node in self.stats.regions]
        markdown = _render(
            "regions_index.md.j2",
            title="地区",
            description="按省、市、县浏览专项行动和典型案例，每个地区都汇总其下各地的数字。",
            provinces=len(self.stats.regions_at(1)),
            rows=rows,
            unplaced=self._campaign_items(self.stats.unplaced, here),
        )
        return RenderedPage(f"{here}/index.md", markdown, None)

    def _region_note(self, node: RegionNode) -> str:
        return f"行动{len(node.slice.campaigns)}项，案例{len(node.slice.cases)}件"

    def region_page(self, node: RegionNode) -> RenderedPage:
        """``regions/<slug>.md``: the region's totals and records, including those below it."""
        here = "regions"
        stats = self.stats
        ancestors = []
        parent = node.parent
        while parent is not None:
            found = stats.region(parent)
            ancestors.insert(0, self._region_link(found, here, found.name))
            parent = found.parent
        children = [Item(self._region_link(stats.region(c), here), self._region_note(stats.region(c)))
                    for c in node.children]
        slice_ = node.slice
        markdown = _render(
            "region.md.j2",
            title=node.full_name,
            description=f"{node.full_name}（含下辖各地）的专项行动、典型案例和主要数字。",
            node=node,
            level=LEVELS.get(node.level, ""),
            ancestors=ancestors,
            children=children,
            child_level=LEVELS.get(node.level + 1, "下级"),
            totals=total_rows(slice_.totals, "项行动"),
            rates=_rate_rows(slice_),
            case_totals=total_rows(slice_.case_totals, "件案例"),
            campaigns=self._campaign_items(slice_.campaigns, here),
            cases=self._region_cases(node, here),
        )
        return RenderedPage(f"{here}/{node.slug}.md", markdown, None)

    def _region_cases(self, node: RegionNode, here: str) -> Capped:
        """The region's cases: all, or the newest and links to the yearly archive."""
        ids = node.slice.cases
        if not is_archived(len(self.data.cases)) or len(ids) <= SHORT_LIST:
            return Capped(self._case_items(ids, here), len(ids))
        years = (self.data.cases[i].model.date.year for i in ids)
        return Capped(self._case_items(ids, here, SHORT_LIST), len(ids),
                      archive_links(years, "cases", here, "region", node.path))


def render_stats(dataset: Dataset, stats: Stats) -> list[RenderedPage]:
    """The statistics pages for `dataset` (the published-only view) and its `stats`.

    Returns ``index.md``, ``stats/index.md``, the region pages (depth first) and
    ``regions/index.md``. The output depends only on the data: rendering twice gives the
    same pages.
    """
    site = _StatsSite(dataset, stats)
    pages = [site.home_page(), site.stats_page()]
    pages += [site.region_page(node) for node in stats.regions]
    pages.append(site.regions_index())
    return pages
