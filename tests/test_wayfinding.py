"""Finding one's way: breadcrumbs, the section marked in the sidebar, nested campaigns in the
list, the case list as cards on a phone, and search labels for the laws pages.

The browser tests use the session's built `sample_site` in a headless Chromium.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fazhi.render.collection import nest

CASE_PAGE = "cases/2024-hlbe-laowufei-juchuan/"
REGION_PAGE = "regions/neimenggu-zizhiqu/huhehaote-shi/huimin-qu/"


# --- nested campaigns (pure) --------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    id: str
    part_of: str | None = None


def _nest(entries: list[_Entry]) -> list[tuple[str, int]]:
    return [(e.id, depth) for e, depth in nest(entries, lambda e: e.part_of, lambda e: e.id)]


def test_a_child_follows_its_parent_indented() -> None:
    # newest first: the child (January) is listed before its parent (started the year before)
    entries = [_Entry("other"), _Entry("child", "parent"), _Entry("parent"), _Entry("grandchild", "child")]
    assert _nest(entries) == [("other", 0), ("parent", 0), ("child", 1), ("grandchild", 2)]


def test_a_child_whose_parent_is_elsewhere_stays_in_place() -> None:
    entries = [_Entry("a"), _Entry("child", "not-in-this-year"), _Entry("b")]
    assert _nest(entries) == [("a", 0), ("child", 0), ("b", 0)]


def test_a_cycle_still_lists_every_record_once() -> None:
    entries = [_Entry("x", "y"), _Entry("y", "x"), _Entry("z", "z")]
    assert sorted(_nest(entries)) == [("x", 0), ("y", 1), ("z", 0)]


def test_depth_is_capped() -> None:
    entries = [_Entry("a"), _Entry("b", "a"), _Entry("c", "b"), _Entry("d", "c")]
    assert _nest(entries) == [("a", 0), ("b", 1), ("c", 2), ("d", 2)]


# --- the built site -----------------------------------------------------------------------


def test_laws_pages_are_labelled_in_search_results(sample_site: Path) -> None:
    index = (sample_site / "laws" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="kind:法律法规列表"' in index
    law = next(p for p in (sample_site / "laws").glob("*/index.html"))
    assert 'data-pagefind-meta="kind:法律法规"' in law.read_text(encoding="utf-8")


def test_region_pages_have_readable_addresses(sample_site: Path) -> None:
    assert (sample_site / REGION_PAGE / "index.html").is_file()
    assert not list((sample_site / "regions").glob("r-*"))


def test_a_nested_campaign_says_what_it_is_part_of(sample_site: Path) -> None:
    html = (sample_site / "campaigns" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="fazhi-part-of">属于：<a href="2022-anshun-zhiyuan-zhili/">', html)



def _page(browser: object, width: int) -> object:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    return context.new_page()


def test_case_page_breadcrumbs_and_sidebar_section(browser: object, base_url: str) -> None:
    page = _page(browser, 1280)
    page.goto(base_url + CASE_PAGE)
    crumbs = page.locator('nav[aria-label="面包屑导航"] li')
    assert crumbs.all_inner_texts()[:3] == ["首页", "典型案例", "2024年"]
    current = crumbs.last
    assert current.get_attribute("aria-current") == "page"
    assert current.inner_text() == page.locator("h1").inner_text()
    links = page.locator('nav[aria-label="面包屑导航"] a')
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert hrefs == [base_url, base_url + "cases/", base_url + "cases/?year=2024"]
    # The sidebar marks 典型案例, and nothing else.
    active = page.locator(".md-nav--primary .md-nav__link--active")
    assert active.all_inner_texts() == ["典型案例"]
    # The year crumb opens the list filtered to the year.
    links.nth(2).click()
    page.wait_for_load_state()
    assert page.locator('select[name="year"]').input_value() == "2024"
    rows = page.locator("tr.fazhi-item")
    shown = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).is_visible()]
    assert shown and all(row.get_attribute("data-year") == "2024" for row in shown)
    page.context.close()


def test_region_breadcrumbs_follow_the_levels(browser: object, base_url: str) -> None:
    page = _page(browser, 1280)
    page.goto(base_url + REGION_PAGE)
    crumbs = page.locator('nav[aria-label="面包屑导航"] li').all_inner_texts()
    assert crumbs == ["首页", "地区", "内蒙古自治区", "呼和浩特市", "回民区"]
    assert page.locator(".md-nav--primary .md-nav__link--active").all_inner_texts() == ["地区"]
    page.context.close()


def test_case_list_reads_as_cards_on_a_phone(browser: object, base_url: str) -> None:
    page = _page(browser, 390)
    page.goto(base_url + "cases/")
    page.wait_for_timeout(200)
    row = page.locator("tr.fazhi-item").first
    title, date = row.locator("td").nth(0), row.locator("td").nth(1)
    row_box, title_box, date_box = row.bounding_box(), title.bounding_box(), date.bounding_box()
    assert title_box["width"] > 0.9 * row_box["width"]  # the title has the whole line
    assert date_box["y"] >= title_box["y"] + title_box["height"] - 1  # the facts come below it
    # Nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The table keeps its meaning for screen readers.
    assert page.locator("th").first.get_attribute("role") == "columnheader"
    # Filters still work.
    select = page.locator("select").filter(has=page.locator("option", has_text="支持起诉")).first
    select.select_option(label="支持起诉")
    rows = page.locator("tr.fazhi-item")
    visible = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).is_visible()]
    assert visible and all(r.get_attribute("data-procedure") == "支持起诉" for r in visible)
    page.context.close()
