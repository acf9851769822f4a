"""The rendering stage: golden pages, escaping of hostile data, order and determinism."""

from __future__ import annotations

import datetime
import posixpath
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st
from mkdocs.structure.files import File

from fazhi.dataset import CampaignEntry, CaseEntry, Changed, Citation, Dataset, Figure
from fazhi.models import Agency, Campaign, Case, Law, Metric, PartialDate, Release, Source, Topic
from fazhi.pipeline import generate
from fazhi.render.address import region_slug
from fazhi.render.kit import (
    HTML_READY_END,
    HTML_READY_START,
    RenderedPage,
    environment,
    put_back,
    served_href,
    served_url,
    set_aside,
)
from fazhi.text import Escaped, escape_front_matter, escape_text, link_target, markdown_block
from fazhi.values import Quantity, parse_quantity
from tests.conftest import SAMPLE_DATA
from tests.rendering import (
    check_golden,
    pages_by_uri,
    render,
    split_front_matter,
    to_html,
    unbalanced_tags,
    visible_text,
)

# --- a small data set, built by hand ------------------------------------------------------

HLBE_COURT = Agency(name="呼伦贝尔市中级人民法院", aliases=["呼伦贝尔中院"], kind="法院",
                    region="内蒙古自治区/呼伦贝尔市", slug="hlbe-court")
HLR_COURT = Agency(name="海拉尔区人民法院", kind="法院",
                   region="内蒙古自治区/呼伦贝尔市/海拉尔区", slug="hlr-court")
HLBE_PROCURATORATE = Agency(name="呼伦贝尔市人民检察院", kind="检察院",
                            region="内蒙古自治区/呼伦贝尔市", slug="hlbe-procuratorate")
UNUSED_AGENCY = Agency(name="内蒙古自治区司法厅", kind="司法行政", region="内蒙古自治区",
                       slug="nmg-justice")

WAGES = Topic(name="根治欠薪", slug="wage-arrears", description="保障农民工工资支付的执行和监督工作。")
LIVELIHOOD = Topic(name="涉民生执行", slug="livelihood-enforcement",
                   description="追索劳动报酬、赡养费、抚养费等涉民生案件的执行。")
SUPPORT = Topic(name="支持起诉", slug="support-prosecution",
                description="检察机关支持弱势群体提起民事诉讼。")

OFFICERS = Metric(name="出动干警", slug="officers", kind="count", unit="人次",
                  description="行动期间出动的干警人次")
CLOSED = Metric(name="执结案件", slug="cases-closed", kind="count", unit="件",
                description="行动期间以执行完毕、和解等方式结案的案件数")
AMOUNT = Metric(name="执结标的", slug="amount-closed", kind="money", unit="元",
                description="执结案件的标的金额")
DISPUTES = Metric(name="化解纠纷", slug="disputes-resolved", kind="count", unit="件",
                  description="诉前化解的矛盾纠纷")
RECOVERED = Metric(name="执行到位金额", slug="amount-recovered", kind="money", unit="元")

CIVIL_PROCEDURE = Law(name="中华人民共和国民事诉讼法", aliases=["民事诉讼法"], slug="civil-procedure-law")
INTERPRETATION = Law(name="最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释", aliases=["民事诉讼法解释"],
                     slug="civil-procedure-interpretation")
CIVIL_CODE = Law(name="中华人民共和国民法典", aliases=["民法典"], slug="civil-code")
#: When the hand-built records last changed (the pipeline reads it from git).
CHANGED = Changed(datetime.datetime(2024, 3, 5, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))


def q(raw: int | str, metric: Metric) -> Quantity:
    """A quantity read the way the checker reads it."""
    return parse_quantity(raw, kind=metric.kind, unit=metric.unit)


def source(title: str, **extra: Any) -> Source:
    return Source(title=title, **extra)


ANNUAL = Campaign(
    title="2024年呼伦贝尔法院执行工作成效",
    kind="工作成效",
    agencies=["呼伦贝尔市中级人民法院"],
    start=PartialDate(2024),
    topics=["涉民生执行"],
    summary="全市法院全年执结涉民生案件800多万元。",
    metrics={"执结标的": "800多万元"},
    sources=[source("呼伦贝尔法院2024年执行工作综述", publisher="呼伦贝尔日报",
                    date=PartialDate(2025, 1))],
    status="published",
)

