"""Statistics: the aggregation rules, the statistics pages (golden files) and their safety."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset, Figure
from fazhi.models import Agency, Campaign, Case, Metric, PartialDate, Source, Topic
from fazhi.render.address import region_slug
from fazhi.stats import RATE_PAIRS, Stats, aggregate
from fazhi.values import Qualifier, Quantity, format_quantity, parse_quantity
from tests.rendering import check_golden, render, split_front_matter, to_html

# --- a data set built by hand -------------------------------------------------------------

HLBE_COURT = Agency(name="呼伦贝尔市中级人民法院", kind="法院", region="内蒙古自治区/呼伦贝尔市",
                    slug="hlbe-court")
HLR_COURT = Agency(name="海拉尔区人民法院", kind="法院", region="内蒙古自治区/呼伦贝尔市/海拉尔区",
                   slug="hlr-court")
HOHHOT_PROCURATORATE = Agency(name="呼和浩特市人民检察院", kind="检察院",
                              region="内蒙古自治区/呼和浩特市", slug="hohhot-procuratorate")
GUIZHOU_COURT = Agency(name="贵州省高级人民法院", kind="法院", region="贵州省", slug="guizhou-court")
PINGBA_COURT = Agency(name="平坝区人民法院", kind="法院", region="贵州省/安顺市/平坝区",
                      slug="pingba-court")
AGENCIES = (HLBE_COURT, HLR_COURT, HOHHOT_PROCURATORATE, GUIZHOU_COURT, PINGBA_COURT)

WAGES = Topic(name="根治欠薪", slug="wage-arrears", description="追讨拖欠的劳动报酬。")
MEDIATION = Topic(name="多元解纷", slug="mediation", description="多种途径化解纠纷。")

CLOSED = Metric(name="执结案件", slug="cases-closed", kind="count", unit="件")
AMOUNT = Metric(name="执结标的", slug="amount-closed", kind="money", unit="元")
RECOVERED = Metric(name="执行到位金额", slug="amount-realised", kind="money", unit="元")
WORKERS = Metric(name="帮助劳动者", slug="workers-helped", kind="count", unit="人")
REFERRED = Metric(name="委派执行前和解", slug="referred", kind="count", unit="件")
SETTLED = Metric(name="执行前和解成功", slug="settled", kind="count", unit="件")
METRICS = (CLOSED, AMOUNT, RECOVERED, WORKERS, REFERRED, SETTLED)


def q(raw: int | str, metric: Metric) -> Quantity:
    """A quantity read the way the checker reads it."""
    return parse_quantity(raw, kind=metric.kind, unit=metric.unit)


def figures(**values: int | str) -> dict[str, Figure]:
    by_slug = {m.slug.replace("-", "_"): m for m in METRICS}
    return {by_slug[key].name: Figure(by_slug[key], q(raw, by_slug[key]))
            for key, raw in values.items()}


def campaign(campaign_id: str, start: PartialDate, agencies: list[Agency], topics: list[Topic],
             region: str | None = None, part_of: str | None = None,
             **values: int | str) -> CampaignEntry:
    model = Campaign(
        title=f"行动{campaign_id}", kind="专项行动", agencies=[a.name for a in agencies],
        region=region, start=start, topics=[t.name for t in topics], part_of=part_of,
        summary="摘要。", sources=[Source(title="来源")], status="published")
    return CampaignEntry(
        id=campaign_id, path=f"data/campaigns/{campaign_id}.yaml", model=model,
        agencies=agencies, region=region or agencies[0].region, topics=topics,
        figures=figures(**values))


def case(case_id: str, date: PartialDate, agency: Agency, topics: list[Topic],
         campaign_id: str | None = None, **values: int | str) -> CaseEntry:
    model = Case(
        title=f"案例{case_id}", agency=agency.name, campaign=campaign_id, date=date,
        procedure="执行", topics=[t.name for t in topics], outcome="执行完毕",
        summary="摘要。", sections={"基本案情": "案情。"}, sources=[Source(title="来源")],
        status="published")
    return CaseEntry(id=case_id, path=f"data/cases/{case_id}.yaml", model=model, agency=agency,
                     topics=topics, figures=figures(**values))


def build_dataset() -> Dataset:
    """Six campaigns (one nested, one with an approximate rate part) and two cases."""
    annual = campaign("2024-hlbe-annual", PartialDate(2024), [HLBE_COURT], [WAGES],
                      cases_closed=500, amount_closed="800多万元")
    xinchun = campaign("2024-hlbe-xinchun", PartialDate(2024, 1, 14), [HLBE_COURT, HLR_COURT],
                       [WAGES], part_of="2024-hlbe-annual",
                       cases_closed="49件", amount_closed="101.2万元", workers_helped="近30人")
    annual.children.append(xinchun.id)
    xinchun.cases.append("2024-hlr-labor-fee")
    support = campaign("2023-hohhot-support", PartialDate(2023, 11), [HOHHOT_PROCURATORATE],
                       [WAGES], workers_helped="300余人", amount_realised="近30万元")
    pingba = campaign("2023-pingba-mediation", PartialDate(2023), [PINGBA_COURT], [MEDIATION],
                      referred="86件", settled="26件", amount_realised="4865元")
    anshun = campaign("2023-anshun-mediation", PartialDate(2023, 6), [PINGBA_COURT], [MEDIATION],
                      region="贵州省/安顺市", referred="14件", settled="10件")
    guizhou = campaign("2022-guizhou-mediation", PartialDate(2022), [GUIZHOU_COURT], [MEDIATION],
                       referred="十余件", settled="5件")
    labor_fee = case("2024-hlr-labor-fee", PartialDate(2024, 1, 14), HLR_COURT, [WAGES],
                     "2024-hlbe-xinchun", amount_realised="4865元")
    support_case = case("2023-hohhot-support-case", PartialDate(2023, 11), HOHHOT_PROCURATORATE,
                        [WAGES], amount_realised="8万余元", workers_helped="19人")
    campaigns = (xinchun, support, annual, guizhou, pingba, anshun)
    return Dataset(
        agencies={a.name: a for a in AGENCIES},
        topics={t.name: t for t in (WAGES, MEDIATION)},
        metrics={m.name: m for m in METRICS},
        campaigns={c.id: c for c in campaigns},
        cases={c.id: c for c in (support_case, labor_fee)},
    )


@pytest.fixture
def dataset() -> Dataset:
    return build_dataset()


@pytest.fixture
def stats(dataset: Dataset) -> Stats:
    return aggregate(dataset)


def total(stats_slice: Any, metric: Metric) -> Quantity | None:
    return next((t.value for t in stats_slice.totals if t.metric.name == metric.name), None)


def case_total(stats_slice: Any, metric: Metric) -> Quantity | None:
    return next((t.value for t in stats_slice.case_totals if t.metric.name == metric.name), None)


# --- the aggregation rules ----------------------------------------------------------------


def test_a_nested_campaign_is_not_counted_twice(stats: Stats) -> None:
    closed = next(t for t in stats.overall.totals if t.metric.name == "执结案件")
    assert closed.value == q(500, CLOSED)
    assert closed.records == ("2024-hlbe-annual",)
    assert format_quantity(total(stats.overall, AMOUNT)) == "800多万元"
    covered = {(c.campaign, c.metric.name, c.ancestor) for c in stats.covered}
    assert covered == {("2024-hlbe-xinchun", "执结案件", "2024-hlbe-annual"),
                       ("2024-hlbe-xinchun", "执结标的", "2024-hlbe-annual")}
    # The same holds in every slice the two campaigns share.
    year = next(y for y in stats.years if y.key == "2024")
    assert total(year, CLOSED) == q(500, CLOSED)


def test_a_nested_figure_its_parent_does_not_report_counts_once(stats: Stats) -> None:
    workers = next(t for t in stats.overall.totals if t.metric.name == "帮助劳动者")
    assert "2024-hlbe-xinchun" in workers.records
    assert stats.nested == ("2024-hlbe-xinchun",)


def test_case_figures_are_not_added_to_campaign_totals(stats: Stats) -> None:
    # Campaigns: 近30万元 + 4865元; the cases' 4865元 and 8万余元 stay out.
    assert format_quantity(total(stats.overall, RECOVERED)) == "近30.49万元"
    assert format_quantity(case_total(stats.overall, RECOVERED)) == "逾8.48万元"
    assert [t.records for t in stats.overall.case_totals if t.metric.name == "执行到位金额"] == [
        ("2023-hohhot-support-case", "2024-hlr-labor-fee")]


def test_a_total_with_an_at_least_value_says_at_least(dataset: Dataset) -> None:
    extra = campaign("2023-extra", PartialDate(2023), [HLBE_COURT], [WAGES],
                     workers_helped="15人")
    support = replace(dataset.campaigns["2023-hohhot-support"],
                      figures=figures(workers_helped="300余人"))
    data = replace(dataset, campaigns={"2023-hohhot-support": support, "2023-extra": extra})
    value = total(aggregate(data).overall, WORKERS)
    assert value is not None
    assert value.qualifier is Qualifier.AT_LEAST
    assert format_quantity(value) == "逾315人"


def test_an_at_most_value_is_never_added_as_exact(stats: Stats) -> None:
    value = total(stats.overall, RECOVERED)
    assert value is not None
    assert value.qualifier is Qualifier.AT_MOST
    assert format_quantity(value).startswith("近")
    # Rounded up, never down: 近30万 + 4865 is at most 304865, shown as at most 304900.
    assert value.amount == Decimal(304900)


def test_at_least_and_at_most_together_give_about(stats: Stats) -> None:
    value = total(stats.overall, WORKERS)  # 300余人 + 近30人
    assert value is not None
    assert value.qualifier is Qualifier.ABOUT
    assert format_quantity(value) == "约330人"


def test_an_approximate_total_is_rounded_on_its_safe_side(dataset: Dataset) -> None:
    big = campaign("2023-big", PartialDate(2023), [HLBE_COURT], [WAGES],
                   amount_realised="360余万元")
    small = campaign("2023-small", PartialDate(2023), [HLBE_COURT], [WAGES],
                     amount_realised="86433元")
    data = replace(dataset, campaigns={"2023-big": big, "2023-small": small})
    value = total(aggregate(data).overall, RECOVERED)
    assert value is not None and value.qualifier is Qualifier.AT_LEAST
    assert value.amount == Decimal(3686000)  # 3686433 rounded down
    assert format_quantity(value) == "逾368.6万元"


def test_exact_totals_are_exact_and_in_press_style(dataset: Dataset) -> None:
    one = campaign("2023-one", PartialDate(2023), [HLBE_COURT], [WAGES], amount_closed="101.2万元")
    two = campaign("2023-two", PartialDate(2023), [HLBE_COURT], [WAGES], amount_closed="3.1亿元")
    data = replace(dataset, campaigns={"2023-one": one, "2023-two": two})
    value = total(aggregate(data).overall, AMOUNT)
    assert value is not None and value.is_exact
    assert format_quantity(value) == "31101.2万元"  # exact: never rounded to 3.11亿元


def test_rates_come_from_summed_exact_parts(stats: Stats) -> None:
    (rate,) = stats.overall.rates
    assert rate.pair.name == "执行前和解成功率"
    # (26 + 10) / (86 + 14), not the mean of 26/86 and 10/14; 十余件 is left out.
    assert rate.value == Decimal(36) / Decimal(100)
    assert rate.numerator.value == q(36, SETTLED)
    assert rate.denominator.value == q(100, REFERRED)
    assert rate.numerator.records == ("2023-anshun-mediation", "2023-pingba-mediation")
    assert rate.excluded == ("2022-guizhou-mediation",)


def test_rates_need_both_metrics_in_the_registry(dataset: Dataset) -> None:
    metrics = {name: m for name, m in dataset.metrics.items() if name != "委派执行前和解"}
    campaigns = {key: replace(entry, figures={n: f for n, f in entry.figures.items()
                                              if n != "委派执行前和解"})
                 for key, entry in dataset.campaigns.items()}
    assert aggregate(replace(dataset, metrics=metrics, campaigns=campaigns)).overall.rates == ()
    assert all(pair.numerator != pair.denominator for pair in RATE_PAIRS)


def test_regions_roll_up_province_city_county(stats: Stats) -> None:
    paths = [node.path for node in stats.regions]
    assert paths == [
        "内蒙古自治区", "内蒙古自治区/呼伦贝尔市", "内蒙古自治区/呼伦贝尔市/海拉尔区",
        "内蒙古自治区/呼和浩特市", "贵州省", "贵州省/安顺市", "贵州省/安顺市/平坝区",
    ]
    for node in stats.regions:
        for child_path in node.children:
            child = stats.region(child_path)
            assert child.parent == node.path and child.level == node.level + 1
            assert set(child.slice.campaigns) <= set(node.slice.campaigns)
            assert set(child.slice.cases) <= set(node.slice.cases)
    county = stats.region("内蒙古自治区/呼伦贝尔市/海拉尔区")
    assert county.slice.cases == ("2024-hlr-labor-fee",)
    assert county.slice.campaigns == ()
    city = stats.region("内蒙古自治区/呼伦贝尔市")
    assert city.slice.campaigns == ("2024-hlbe-xinchun", "2024-hlbe-annual")
    assert total(city.slice, CLOSED) == q(500, CLOSED)
    province = stats.region("贵州省")
    assert set(province.slice.campaigns) == {
        "2022-guizhou-mediation", "2023-pingba-mediation", "2023-anshun-mediation"}
    assert province.slice.rates[0].value == Decimal("0.36")
    assert stats.region("贵州省/安顺市/平坝区").slice.rates[0].value == Decimal(26) / Decimal(86)


def test_region_pages_have_stable_ascii_names() -> None:
    assert region_slug("贵州省/安顺市") == region_slug("贵州省/安顺市")
    assert region_slug("贵州省/安顺市") == "guizhou-sheng/anshun-shi"  # more in tests/test_regions.py
    assert region_slug("贵州省/安顺市") != region_slug("贵州省")


def test_years_topics_and_kinds(stats: Stats) -> None:
    assert [y.label for y in stats.years] == ["2022年", "2023年", "2024年"]
    assert stats.latest is not None and stats.latest.key == "2024"
    assert [t.label for t in stats.topics] == ["根治欠薪", "多元解纷"]
    assert [k.label for k in stats.agency_kinds] == ["法院", "检察院"]
    courts = stats.agency_kinds[0]
    assert "2023-hohhot-support" not in courts.campaigns


def test_aggregation_does_not_depend_on_record_order(dataset: Dataset) -> None:
    shuffled = replace(dataset,
                       campaigns=dict(reversed(list(dataset.campaigns.items()))),
                       cases=dict(reversed(list(dataset.cases.items()))))
    assert aggregate(shuffled) == aggregate(dataset)
    assert aggregate(dataset).overall.campaigns == (
        "2024-hlbe-xinchun", "2024-hlbe-annual", "2023-hohhot-support",
        "2023-anshun-mediation", "2023-pingba-mediation", "2022-guizhou-mediation")


def _scanned_totals(metrics: tuple[Metric, ...], figures: list[tuple[str, dict[str, Quantity]]]) -> list[Any]:
    """Each metric's reported values and records, by scanning every record for every metric."""
    found = []
    for metric in metrics:
        reported = [(record, values[metric.name]) for record, values in figures if metric.name in values]
        if reported:
            found.append((metric.name, [v for _, v in reported], sorted(r for r, _ in reported)))
    return found


