"""Data downloads (CSV, JSON, dictionary page) and the Atom feed, from real YAML files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fazhi.dataset import Dataset
from fazhi.pipeline import generate, load_dataset
from fazhi.render import RenderedPage
from fazhi.render.downloads import (
    CAMPAIGN_COLUMNS,
    CASE_COLUMNS,
    FIGURE_COLUMNS,
    csv_cell,
    json_number,
    plain_decimal,
    render_exports,
)
from fazhi.render.feed import render_feed
from tests.conftest import CASE, DataDir

SITE = "https://fazhi.example.gov.cn/site/"
ATOM = "{http://www.w3.org/2005/Atom}"

APPROXIMATE = """\
title: 检察机关支持农民工追索劳动报酬
agency: 呼伦贝尔市中级人民法院
date: 2023-11
procedure: 支持起诉
topics: [根治欠薪, 涉民生执行]
outcome: 支持起诉
metrics:
  执行到位金额:
    total: 8万余元
    parts: {工资: 6万余元, 垫付款: 2万元}
summary: 追回欠薪8万余元。
sections:
  基本案情: 某建筑公司拖欠农民工工资。
sources:
  - title: 检察机关支持农民工讨薪
    url: https://example.org/news?id=1&x=2
status: published
"""

NEAR = """\
title: =HYPERLINK("https://evil.example/","点我")
agency: 海拉尔区人民法院
date: 2022
procedure: 执行
topics: [根治欠薪]
outcome: 执行和解
metrics:
  执行到位金额: 近30万元
  执结案件: 约五十件
summary: -执行和解，分期履行。
keywords: ["@某公司", "+分期", 普通]
sections:
  基本案情: 案情。
sources:
  - title: "来源|带竖线"
