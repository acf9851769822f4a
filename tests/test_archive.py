"""Long lists: past `LIST_LIMIT` cases, the case list becomes one archive page per year.

The data is the benchmark's synthetic generator at 400 cases and 40 campaigns (more cases
than `LIST_LIMIT`, fewer campaigns). A real MkDocs build checks the links in strict mode, and
Chromium checks that a topic page's archive link opens the year filtered to that topic.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from bench.generate import generate as generate_data
from fazhi.pipeline import load_dataset
from fazhi.render import RenderedPage, render_pages
from fazhi.render.collection import LIST_LIMIT, SHORT_LIST
from fazhi.render.dashboard import COVERED_SHOWN
from fazhi.stats import aggregate
from tests.browser import chromium, require_chromium, serve
from tests.conftest import copy_project
from tests.rendering import unbalanced_tags

CASES, CAMPAIGNS = 400, 40


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive") / "data"
    generate_data(out, cases=CASES, campaigns=CAMPAIGNS)
    return out


@pytest.fixture(scope="module")
def pages(data_dir: Path) -> dict[str, RenderedPage]:
    dataset = load_dataset(data_dir).published()
    stats = aggregate(dataset)
    return {p.src_uri: p for p in render_pages(dataset, stats)}


def _case_years(pages: dict[str, RenderedPage]) -> Counter[str]:
    """Published cases per year, from the case pages' front matter."""
    years: Counter[str] = Counter()
    for uri, page in pages.items():
        if re.fullmatch(r"cases/(?!index)[^/]+\.md", uri):
            years[re.search(r'^pub_date: "(\d{4})', page.content, re.MULTILINE)[1]] += 1
    return years


def test_the_case_list_is_split_by_year(pages: dict[str, RenderedPage]) -> None:
    years = _case_years(pages)
    assert sum(years.values()) > LIST_LIMIT
    archive = {uri for uri in pages if uri.startswith("archive/")}
    assert archive == {f"archive/cases-{year}.md" for year in years}
    index = pages["cases/index.md"].content
    for year, count in years.items():
        assert f"| [{year}年](../archive/cases-{year}.md) | {count}件 |" in index
    assert "fazhi-filter" not in index  # the index lists years; each year page filters


def test_a_year_page_lists_that_year_with_filters_but_no_year_filter(
        pages: dict[str, RenderedPage]) -> None:
    year, count = _case_years(pages).most_common(1)[0]
    page = pages[f"archive/cases-{year}.md"].content
    assert page.count('<tr class="fazhi-item"') == count
    assert set(re.findall(r'data-year="(\d+)"', page)) == {year}
    assert 'name="topic"' in page and 'name="region"' in page
    assert 'name="year"' not in page
    assert "← [全部年份](../cases/index.md)" in page


def test_every_page_of_a_long_data_set_has_balanced_tags(pages: dict[str, RenderedPage]) -> None:
    unbalanced = {uri: problems for uri, page in pages.items() if (problems := unbalanced_tags(page.content))}
    assert unbalanced == {}
    assert sum("其余按年份查看" in page.content for page in pages.values()) > 1  # capped lists were checked


def test_the_short_campaign_list_stays_one_page(pages: dict[str, RenderedPage]) -> None:
    assert not any(uri.startswith("archive/campaigns-") for uri in pages)
    assert pages["campaigns/index.md"].content.count('class="fazhi-item') == CAMPAIGNS  # nested ones too


def test_long_topic_and_region_lists_link_to_the_filtered_archive(
        pages: dict[str, RenderedPage]) -> None:
    capped = {uri: p.content for uri, p in pages.items()
              if uri.startswith(("topics/", "regions/")) and "其余按年份查看" in p.content}
    assert any(uri.startswith("topics/") for uri in capped)
    assert any(uri.startswith("regions/") for uri in capped)
    for uri, content in capped.items():
        heading = re.search(r"^## 典型案例(?:（(\d+)件）)?$", content, re.MULTILINE)
        total = int(heading[1]) if heading[1] else None  # region pages give no count
        listed = content[heading.end():].split("以上是最新的", 1)[0].count("\n- [")
        assert listed == SHORT_LIST, uri
        links = re.findall(r"\[(\d{4})年（(\d+)件）\]\(\.\./archive/cases-(\d{4})\.md\?(topic|region)=([^)]+)\)",
                           content)
        assert links, uri
        assert all(a == b for a, _, b, _, _ in links)
        if total is not None:
            assert sum(int(n) for _, n, _, _, _ in links) == total, uri
        name = "topic" if uri.startswith("topics/") else "region"
        assert {found for _, _, _, found, _ in links} == {name}


@pytest.fixture(scope="module")
def site(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("archive-site") / "project")
    subprocess.run(["rm", "-rf", str(project / "data")], check=True)
    subprocess.run(["cp", "-r", str(data_dir), str(project / "data")], check=True)
    out = project / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=project, capture_output=True, text=True, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def test_a_topic_archive_link_opens_the_year_filtered_to_the_topic(site: Path, base_url: str) -> None:
    require_chromium()
    topic_page = next(path for path in sorted((site / "topics").glob("*/index.html"))
                      if "其余按年份查看" in path.read_text(encoding="utf-8"))
    html = topic_page.read_text(encoding="utf-8")
    href, year, count = re.search(
        r'<a href="\.\./\.\./(archive/cases-\d{4}/\?topic=[a-z0-9-]+)">(\d{4})年（(\d+)件）</a>', html
    ).groups()
    topic = unquote(href.split("=", 1)[1])
    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(base_url + href)
        assert tab.locator("select[name=topic]").input_value() == topic
        rows = tab.locator("tr.fazhi-item:not([hidden])")
        assert rows.count() == int(count)
        for i in range(rows.count()):
            assert topic in (rows.nth(i).get_attribute("data-topic") or "").split()
        assert tab.locator(".fazhi-filter__shown").inner_text() == count
        assert year in tab.locator("h1").inner_text()


def test_the_dashboard_names_a_few_figures_not_counted_twice_and_counts_the_rest(
        pages: dict[str, RenderedPage]) -> None:
    notes = pages["stats/index.md"].content.split("## 方法说明", 1)[1]
    named = re.search(r"以下数字因此没有重复计入：(.*?)；另有(\d+)项，各在所属行动的页面上注明。", notes)
    assert named is not None
    assert named[1].count("（已含在") == COVERED_SHOWN
    noted = sum(p.content.count("已含在上级行动（或更上一级行动）报告的数字里")
                for uri, p in pages.items() if uri.startswith("campaigns/"))
    assert noted >= 1
    total = sum(len(re.findall(r"本行动是上级行动的组成部分。(\S+?)已含在", p.content)[0].split("、"))
                for uri, p in pages.items()
                if uri.startswith("campaigns/") and "本行动是上级行动的组成部分。" in p.content)
    assert total == COVERED_SHOWN + int(named[2])