@pytest.mark.parametrize("sample", [False, True])
def test_indexed_aggregation_equals_a_scan_of_every_record(dataset: Dataset, sample: bool) -> None:
    """Slices, agency work and roll-ups, built from indexes, match a plain scan of the records."""
    from fazhi.pipeline import load_dataset
    from fazhi.stats import _total_of
    from tests.conftest import SAMPLE_DATA

    data = load_dataset(SAMPLE_DATA).published() if sample else dataset
    stats = aggregate(data)
    metrics = tuple(stats.order.metrics)
    covered = {(c.campaign, c.metric.name) for c in stats.covered}
    counted = {e.id: {n: f.value for n, f in e.figures.items() if (e.id, n) not in covered}
               for e in data.campaigns.values()}
    slices = [stats.overall, *stats.years, *stats.topics, *stats.agency_kinds, *(n.slice for n in stats.regions)]
    assert len(slices) > 5
    for part in slices:
        for totals, figures in (
                (part.totals, [(i, counted[i]) for i in part.campaigns]),
                (part.case_totals, [(i, {n: f.value for n, f in data.cases[i].figures.items()}) for i in part.cases])):
            scanned = _scanned_totals(metrics, figures)
            assert [(t.metric.name, sorted(t.records)) for t in totals] == [(n, r) for n, _, r in scanned]
            for t, (_, values, _) in zip(totals, scanned, strict=True):
                assert t.value == _total_of(values)
    for work in (*stats.agencies, *stats.roll_ups):
        group = {work.key, *work.members}
        taking_part = [e for e in stats.order.campaigns if {a.slug for a in e.agencies} & group]
        assert work.own == tuple(e.id for e in taking_part if {a.slug for a in e.agencies} <= group)
        assert work.joint == tuple(e.id for e in taking_part if not {a.slug for a in e.agencies} <= group)
        assert work.cases == tuple(e.id for e in stats.order.cases if e.agency.slug in group)
    assert stats.region(stats.regions[-1].path) is stats.regions[-1]