XINCHUN = Campaign(
    title="“新春暖薪”集中执行行动",
    kind="集中执行",
    agencies=["呼伦贝尔市中级人民法院", "海拉尔区人民法院"],
    start=PartialDate(2024, 1, 14),
    end=PartialDate(2024, 2),
    lead="呼伦贝尔中院",
    topics=["根治欠薪", "涉民生执行"],
    part_of="2024-hlbe-annual",
    summary="春节前，呼伦贝尔市两级法院集中执行涉民生案件，执结案件49件，执结标的101.2万元。",
    metrics={"出动干警": "76人次", "执结案件": "49件", "执结标的": "101.2万元",
             "化解纠纷": {"total": "121件", "parts": {"劳务派遣纠纷": 2, "劳资纠纷": 6, "合同纠纷": 1, "其他纠纷": 112},
                      "by_agency": {"呼伦贝尔中院": 21, "海拉尔区人民法院": 100}, "complete": True}},
    body=(
        "行动期间，两级法院采取以下措施：\n\n"
        "- 集中清理涉农民工工资案件；\n"
        "- 对拒不履行的被执行人依法采取拘传、拘留措施。\n\n"
        "详见[法院公告](https://example.org/notice)。\n"
    ),
    sources=[
        source("“新春暖薪”保民生 呼伦贝尔市两级法院执行利剑再出鞘", publisher="法治报",
               author="金丽", date=PartialDate(2024, 1), url="https://example.org/a"),
        source("海拉尔法院开展集中执行", publisher="海拉尔区人民法院"),
    ],
    status="published",
)

