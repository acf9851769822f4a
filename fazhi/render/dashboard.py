"""The home page and the 数据 dashboard, from the statistics of `fazhi.stats`.

Charts arrive as `Escaped` SVG from `fazhi.render.charts`. Pages:

- ``index.md``: the home page: the latest year's figures, a chart, the newest records;
- ``stats/index.md``: totals by year, region, topic and agency kind, rates, case figures,
  charts (each followed by a table of the same numbers) and the 方法说明.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi.dataset import Dataset
from fazhi.models import Metric
from fazhi.render import address
from fazhi.render.browse import region_addresses, region_link
from fazhi.render.charts import Chart, Series, chart_svg
from fazhi.render.collection import CAMPAIGNS, CASES, campaign_key, collection
from fazhi.render.kit import Link, RenderedPage, rate_rows, render_template, total_rows
from fazhi.stats import Slice, Stats, Total
from fazhi.text import Escaped
from fazhi.values import Quantity, format_quantity

__all__ = ["COVERED_SHOWN", "KEY_METRICS", "NEWEST", "Dashboard"]

#: How many of the newest campaigns and cases the home page lists.
NEWEST = 5
#: The dashboard's method notes name at most this many figures not counted twice; each
#: campaign page notes its own.
COVERED_SHOWN = 20
#: At most this many metrics get their own charts on the dashboard.
KEY_METRICS = 3

_CAMPAIGN_UNIT = "项"
_CASE_UNIT = "件"


# --- views --------------------------------------------------------------------------------


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


# --- formatting ---------------------------------------------------------------------------


def _count(number: int, unit: str) -> Quantity:
    return Quantity(Decimal(number), unit)


def _figures_text(totals: Sequence[Total]) -> str:
    """出动干警76人；执结标的101.2万元 — a slice's totals on one line."""
    return "；".join(f"{t.metric.name}{format_quantity(t.value)}" for t in totals)


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


class Dashboard:
    """The data set and its statistics, with the lookups the pages need."""

    def __init__(self, dataset: Dataset, stats: Stats) -> None:
        self.data = dataset
        self.stats = stats
        self.key_metrics = _key_metrics(stats)
        self.order_topics = {topic.slug: topic for topic in stats.order.topics}

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

    def stats_reads(self) -> tuple[Hashable, ...]:
        """What `stats_page` shows beyond the registries: the overall, yearly, provincial, city,
        topic and agency-kind slices, every region's path (for the links), the nested and
        covered figures and the titles of the campaigns they name, the campaigns without a region."""
        stats = self.stats
        cities = tuple((node.path, node.slice) for level in (1, 2) for node in stats.regions_at(level))
        named = dict.fromkeys(campaign_key(i) for c in stats.covered[:COVERED_SHOWN] for i in (c.campaign, c.ancestor))
        return (stats.overall, stats.years, tuple(node.path for node in stats.regions), cities, stats.topics,
                stats.agency_kinds, len(stats.nested), stats.covered, *named, "unplaced",
                *(campaign_key(i) for i in stats.unplaced))

    def stats_page(self) -> RenderedPage:
        """``stats/index.md``: totals, rates, the dimensions, case figures, 方法说明."""
        here = address.STATS
        stats = self.stats
        years = stats.years
        provinces = stats.regions_at(1)
        cities = stats.regions_at(2)
        regions = region_addresses(stats)
        sections = [
            self._section("按年份", "专项行动按开始的年份、典型案例按发生的年份归入。", "年份", "各年份",
                          years, [y.label for y in years], [None] * len(years), horizontal=False),
            self._section("按省级地区", "地区包括其下的市、县。", "地区", "各省级地区",
                          [n.slice for n in provinces], [n.name for n in provinces],
                          [region_link(n, here, regions) for n in provinces]),
            self._section("按市级地区", "地区包括其下的县（区、旗）；只写到省级的行动不在本表中。",
                          "地区", "各市级地区",
                          [n.slice for n in cities], [n.name for n in cities],
                          [region_link(n, here, regions) for n in cities]),
            self._section("按专题", "一项行动属于几个专题，就在每个专题下各计一次，"
                          "所以各专题的数字相加会大于总计。", "专题", "各专题",
                          stats.topics, [t.label for t in stats.topics],
                          [address.topic(self.order_topics[t.key]).link(here) for t in stats.topics]),
            self._section("按机关类别", "一项行动由几类机关共同开展，就在每一类下各计一次。",
                          "机关类别", "各类机关", stats.agency_kinds,
                          [k.label for k in stats.agency_kinds], [None] * len(stats.agency_kinds)),
        ]
        covered = [f"{self.data.campaigns[c.campaign].model.title}的{c.metric.name}"
                   f"{format_quantity(c.value)}（已含在{self.data.campaigns[c.ancestor].model.title}中）"
                   for c in stats.covered]
        markdown = render_template(
            "stats.md.j2",
            title="数据",
            description="各地专项行动报告的主要数字：按年份、地区、专题和机关类别汇总，附统计方法说明。",
            campaigns=len(stats.overall.campaigns),
            cases=len(stats.overall.cases),
            nested=len(stats.nested),
            totals=total_rows(stats.overall.totals, "项行动"),
            rates=rate_rows(stats.overall),
            sections=sections,
            case_totals=total_rows(stats.overall.case_totals, "件案例"),
            covered=covered[:COVERED_SHOWN],
            covered_more=len(covered) - len(covered[:COVERED_SHOWN]),
            unplaced=[self.data.campaigns[c].model.title for c in stats.unplaced],
        )
        return RenderedPage(here.path, markdown, None)

    # --- the home page

    def home_reads(self) -> tuple[Hashable, ...]:
        """What `home_page` shows: the latest year's slice, each year's counts, the newest records."""
        stats = self.stats
        years = tuple((y.label, len(y.campaigns), len(y.cases)) for y in stats.years)
        return (stats.latest, years,
                *collection(CAMPAIGNS, stats.order, stats.order.campaigns).reads(NEWEST),
                *collection(CASES, stats.order, stats.order.cases).reads(NEWEST))

    def home_page(self) -> RenderedPage:
        """``index.md``: intro, the latest year's figures, a chart, the newest records."""
        here = address.HOME
        stats = self.stats
        latest = stats.latest
        years = stats.years
        chart = None
        if years:
            chart = _chart_view(_records_chart("各年份收录的专项行动和典型案例数", "年份",
                                               [y.label for y in years], years, horizontal=False))
        markdown = render_template(
            "home.md.j2",
            title="法治公开",
            description="法院、检察院和司法行政机关公开发布的专项行动与典型案例，每个数字都标明出处。",
            latest=latest,
            latest_totals=total_rows(latest.totals, "项行动") if latest else [],
            latest_cases=_figures_text(latest.case_totals) if latest else "",
            chart=chart,
            campaigns=collection(CAMPAIGNS, stats.order, stats.order.campaigns).items(here, CAMPAIGNS.where, NEWEST),
            cases=collection(CASES, stats.order, stats.order.cases).items(here, CASES.where, NEWEST),
            all_campaigns=address.section_index("campaigns").link(here, "全部专项行动"),
            all_cases=address.section_index("cases").link(here, "全部典型案例"),
        )
        return RenderedPage(here.path, markdown, None)