def test_empty_data_set() -> None:
    empty = Dataset(agencies={}, topics={}, metrics={}, campaigns={}, cases={})
    stats = aggregate(empty)
    assert stats.latest is None and stats.regions == () and stats.overall.totals == ()
    pages = {p.src_uri: p.content for p in render(empty)}
    assert {"index.md", "stats/index.md", "regions/index.md"} <= set(pages)
    assert not any(uri.startswith("regions/r-") for uri in pages)


# --- the pages ----------------------------------------------------------------------------


_STATS_PAGES = ("index.md", "stats/", "regions/")


def pages_by_uri(dataset: Dataset) -> dict[str, str]:
    """The home page, the dashboard and the region pages."""
    return {p.src_uri: p.content for p in render(dataset) if p.src_uri.startswith(_STATS_PAGES)}


_CHART = re.compile(r'<div class="fazhi-chart">.*?</svg></div>')


def test_golden_stats_page(dataset: Dataset) -> None:
    check_golden("stats.md", pages_by_uri(dataset)["stats/index.md"])


def test_golden_home_page(dataset: Dataset) -> None:
    check_golden("home.md", pages_by_uri(dataset)["index.md"])


def test_page_list(dataset: Dataset) -> None:
    stats = aggregate(dataset)
    uris = [p.src_uri for p in render(dataset)]
    home = uris.index("index.md")
    assert uris[home:] == ["index.md", "stats/index.md",
                           *[f"regions/{region_slug(node.path)}.md" for node in stats.regions], "regions/index.md",
                           "laws/index.md"]