LABOR_FEE = Case(
    title="拒付劳务费被拘传 当日转账履行",
    agency="海拉尔区人民法院",
    campaign="2024-hlbe-xinchun",
    date=PartialDate(2024, 1, 14),
    procedure="执行",
    cause="劳务合同纠纷",
    case_number="（2024）内0702执123号",
    topics=["根治欠薪"],
    parties={"申请执行人": ["徐某"], "被执行人": ["包某"]},
    measures=["拘传"],
    outcome="执行完毕",
    metrics={"执行到位金额": "4865元"},
    summary="被执行人包某拒不支付劳务费，法院依法拘传后，其当日转账4865元履行完毕。",
    gist="对有履行能力而拒不履行的被执行人依法拘传，可以促使其当场履行。",
    sections={
        "基本案情": "徐某为包某提供劳务，包某拖欠劳务费**4865元**。",
        "办理经过": "执行干警依法对包某拘传。\n\n包某当日转账履行。",
        "典型意义": "本案体现了法院依法保障劳动者权益的决心。",
    },
    laws=["《民事诉讼法》第一百零九条", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十二条"],
    keywords=["拘传", "劳务费"],
    release=Release(by="呼伦贝尔中院", title="2024年涉民生执行典型案例", date=PartialDate(2024, 3)),
    sources=[source("“新春暖薪”保民生 呼伦贝尔市两级法院执行利剑再出鞘", publisher="法治报",
                    url="https://example.org/a")],
    status="published",
)

SUPPORT_CASE = Case(
    title="检察机关支持19名农民工追索劳动报酬",
    agency="呼伦贝尔市人民检察院",
    date=PartialDate(2023, 11),
    procedure="支持起诉",
    topics=["根治欠薪", "支持起诉"],
    parties={"被告": ["某建筑公司"]},
    outcome="支持起诉",
    metrics={"执行到位金额": {"total": "8万余元", "parts": {"工资": "6万余元", "垫付款": "2万元"}}},
    summary="检察机关支持19名农民工起诉，追回欠薪8万余元。",
    sections={"基本案情": "某建筑公司拖欠19名农民工工资。", "检察履职": "检察机关依法支持起诉。"},
    sources=[source("检察机关支持农民工讨薪")],
    status="published",
)


def build_dataset() -> Dataset:
    """Two campaigns (one nested in the other) and two cases, published."""
    annual = CampaignEntry(
        id="2024-hlbe-annual", path="data/campaigns/2024-hlbe-annual.yaml", model=ANNUAL,
        agencies=[HLBE_COURT], region="内蒙古自治区/呼伦贝尔市", topics=[LIVELIHOOD],
        figures={"执结标的": Figure(AMOUNT, q("800多万元", AMOUNT))},
        children=["2024-hlbe-xinchun"])
    xinchun = CampaignEntry(
        id="2024-hlbe-xinchun", path="data/campaigns/2024-hlbe-xinchun.yaml", model=XINCHUN,
        agencies=[HLBE_COURT, HLR_COURT], region="内蒙古自治区/呼伦贝尔市",
        topics=[WAGES, LIVELIHOOD],
        figures={
            "出动干警": Figure(OFFICERS, q("76人次", OFFICERS)),
            "执结案件": Figure(CLOSED, q("49件", CLOSED)),
            "执结标的": Figure(AMOUNT, q("101.2万元", AMOUNT)),
            "化解纠纷": Figure(
                DISPUTES, q("121件", DISPUTES),
                parts=(("劳务派遣纠纷", q(2, DISPUTES)), ("劳资纠纷", q(6, DISPUTES)),
                       ("合同纠纷", q(1, DISPUTES)), ("其他纠纷", q(112, DISPUTES))),
                complete=True, shares=((HLBE_COURT, q(21, DISPUTES)), (HLR_COURT, q(100, DISPUTES)))),
        },
        cases=["2024-hlr-labor-fee"], lead=HLBE_COURT)
    labor_fee = CaseEntry(
        id="2024-hlr-labor-fee", path="data/cases/2024-hlr-labor-fee.yaml", model=LABOR_FEE,
        agency=HLR_COURT, topics=[WAGES],
        figures={"执行到位金额": Figure(RECOVERED, q("4865元", RECOVERED))},
        citations=(Citation(CIVIL_PROCEDURE, ("第一百零九条",), LABOR_FEE.laws[0]),
                   Citation(INTERPRETATION, ("第四百八十二条",), LABOR_FEE.laws[1])))
    support = CaseEntry(
        id="2023-hlbe-support", path="data/cases/2023-hlbe-support.yaml", model=SUPPORT_CASE,
        agency=HLBE_PROCURATORATE, topics=[WAGES, SUPPORT],
        figures={"执行到位金额": Figure(
            RECOVERED, q("8万余元", RECOVERED),
            parts=(("工资", q("6万余元", RECOVERED)), ("垫付款", q("2万元", RECOVERED))))})
    agencies = {a.name: a for a in (HLBE_COURT, HLR_COURT, HLBE_PROCURATORATE, UNUSED_AGENCY)}
    agencies["呼伦贝尔中院"] = HLBE_COURT  # the checker files agencies under aliases too
    return Dataset(
        agencies=agencies,
        topics={t.name: t for t in (WAGES, LIVELIHOOD, SUPPORT)},
        metrics={m.name: m for m in (OFFICERS, CLOSED, AMOUNT, DISPUTES, RECOVERED)},
        # Insertion order deliberately not the display order.
        campaigns={"2024-hlbe-xinchun": xinchun, "2024-hlbe-annual": annual},
        cases={"2023-hlbe-support": support, "2024-hlr-labor-fee": labor_fee},
        laws={name: law for law in (CIVIL_PROCEDURE, INTERPRETATION, CIVIL_CODE) for name in (law.name, *law.aliases)},
        changed={"data/campaigns/2024-hlbe-xinchun.yaml": CHANGED, "data/cases/2024-hlr-labor-fee.yaml": CHANGED},
    )


@pytest.fixture
def dataset() -> Dataset:
    return build_dataset()


def with_campaign(dataset: Dataset, campaign_id: str, **update: Any) -> Dataset:
    """The data set with one campaign's model fields replaced (no validation: hostile data)."""
    entry = dataset.campaigns[campaign_id]
    entry = replace(entry, model=entry.model.model_copy(update=update))
    return replace(dataset, campaigns={**dataset.campaigns, campaign_id: entry})


def with_case(dataset: Dataset, case_id: str, **update: Any) -> Dataset:
    """The data set with one case's model fields replaced (no validation: hostile data)."""
    entry = dataset.cases[case_id]
    entry = replace(entry, model=entry.model.model_copy(update=update))
    return replace(dataset, cases={**dataset.cases, case_id: entry})


# --- golden pages -------------------------------------------------------------------------


@pytest.mark.parametrize(("uri", "golden"), [
    ("campaigns/2024-hlbe-xinchun.md", "campaign.md"),
    ("cases/2024-hlr-labor-fee.md", "case.md"),
    ("cases/index.md", "cases-index.md"),
    ("agencies/hlr-court.md", "agency.md"),
    ("agencies/hlbe-court.md", "agency-roll-up.md"),
    ("laws/index.md", "laws-index.md"),
    ("laws/civil-procedure-law.md", "law.md"),
    ("topics/wage-arrears.md", "topic.md"),
    (f"regions/{region_slug('内蒙古自治区/呼伦贝尔市')}.md", "region.md"),
])
def test_golden_pages(dataset: Dataset, uri: str, golden: str) -> None:
    check_golden(golden, pages_by_uri(dataset)[uri].content)


def _markup(page: RenderedPage) -> str:
    """The part of a page that is written as HTML/Markdown (downloads are checked by parsing)."""
    return page.content if page.src_uri.endswith(".md") else ""


def test_every_page_has_balanced_tags(dataset: Dataset) -> None:
    pages = [*render(dataset), *render(hostile_dataset(dataset)), *generate(SAMPLE_DATA, workers=1),
             *generate(SAMPLE_DATA, workers=1, drafts=True)]
    checked = 0
    for page in pages:
        problems = unbalanced_tags(_markup(page))
        assert not problems, f"{page.src_uri}: {problems}"
        checked += "<div" in page.content
    assert checked > 20


def test_the_balance_check_finds_a_stray_end_tag() -> None:
    assert unbalanced_tags("<div markdown>\n\n## 标题\n\n</div>\n") == []
    assert unbalanced_tags("## 标题\n\n- 一\n\n</div>\n") == ["</div> closes nothing at line 5"]
    assert unbalanced_tags("<div>\n<table>\n</div>") == ["</div> closes <table> at line 3",
                                                         "<div> is never closed", "<table> is never closed"]


# --- pages and links ----------------------------------------------------------------------


def test_page_list(dataset: Dataset) -> None:
    pages = render(dataset)
    assert [page.src_uri for page in pages] == [
        "campaigns/2024-hlbe-xinchun.md",  # 2024-01-14 sorts before the year-only 2024
        "campaigns/2024-hlbe-annual.md",
        "campaigns/index.md",
        "cases/2024-hlr-labor-fee.md",
        "cases/2023-hlbe-support.md",
        "cases/index.md",
        "agencies/hlbe-court.md",  # once, although the data set also files it under its alias
        "agencies/hlr-court.md",
        "agencies/hlbe-procuratorate.md",
        "agencies/nmg-justice.md",
        "agencies/index.md",
        "topics/wage-arrears.md",
        "topics/livelihood-enforcement.md",
        "topics/support-prosecution.md",
        "topics/index.md",
        "index.md",
        "stats/index.md",
        *(f"regions/{region_slug(path)}.md"  # depth first
          for path in ("内蒙古自治区", "内蒙古自治区/呼伦贝尔市", "内蒙古自治区/呼伦贝尔市/海拉尔区")),
        "regions/index.md",
        "laws/civil-procedure-law.md",
        "laws/civil-procedure-interpretation.md",
        "laws/civil-code.md",
        "laws/index.md",
    ]
    sources = {page.src_uri: page.source for page in pages}
    assert sources["campaigns/2024-hlbe-xinchun.md"] == "data/campaigns/2024-hlbe-xinchun.yaml"
    assert sources["cases/2023-hlbe-support.md"] == "data/cases/2023-hlbe-support.yaml"
    assert sources["cases/index.md"] is None
    assert sources["agencies/hlr-court.md"] is None


_MD_LINK = re.compile(r"\]\(([^)]*)\)")
_HTML_LINK = re.compile(r'<a href="([^"]*)">')


def test_links_are_relative_and_resolve(dataset: Dataset) -> None:
    pages = render(dataset)
    # The data downloads page is rendered with the downloads (render_exports), not here.
    known = {page.src_uri for page in pages} | {"data/index.md"}
    served = {served_url(uri).rstrip("/") + "/" for uri in known if uri.endswith(".md")}
    checked = raw = 0
    for page in pages:
        for target in _MD_LINK.findall(page.content):
            if target.startswith("https://"):
                continue
            assert not target.startswith("/"), target
            path = target.split("?", 1)[0]  # a filtered list: index.md?year=2024
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path))
            assert resolved in known, f"{page.src_uri} links to missing {target}"
            checked += 1
        for target in _HTML_LINK.findall(page.content):  # raw HTML (the case tables): served addresses
            resolved = posixpath.normpath(posixpath.join(served_url(page.src_uri) or ".", target))
            assert f"{resolved}/" in served, f"{page.src_uri} links to missing {target}"
            raw += 1
    assert checked > 30
    assert raw > 5


