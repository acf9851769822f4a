"""axe on one page of every kind, on a phone (390 px) and a desktop (1280 px), in both colour
schemes' default (light) and, for a few pages, dark: no violation of WCAG 2.1 A/AA or of
axe's best practices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

KINDS = {
    "home": "", "campaign list": "campaigns/", "case list": "cases/", "agency list": "agencies/",
    "topic list": "topics/", "region list": "regions/", "stats": "stats/", "data": "data/",
    "guide": "guide/", "guide errors": "guide/errors/", "about": "about/", "404": "no-such-page/",
}
#: Record pages: the first of each folder in the built site (archive pages when there are any).
RECORD_FOLDERS = ("campaigns", "cases", "agencies", "topics", "regions", "archive")
OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
           "resultTypes": ["violations"]}


def _pages(site: Path) -> dict[str, str]:
    pages = dict(KINDS)
    for folder in RECORD_FOLDERS:
        first = sorted(p for p in (site / folder).glob("*/**/index.html")) if (site / folder).is_dir() else []
        if first:
            pages[folder] = first[0].parent.relative_to(site).as_posix() + "/"
    return pages



def _violations(browser: Any, url: str, width: int, scheme: str = "light") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN",
                                  color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # tables.js runs after Material has wrapped the tables
        results = Axe().run(page, options=OPTIONS).response["violations"]
        return [f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])})" for v in results]
    finally:
        context.close()


def test_every_page_kind_has_no_violation(browser: Any, base_url: str, sample_site: Path) -> None:
    pages = _pages(sample_site)
    assert {"campaigns", "cases", "agencies", "topics", "regions"} <= pages.keys()
    found = {f"{kind} at {width}px": problems
             for kind, path in pages.items() for width in (390, 1280)
             if (problems := _violations(browser, base_url + path, width))}
    assert found == {}


@pytest.mark.parametrize("path", ["", "campaigns/2024-hlbe-xinchun/", "stats/", "no-such-page/"])
def test_dark_scheme_has_no_violation(browser: Any, base_url: str, path: str) -> None:
    assert _violations(browser, base_url + path, 390, "dark") == []


def test_a_table_that_scrolls_sideways_is_reachable_by_keyboard(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "data/")
    page.wait_for_function("document.querySelector('.md-typeset__scrollwrap[role=region]')")
    regions = page.locator(".md-typeset__scrollwrap[role=region]")
    names = [regions.nth(i).get_attribute("aria-label") for i in range(regions.count())]
    assert all(regions.nth(i).get_attribute("tabindex") == "0" for i in range(regions.count()))
    assert len(names) == len(set(names)) and all("表格" in name for name in names)
    context.close()