def test_rendering_is_deterministic(dataset: Dataset) -> None:
    assert pages_by_uri(dataset) == pages_by_uri(build_dataset())


def test_links_resolve(dataset: Dataset) -> None:
    pages = pages_by_uri(dataset)
    known = {p.src_uri for p in render(dataset)}
    for uri, content in pages.items():
        targets = re.findall(r"\]\(([^)]+\.md)\)", _CHART.sub("", content))
        assert targets, uri
        for target in targets:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(uri), target))
            assert resolved in known, f"{uri} links to {target}"


def test_money_appears_in_press_style(dataset: Dataset) -> None:
    pages = pages_by_uri(dataset)
    stats_page = _CHART.sub("", pages["stats/index.md"])
    assert "800多万元" in stats_page
    assert "近30.49万元" in stats_page
    assert "36.0%" in stats_page
    region = pages[f"regions/{region_slug('内蒙古自治区/呼伦贝尔市')}.md"]
    assert "| 执结标的 | 800多万元 | 1项行动 |" in region
    assert "| 执行到位金额 | 4865元 | 1件案例 |" in region


def test_every_chart_is_followed_by_a_table(dataset: Dataset) -> None:
    charts = 0
    for uri, content in pages_by_uri(dataset).items():
        for match in _CHART.finditer(content):
            after = content[match.end():].lstrip("\n")
            # The table sits in its figures block (_stats_chart.md.j2), right after the chart.
            after = re.sub(r'^<div class="fazhi-figures"[^>]*>\n\n', "", after)
            assert after.startswith("| "), f"{uri}: a chart without its table"
            charts += 1
    assert charts >= 3  # the home page's and the dashboard's