@given(st.text(alphabet="ab<>!-/ \nfazhi:tml", max_size=80),
       st.lists(st.text(alphabet="<td>x&;\n", max_size=30), max_size=3))
def test_set_aside_and_put_back_give_the_page_back(text: str, blocks: list[str]) -> None:
    """What the glue sets aside before the Markdown conversion it puts back after, unchanged."""
    assume(HTML_READY_START not in text and HTML_READY_END not in text)
    assert set_aside(text) == (text, [])
    markdown = text + "".join(f"{HTML_READY_START}{block}{HTML_READY_END}{text}" for block in blocks)
    kept, aside = set_aside(markdown)
    assert aside == blocks
    assert put_back(kept, aside) == markdown.replace(HTML_READY_START, "").replace(HTML_READY_END, "")


_PAGE_PATHS = st.lists(st.sampled_from(["cases", "archive", "regions", "a-sheng", "b-shi", "x-1", "index"]),
                       min_size=1, max_size=4).map(lambda parts: "/".join(parts) + ".md")


@given(here=_PAGE_PATHS, target=_PAGE_PATHS, query=st.sampled_from(["", "?topic=wage-arrears"]))
def test_served_href_is_the_link_mkdocs_writes(here: str, target: str, query: str) -> None:
    """The raw-HTML links of the case tables point where MkDocs points a Markdown link."""
    def file(src_uri: str) -> File:
        return File(src_uri, "/docs", "/site", use_directory_urls=True)

    href = posixpath.relpath(target, posixpath.dirname(here) or ".")
    assert served_href(href + query, here) == file(target).url_relative_to(file(here)) + query