status: published
"""

DRAFT = CASE.replace("status: published", "status: draft").replace(
    "拒付劳务费被拘传 当日转账履行", "尚未发布的草稿案例")


@pytest.fixture
def data(data_dir: DataDir) -> Path:
    return data_dir(**{
        "cases/2023-approx.yaml": APPROXIMATE,
        "cases/2022-near.yaml": NEAR,
        "cases/2024-draft.yaml": DRAFT,
    })


@pytest.fixture
def dataset(data: Path) -> Dataset:
    return load_dataset(data).published()


def files_of(dataset: Dataset, site_url: str = SITE) -> dict[str, str]:
    return {page.src_uri: page.content for page in render_exports(dataset, site_url)}


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def figure(rows: list[dict[str, Any]], record: str, metric: str, part: str = "") -> dict[str, Any]:
    [row] = [r for r in rows if r["record_id"] == record and r["metric"] == metric and r["part"] == part]
    return row


# --- CSV ----------------------------------------------------------------------------------


def test_files_and_paths(dataset: Dataset) -> None:
    assert list(files_of(dataset)) == [
        "data/campaigns.csv", "data/campaigns.json", "data/cases.csv", "data/cases.json",
        "data/figures.csv", "data/figures.json", "data/index.md"]
    assert all(page.source is None for page in render_exports(dataset, SITE))


@pytest.mark.parametrize(("name", "columns"), [
    ("campaigns", CAMPAIGN_COLUMNS), ("cases", CASE_COLUMNS), ("figures", FIGURE_COLUMNS)])
def test_csv_has_bom_header_and_crlf(dataset: Dataset, name: str, columns: tuple) -> None:
    text = files_of(dataset)[f"data/{name}.csv"]
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    header = text[1:].split("\r\n", 1)[0]
    assert header == ",".join(column.key for column in columns)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    assert raw.decode("utf-8-sig").startswith(columns[0].key)


def test_csv_rows_in_id_order_with_lists_joined(dataset: Dataset) -> None:
    cases = read_csv(files_of(dataset)["data/cases.csv"])
    assert [row["id"] for row in cases] == ["2022-near", "2023-approx", "baomou"]
    approx = cases[1]
    assert approx["url"] == SITE + "cases/2023-approx/"
    assert approx["date"] == "2023-11"
    assert approx["topics"] == "根治欠薪|涉民生执行"
    assert approx["topic_slugs"] == "wage-arrears|livelihood-enforcement"
    assert approx["region"] == "内蒙古自治区/呼伦贝尔市"
    assert approx["source_urls"] == "https://example.org/news?id=1&x=2"
    assert cases[0]["source_titles"] == "来源｜带竖线"  # a pipe inside a value cannot split it
    [campaign] = read_csv(files_of(dataset)["data/campaigns.csv"])
    assert campaign["agencies"] == "呼伦贝尔市中级人民法院|海拉尔区人民法院"
    assert campaign["cases"] == "baomou"
    assert campaign["start"] == "2024-01-14" and campaign["end"] == ""
    assert campaign["source_dates"] == "2024-01"


def test_figures_are_exact_with_qualifiers(dataset: Dataset) -> None:
    rows = read_csv(files_of(dataset)["data/figures.csv"])
    amount = figure(rows, "xinchun", "执结标的")
    assert amount == {
        "record_kind": "campaign", "record_id": "xinchun", "metric": "执结标的",
        "metric_slug": "amount-closed", "part": "", "agency": "", "agency_slug": "", "value": "1012000", "unit": "元",
        "qualifier": "exact", "marker": "", "text": "101.2万元", "parts_complete": ""}
    assert figure(rows, "xinchun", "执结案件")["value"] == "49"
    assert figure(rows, "xinchun", "执结案件")["unit"] == "件"
    total = figure(rows, "2023-approx", "执行到位金额")
    assert (total["value"], total["qualifier"], total["marker"], total["text"]) == (
        "80000", "at_least", "余", "8万余元")
    assert total["parts_complete"] == "false"
    part = figure(rows, "2023-approx", "执行到位金额", "垫付款")
    assert (part["value"], part["qualifier"], part["text"]) == ("20000", "exact", "2万元")
    near = figure(rows, "2022-near", "执行到位金额")
    assert (near["value"], near["qualifier"], near["marker"]) == ("300000", "at_most", "近")
    about = figure(rows, "2022-near", "执结案件")
    assert (about["value"], about["qualifier"], about["marker"], about["text"]) == (
        "50", "about", "约", "约50件")
    # campaigns first, then cases, each by id; parts after their total
    order = [(r["record_kind"], r["record_id"]) for r in rows]
    assert order == sorted(order, key=lambda k: (k[0] != "campaign", k[1]))
    assert rows.index(total) + 1 == rows.index(figure(rows, "2023-approx", "执行到位金额", "工资"))


@pytest.mark.parametrize(("amount", "text"), [
    ("1.012E+6", "1012000"), ("8584.60", "8584.6"), ("0", "0"), ("0.00", "0"), ("49", "49"),
    ("123456789012345678901234567890.5", "123456789012345678901234567890.5")])
def test_plain_decimal(amount: str, text: str) -> None:
    from decimal import Decimal

    assert plain_decimal(Decimal(amount)) == text


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=x", "'\t=x"), ("\r=x", "'\r=x"), ("正常", "正常"), ("a=b", "a=b"), ("", ""),
    (["-a", "b"], "'-a|b"), (["a", "-b"], "a|-b"), (["a|b", "c"], "a｜b|c"), ([], "")])
def test_csv_cell_defuses_formulas(value: str | list[str], cell: str) -> None:
    assert csv_cell(value) == cell


def test_formula_injection_is_defused_in_the_files(dataset: Dataset) -> None:
    files = files_of(dataset)
    near = next(r for r in read_csv(files["data/cases.csv"]) if r["id"] == "2022-near")
    assert near["title"] == "'=HYPERLINK(\"https://evil.example/\",\"点我\")"
    assert near["summary"] == "'-执行和解，分期履行。"
    assert near["keywords"] == "'@某公司|+分期|普通"
    for name in ("campaigns", "cases", "figures"):
        for row in read_csv(files[f"data/{name}.csv"]):
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    # JSON keeps the value as written
    record = next(r for r in json.loads(files["data/cases.json"]) if r["id"] == "2022-near")
    assert record["title"] == "=HYPERLINK(\"https://evil.example/\",\"点我\")"
    assert record["keywords"] == ["@某公司", "+分期", "普通"]
    # and the dictionary page says so
    assert "单引号" in files["data/index.md"] and "公式" in files["data/index.md"]


def test_drafts_are_absent(dataset: Dataset, data: Path) -> None:
    everything = "".join(files_of(dataset).values()) + render_feed(dataset, SITE).content
    assert "2024-draft" not in everything and "尚未发布的草稿案例" not in everything
    assert "2024-draft" in load_dataset(data).cases  # it exists, unpublished


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "columns"), [
    ("campaigns", CAMPAIGN_COLUMNS), ("cases", CASE_COLUMNS), ("figures", FIGURE_COLUMNS)])
def test_json_equals_csv(dataset: Dataset, name: str, columns: tuple) -> None:
    files = files_of(dataset)
    text = files[f"data/{name}.json"]
    assert not text.startswith("\ufeff")
    assert "\\u" not in text  # ensure_ascii=False: Chinese as UTF-8
    records = json.loads(text)
    rows = read_csv(files[f"data/{name}.csv"])
    assert len(records) == len(rows) > 0
    for record, row in zip(records, rows, strict=True):
        assert list(record) == [column.key for column in columns]  # stable key order
        numbers = {column.key for column in columns if column.number}
        # a number is written with exactly the CSV cell's digits
        assert {key: csv_cell(json.dumps(value) if key in numbers else value)
                for key, value in record.items()} == row
        for column in columns:
            assert isinstance(record[column.key], list) == column.multiple
            if column.number:
                assert isinstance(record[column.key], int | float), record


def test_figure_values_are_json_numbers(dataset: Dataset) -> None:
    records = json.loads(files_of(dataset)["data/figures.json"])
    counts = [r for r in records if r["unit"] != "元"]
    assert counts and all(type(r["value"]) is int for r in counts)
    closed = figure(records, "xinchun", "执结标的")
    assert closed["value"] == 1012000 and type(closed["value"]) is int
    assert '"value": 1012000,' in files_of(dataset)["data/figures.json"]
    page = files_of(dataset)["data/index.md"]
    assert "JSON 文件中 value 是数字" in page and "9007199254740991" in page


@pytest.mark.parametrize(("digits", "value"), [
    ("152", 152), ("0", 0), ("-3", -3), ("1012000", 1012000), ("8584.6", 8584.6), ("0.5", 0.5),
    ("9007199254740991", 9007199254740991),
    ("9007199254740992", "9007199254740992"),  # beyond 2^53 - 1: a string, not rounded
    ("12345678901234567.5", "12345678901234567.5"),
    ("0.1234567890123456789", "0.1234567890123456789"),
    ("", ""),
])
def test_json_number(digits: str, value: object) -> None:
    assert json_number(digits) == value and type(json_number(digits)) is type(value)
    if not isinstance(value, str):
        assert json.dumps(value) == digits  # the JSON text has the same digits


def test_exports_are_deterministic(dataset: Dataset) -> None:
    first = render_exports(dataset, SITE)
    shuffled = replace(dataset, campaigns=dict(reversed(dataset.campaigns.items())),
                       cases=dict(reversed(dataset.cases.items())))
    assert render_exports(shuffled, SITE) == first == render_exports(dataset, SITE)


def test_site_url_must_be_web_address(dataset: Dataset) -> None:
    with pytest.raises(ValueError):
        render_exports(dataset, "javascript:alert(1)")
    with pytest.raises(ValueError):
        render_feed(dataset, "/relative/")
    without_slash = files_of(dataset, "https://fazhi.example.gov.cn/site")
    assert "https://fazhi.example.gov.cn/site/cases/baomou/" in without_slash["data/cases.csv"]


# --- dictionary page ----------------------------------------------------------------------


def test_dictionary_explains_every_column_and_metric(dataset: Dataset) -> None:
    page = files_of(dataset)["data/index.md"]
    assert page.startswith('---\ntitle: "数据下载"\n')
    for name in ("campaigns", "cases", "figures"):
        assert f"]({name}.csv)" in page and f"]({name}.json)" in page
    for column in (*CAMPAIGN_COLUMNS, *CASE_COLUMNS, *FIGURE_COLUMNS):
        assert f"| {column.key.replace('_', '&#95;')} |" in page, column.key
    for metric in dataset.metrics.values():
        assert f"| {metric.name} | {metric.slug} |" in page
    assert "以任何方式结案的执行案件数。" in page  # a metric's definition
    assert "BOM" in page and "UTF-8" in page
    assert "](../feeds/atom.xml)" in page


# --- feed ---------------------------------------------------------------------------------


def parse_feed(page: RenderedPage) -> ET.Element:
    assert page.src_uri == "feeds/atom.xml"
    return ET.fromstring(page.content.encode("utf-8"))


def test_feed_is_atom_with_absolute_links(dataset: Dataset) -> None:
    root = parse_feed(render_feed(dataset, SITE))
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4  # one campaign, three published cases
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    # newest first; the campaign and the case of 2024-01-14 by id
    assert ids == [SITE + "cases/baomou/", SITE + "campaigns/xinchun/",
                   SITE + "cases/2023-approx/", SITE + "cases/2022-near/"]
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        assert link.get("href", "").startswith(SITE)
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None and summary.get("type") == "text" and len(summary) == 0
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == SITE + "feeds/atom.xml"
    assert root.findtext(f"{ATOM}updated") == "2024-01-14T00:00:00+08:00"  # the newest record
    assert root.findtext(f"{ATOM}generator") == "fazhi"
    near = entries[3]
    assert near.findtext(f"{ATOM}title") == '=HYPERLINK("https://evil.example/","点我")'
    # a year-only record: no invented timestamp for when it was published; updated is the
    # start of its year only because this data set was built in memory (no change dates)
    assert near.find(f"{ATOM}published") is None
    assert near.findtext(f"{ATOM}updated") == "2022-01-01T00:00:00+08:00"
    assert entries[0].findtext(f"{ATOM}published") == "2024-01-14T00:00:00+08:00"  # a day is kept


def test_feed_is_deterministic_and_limited(dataset: Dataset) -> None:
    first = render_feed(dataset, SITE)
    shuffled = replace(dataset, campaigns=dict(reversed(dataset.campaigns.items())),
                       cases=dict(reversed(dataset.cases.items())))
    assert render_feed(shuffled, SITE) == first == render_feed(dataset, SITE)
    root = parse_feed(render_feed(dataset, SITE, limit=2))
    assert len(root.findall(f"{ATOM}entry")) == 2


def test_feed_record_text_stays_text(dataset: Dataset) -> None:
    entry = dataset.cases["baomou"]
    hostile = entry.model.model_copy(update={
        "title": "<b>标题</b>", "summary": "<script>alert(1)</script>\x00\x1b 摘要 ]]>"})
    dataset = replace(dataset, cases={**dataset.cases, "baomou": replace(entry, model=hostile)})
    content = render_feed(dataset, SITE).content
    assert "<script>" not in content and "<b>" not in content
    root = parse_feed(render_feed(dataset, SITE))
    baomou = next(e for e in root.findall(f"{ATOM}entry") if "baomou" in (e.findtext(f"{ATOM}id") or ""))
    assert baomou.findtext(f"{ATOM}title") == "<b>标题</b>"
    assert baomou.findtext(f"{ATOM}summary") == "<script>alert(1)</script> 摘要 ]]>"


def test_empty_feed_is_valid() -> None:
    empty = Dataset(agencies={}, topics={}, metrics={}, campaigns={}, cases={})
    root = parse_feed(render_feed(empty, SITE))
    assert root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+08:00"
    assert [page.src_uri for page in render_exports(empty, SITE)][-1] == "data/index.md"


# --- pipeline -----------------------------------------------------------------------------


def test_generate_adds_downloads_and_feed(data: Path) -> None:
    outputs = {page.src_uri: page for page in generate(data, site_url=SITE)}
    assert {"data/index.md", "data/figures.csv", "feeds/atom.xml"} <= set(outputs)
    assert SITE + "cases/baomou/" in outputs["feeds/atom.xml"].content
    default = {page.src_uri: page for page in generate(data)}
    assert "http://127.0.0.1:8000/cases/baomou/" in default["feeds/atom.xml"].content