def test_charts_pass_through_markdown_untouched(dataset: Dataset) -> None:
    page = pages_by_uri(dataset)["stats/index.md"]
    html = to_html(page)
    charts = _CHART.findall(page)
    assert charts
    for chart in charts:
        assert chart in html


EVIL = "<script>alert(1)</script>`*_[a](javascript:x)|"
#: A region component cannot hold a slash or white space (records.md).
EVIL_REGION = "<script>alert(1)`*_[a](javascript:x)|"


def hostile(dataset: Dataset) -> Dataset:
    """Names from the data that try to become markup in the pages and in the charts' labels."""
    metric = Metric(name=f"帮助劳动者{EVIL}", slug="workers-helped", kind="count", unit="人")

    def renamed(entry: Any) -> dict[str, Figure]:
        return {(metric.name if n == WORKERS.name else n):
                (replace(f, metric=metric) if n == WORKERS.name else f)
                for n, f in entry.figures.items()}

    topics = {n: t.model_copy(update={"name": t.name + EVIL}) for n, t in dataset.topics.items()}
    campaigns = {k: replace(e, figures=renamed(e), topics=[topics[t.name] for t in e.topics])
                 for k, e in dataset.campaigns.items()}
    support = campaigns["2023-hohhot-support"]
    campaigns["2023-hohhot-support"] = replace(support, region=f"内蒙古自治区/{EVIL_REGION}")
    cases = {k: replace(e, figures=renamed(e), topics=[topics[t.name] for t in e.topics])
             for k, e in dataset.cases.items()}
    metrics = {(metric.name if n == WORKERS.name else n): (metric if n == WORKERS.name else m)
               for n, m in dataset.metrics.items()}
    return replace(dataset, metrics=metrics, topics=topics, campaigns=campaigns, cases=cases)


def test_hostile_names_stay_inert_in_pages_and_charts(dataset: Dataset) -> None:
    pages = pages_by_uri(hostile(dataset))
    stats_page = pages["stats/index.md"]
    assert len(_CHART.findall(stats_page)) >= 4
    assert any("&lt;script&gt;alert(1)" in chart for chart in _CHART.findall(stats_page))
    for uri, content in pages.items():
        front, _ = split_front_matter(content)
        assert "<" not in str(front), uri
        soup = BeautifulSoup(to_html(content), "html.parser")
        assert soup.find("script") is None, uri
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), uri
            for value in tag.attrs.values():
                assert "javascript:" not in str(value), uri
        text = soup.get_text()
        if "<script>" in text:  # the hostile names are shown literally, as text
            assert EVIL in text or EVIL_REGION in text, uri
    assert "<script>alert(1)</script>" in BeautifulSoup(to_html(stats_page), "html.parser").get_text()