def test_front_matter_is_yaml_with_title_and_description(dataset: Dataset) -> None:
    article = {"article_title", "pub_date", "content_source"}  # record pages' <meta> tags
    for page in render(dataset):
        meta, body = split_front_matter(page.content)
        record = page.src_uri.startswith(("campaigns/", "cases/")) and "index" not in page.src_uri
        assert set(meta) == {"title", "description"} | (article if record else set())
        assert body.startswith(("\n# ", '\n<nav class="fazhi-crumbs"'))
    meta, _ = split_front_matter(pages_by_uri(dataset)["campaigns/2024-hlbe-annual.md"].content)
    assert meta == {"title": "2024年呼伦贝尔法院执行工作成效",
                    "description": "全市法院全年执结涉民生案件800多万元。",
                    "article_title": "2024年呼伦贝尔法院执行工作成效",
                    "pub_date": "2024",
                    "content_source": "呼伦贝尔日报"}
    meta, _ = split_front_matter(pages_by_uri(dataset)["cases/2023-hlbe-support.md"].content)
    assert meta["pub_date"] == "2023-11"
    assert meta["content_source"] == "呼伦贝尔市人民检察院"  # no source names a publisher


def test_hostile_front_matter_meta_is_escaped(dataset: Dataset) -> None:
    dataset = with_case(dataset, "2024-hlr-labor-fee", title=HOSTILE_TITLE,
                        sources=[Source(title="x", publisher='"><script>alert(1)</script>')])
    meta, _ = split_front_matter(pages_by_uri(dataset)["cases/2024-hlr-labor-fee.md"].content)
    assert meta["article_title"] == meta["title"]
    assert meta["content_source"] == "&quot;＞＜script＞alert(1)＜/script＞"


def test_figures_keep_the_press_style_and_qualifiers(dataset: Dataset) -> None:
    pages = pages_by_uri(dataset)
    annual = to_html(pages["campaigns/2024-hlbe-annual.md"].content)
    assert "<td>800多万元</td>" in annual
    support = to_html(pages["cases/2023-hlbe-support.md"].content)
    assert "<td>8万余元</td>" in support
    assert '<td><span class="fazhi-part">工资</span></td>\n<td>6万余元</td>' in support
    assert "分项合计与总数一致" not in support  # that breakdown is not marked complete
    xinchun = to_html(pages["campaigns/2024-hlbe-xinchun.md"].content)
    assert "<td>101.2万元</td>" in xinchun
    assert "诉前化解的矛盾纠纷（分项合计与总数一致）" in xinchun


def test_lists_are_newest_first_then_by_id(dataset: Dataset) -> None:
    twin = replace(dataset.cases["2024-hlr-labor-fee"], id="2024-a-twin")
    dataset = replace(dataset, cases={**dataset.cases, "2024-a-twin": twin})
    index = pages_by_uri(dataset)["cases/index.md"].content
    order = [index.index(f'<a href="{name}/">')
             for name in ("2024-a-twin", "2024-hlr-labor-fee", "2023-hlbe-support")]
    assert order == sorted(order)
    assert index.index("## 2024年（2件）") < index.index("## 2023年（1件）")


def test_sections_keep_their_written_order(dataset: Dataset) -> None:
    headings = ["典型意义", "附：法律依据", "基本案情", "办理经过"]
    dataset = with_case(dataset, "2024-hlr-labor-fee",
                        sections={heading: f"{heading}的内容。" for heading in headings})
    page = pages_by_uri(dataset)["cases/2024-hlr-labor-fee.md"].content
    found = re.findall(r"^## (.+)$", page, re.MULTILINE)
    written = [h.replace(":", "&#58;") for h in headings]
    assert [h for h in found if h in written] == written
    html = to_html(page)
    assert [html.index(f"<p>{h}的内容。</p>") for h in headings] == sorted(
        html.index(f"<p>{h}的内容。</p>") for h in headings)


def test_rendering_is_deterministic(dataset: Dataset) -> None:
    first = render(dataset)
    assert render(dataset) == first
    shuffled = replace(
        dataset,
        campaigns=dict(reversed(dataset.campaigns.items())),
        cases=dict(reversed(dataset.cases.items())),
    )  # records in any order; registries keep their file order, which staff choose
    assert render(shuffled) == first


def test_empty_data_set_renders_the_index_pages() -> None:
    empty = Dataset(agencies={}, topics={}, metrics={}, campaigns={}, cases={})
    pages = pages_by_uri(empty)
    assert set(pages) == {"campaigns/index.md", "cases/index.md", "agencies/index.md",
                          "topics/index.md", "index.md", "stats/index.md", "regions/index.md", "laws/index.md"}
    assert "暂无已发布的典型案例。" in pages["cases/index.md"].content


def test_reference_outside_the_published_set_is_an_error(dataset: Dataset) -> None:
    broken = with_case(dataset, "2023-hlbe-support", campaign="2023-draft")
    with pytest.raises(ValueError, match="2023-draft"):
        render(broken)


def test_id_that_cannot_be_a_page_name_is_an_error(dataset: Dataset) -> None:
    clash = Topic.model_construct(name="索引", slug="index", description="与列表页同名。")
    with pytest.raises(ValueError, match="'index'"):
        render(replace(dataset, topics={**dataset.topics, "索引": clash}))


# --- escaping: hostile data stays literal -------------------------------------------------

HOSTILE_TITLE = "<script>alert(1)</script>[点我](javascript:alert(1)) | a | b |"
HOSTILE = (
    "<img src=x onerror=alert(1)> {{ 7*7 }} {% include 'x' %} *强调* _斜_ `代码` ~~删~~ "
    "==标记== ^^插^^ $x$ :smile: @user {: onclick=alert(1) } <!-- 注释 --> &lt;b&gt; "
    '--8<-- "/etc/passwd" \\(1\\) #末尾 #'
)

# What Python-Markdown makes of our templates, plus what sanitized fields may contain.
_ALLOWED_OUTPUT = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "a", "br",
    "table", "thead", "tbody", "tr", "th", "td", "div", "blockquote", "code", "pre",
    "form", "label", "select", "option", "button", "span",  # the list pages' filter form
    "details", "summary",  # what a record's metrics mean (_figures.md.j2)
    "nav",  # the breadcrumbs (_crumbs.md.j2)
}

# The list pages' filter form and filterable items: the only other attributes templates write.
_FILTER_DATA = {"data-year", "data-region", "data-topic", "data-procedure", "data-outcome",
                "data-kind"}
_FILTER_ATTRIBUTES: dict[str, dict[str, set[str | None] | None]] = {
    "form": {"class": {"fazhi-filter"}, "aria-label": {"筛选"}, "data-fazhi-unit": {"件", "项"},
             "data-pagefind-ignore": {"all"}, "hidden": {None}},
    "label": {"for": None},
    "select": {"id": None, "name": None},
    "option": {"value": None},
    "button": {"type": {"reset"}, "class": {"md-button fazhi-filter__reset"}},
    "p": {"class": {"fazhi-filter__count", "fazhi-part-of"}, "role": {"status"}, "aria-live": {"polite"}},
    "span": {"class": {"fazhi-filter__shown", "fazhi-part"}},
    "div": {"class": {"fazhi-prose", "fazhi-filter__fields", "fazhi-filter__field",
                      "fazhi-group", "fazhi-item", "fazhi-links", "fazhi-figures",
                      "fazhi-item fazhi-item--nested fazhi-item--depth-1",
                      "fazhi-item fazhi-item--nested fazhi-item--depth-2"},
            "data-pagefind-ignore": {"all", "index"}, **dict.fromkeys(_FILTER_DATA)},
    "details": {"class": {"fazhi-notes"}, "data-pagefind-ignore": {"index"}},
    "summary": {},
    "tr": {"class": {"fazhi-item"}, "role": {"row"}, **dict.fromkeys(_FILTER_DATA)},
    # the breadcrumbs
    "nav": {"class": {"fazhi-crumbs"}, "aria-label": {"面包屑导航"}, "data-pagefind-ignore": {"all"}},
    "li": {"aria-current": {"page"}},
    # the case list: a table that reads as cards on a phone, its roles kept
    "table": {"data-fazhi-cards": {None, "", "data-fazhi-cards"}, "role": {"table"}},
    "thead": {"role": {"rowgroup"}},
    "tbody": {"role": {"rowgroup"}},
    "th": {"role": {"columnheader"}},
    "td": {"role": {"cell"}},
}
_FILTER_NAMES = {"year", "region", "topic", "procedure", "outcome", "kind"}


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_only_expected_html(html: str) -> None:
    """No tag, attribute or link destination beyond what the site itself produces."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in _ALLOWED_OUTPUT, f"unexpected <{tag}> in:\n{html}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in:\n{html}"
            if tag == "a" and name == "href":
                assert value is not None
                # Markdown links name the page file; a raw-HTML table's links are already served
                # addresses (fazhi.render.kit.served_href)
                assert re.match(r"^(https?://|#|[a-z0-9./-]+\.md(\?year=[0-9]{4})?$|(\.\./)*[a-z0-9-]+(/[a-z0-9-]+)*/$)",
                                value), value
            elif tag == "a":
                assert name == "rel" and value == "noopener noreferrer", (name, value)
            elif tag in _FILTER_ATTRIBUTES:
                allowed = _FILTER_ATTRIBUTES[tag]
                assert name in allowed, (tag, name, value)
                choices = allowed[name]
                assert choices is None or value in choices, (tag, name, value)
                if (tag, name) in {("label", "for"), ("select", "id")}:
                    assert value in {f"fazhi-filter-{n}" for n in _FILTER_NAMES}, value
                if (tag, name) == ("select", "name"):
                    assert value in _FILTER_NAMES, value
            else:
                assert name == "id" and tag.startswith("h"), (tag, name, value)


_CHART = re.compile(r'<div class="fazhi-chart">.*?</svg></div>', re.DOTALL)


def hostile_dataset(dataset: Dataset) -> Dataset:
    dataset = with_campaign(
        dataset, "2024-hlbe-xinchun", title=HOSTILE_TITLE, summary=HOSTILE,
        body="<script>alert(1)</script>\n\n" + HOSTILE + "\n\n<div>[x](javascript:alert(2))</div>",
        sources=[Source(title=HOSTILE_TITLE, publisher=HOSTILE,
                        url="https://example.org/a(b)<c>\"d\"")])
    return with_case(
        dataset, "2024-hlr-labor-fee", title=HOSTILE_TITLE, summary=HOSTILE, cause=HOSTILE,
        parties={HOSTILE: [HOSTILE_TITLE]}, measures=[HOSTILE], keywords=[HOSTILE_TITLE],
        sections={
            "## 小标题 {: onclick=alert(1) }": "<p onclick='alert(1)'>正文</p>",
            HOSTILE_TITLE: '<img src=x onerror="alert(1)">'
                           "[点我](javascript:alert(1)) <a href='javascript:alert(1)'>链接</a> "
                           "<a href='/relative'>相对</a> [官网](https://example.org/x)\n\n"
                           "<script>alert('xss')</script><style>p{}</style>",
        })


def test_hostile_data_renders_inert_on_every_page(dataset: Dataset) -> None:
    for page in render(hostile_dataset(dataset)):
        html = to_html(page.content)
        assert_only_expected_html(_CHART.sub("", html))  # charts: tests/test_charts.py
        assert "root:" not in html  # no snippet was included


def test_hostile_title_shows_literally(dataset: Dataset) -> None:
    pages = pages_by_uri(hostile_dataset(dataset))
    for uri in ("campaigns/2024-hlbe-xinchun.md", "cases/2024-hlr-labor-fee.md"):
        html = to_html(pages[uri].content)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
        assert h1 is not None
        assert visible_text(h1.group(1)) == HOSTILE_TITLE
        meta, _ = split_front_matter(pages[uri].content)
        assert meta["title"] == (
            "＜script＞alert(1)＜/script＞[点我](javascript:alert(1)) | a | b |")


def test_hostile_summary_shows_literally(dataset: Dataset) -> None:
    page = pages_by_uri(hostile_dataset(dataset))["campaigns/2024-hlbe-xinchun.md"].content
    assert "{{" not in page and "{%" not in page  # not even for a later Jinja pass
    html = to_html(page)
    paragraphs = [visible_text(p) for p in re.findall(r"<p>(.*?)</p>", html, re.DOTALL)]
    assert HOSTILE in paragraphs


def test_table_syntax_in_a_title_does_not_add_columns(dataset: Dataset) -> None:
    page = pages_by_uri(hostile_dataset(dataset))["cases/index.md"].content
    html = to_html(page)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.DOTALL)
    assert len(rows) == 4  # a header row and a case row per year
    for row in rows:
        assert len(re.findall(r"<t[hd][ >]", row)) == 6, row
    assert HOSTILE_TITLE in visible_text(html)


def test_hostile_sections_are_sanitized(dataset: Dataset) -> None:
    page = pages_by_uri(hostile_dataset(dataset))["cases/2024-hlr-labor-fee.md"].content
    html = to_html(page)
    assert "alert('xss')" not in html and "p{}" not in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">官网</a>' in html
    assert "点我 链接 相对" in html  # links without a web address are unwrapped to text
    assert "<p>正文</p>" in html
    headings = [visible_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    assert "## 小标题 {: onclick=alert(1) }" in headings
    assert HOSTILE_TITLE in headings


def test_filter_attributes_are_escaped(dataset: Dataset) -> None:
    hostile = Agency.model_construct(name="<b>某院</b>", aliases=[], kind="法院",
                                     region='内蒙古"><script>alert(1)</script>/{{x}}', slug="evil")
    entry = replace(dataset.cases["2023-hlbe-support"], agency=hostile)
    dataset = replace(dataset, cases={**dataset.cases, "2023-hlbe-support": entry},
                      agencies={**dataset.agencies, hostile.name: hostile})
    page = pages_by_uri(dataset)["cases/index.md"].content
    assert "{{" not in page and "<script>" not in page
    html = to_html(page)
    assert_only_expected_html(html)
    parser = _Tags()
    parser.feed(html)
    regions = [attrs["data-region"] for tag, attrs in parser.tags if tag == "tr" and "data-region" in attrs]
    assert '内蒙古"><script>alert(1)</script>/{{x}}' in " ".join(regions).split()
    options = [attrs["value"] for tag, attrs in parser.tags if tag == "option"]
    assert '内蒙古"><script>alert(1)</script>/{{x}}' in options


def test_source_url_cannot_break_out_of_its_link(dataset: Dataset) -> None:
    page = pages_by_uri(hostile_dataset(dataset))["campaigns/2024-hlbe-xinchun.md"].content
    assert "](https://example.org/a%28b%29%3Cc%3E%22d%22)" in page


# --- the escaping helpers -----------------------------------------------------------------


@pytest.mark.parametrize(("raw", "escaped"), [
    ("“新春暖薪”集中执行行动", "“新春暖薪”集中执行行动"),
    ("101.2万元", "101.2万元"),
    ("2024-01-14", "2024-01-14"),
    ("[点我](javascript:alert(1))", "&#91;点我&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"),
    ("<script>", "&lt;script&gt;"),
    ("| a | b |", "&#124; a &#124; b &#124;"),
    ("{{ x }}", "&#123;&#123; x &#125;&#125;"),
    ("- 列表", "&#45; 列表"),
    ("1. 列表", "1&#46; 列表"),
    ("a &amp; b", "a &amp;amp; b"),
    ("第一行\n\n# 第二行\t\x02x\x03", "第一行 &#35; 第二行 x"),
    (49, "49"),
])
def test_escape_text(raw: object, escaped: str) -> None:
    assert escape_text(raw) == escaped
    assert isinstance(escape_text(raw), Escaped)


def test_escape_text_is_idempotent_on_escaped_values() -> None:
    once = escape_text("<b>")
    assert escape_text(once) is once


def test_escape_front_matter_round_trips_through_yaml() -> None:
    value = 'a "b" <c> & \\ d: {{ e }}\u2028f\x85g'
    loaded = yaml.safe_load(f"title: {escape_front_matter(value)}\n")
    assert loaded == {"title": "a &quot;b&quot; ＜c＞ &amp; \\ d: &#123;&#123; e &#125;&#125; f g"}


def test_link_target() -> None:
    assert link_target("../cases/x-1.md") == "../cases/x-1.md"
    assert link_target("index.md") == "index.md"
    assert link_target("https://example.org/a(b)<c>") == "https://example.org/a%28b%29%3Cc%3E"
    assert link_target("https://例子.cn/路径?q=1&r=2") == (
        "https://%E4%BE%8B%E5%AD%90.cn/%E8%B7%AF%E5%BE%84?q=1&r=2")
    for bad in ("javascript:alert(1)", "/absolute.md", "../cases/X.md", "data:text/html,x",
                "../../etc/passwd", "https://x\ny"):
        with pytest.raises(ValueError):
            link_target(bad)


def test_markdown_block_keeps_only_allowed_html() -> None:
    block = markdown_block(
        "# 一级\n\n**粗** *斜* `码`\n\n> 引用\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n"
        "<iframe src='https://x'></iframe><b>b</b><span style='x'>s</span>\n\n"
        "[好](https://example.org/) [坏](http://example.org/ \"t\") [邮件](mailto:a@b.c)")
    assert block.startswith('<div class="fazhi-prose">\n<h3>一级</h3>')
    assert block.endswith("\n</div>")
    assert_only_expected_html(block)
    for expected in ("<strong>粗</strong>", "<em>斜</em>", "<code>码</code>",
                     "<blockquote>", "<td>1</td>", "bs",
                     '<a href="https://example.org/" rel="noopener noreferrer">好</a>',
                     '<a href="http://example.org/" rel="noopener noreferrer">坏</a>'):
        assert expected in block, expected
    assert "mailto" not in block and "邮件" in block


def test_markdown_block_neutralizes_raw_text_preprocessors() -> None:
    block = markdown_block("```\n--8<-- \"x\"\n```\n\n{{ 7*7 }} ~~a~~")
    assert "`" not in block and "{" not in block and "~" not in block and "8<" not in block


def test_unescaped_template_output_is_refused() -> None:
    env = environment()
    with pytest.raises(TypeError, match="not escaped"):
        env.from_string("{{ value }}").render(value="<b>")
    assert env.from_string("{{ value | t }}").render(value="<b>") == "&lt;b&gt;"
