"""What a visitor does, in a real headless Chromium against the built sample site.

The site is the session's `sample_site`, served under its public path by conftest's `base_url`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Four page kinds a reader meets: home, a campaign, a case, the dashboard.
PAGES = ["", "campaigns/2024-hlbe-xinchun/", "cases/2024-hlbe-laowufei-juchuan/", "stats/"]



@pytest.fixture
def page(browser: object, tmp_path: Path) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def test_home_renders_in_chinese(page: object, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url)
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.locator("h1").first.is_visible()
    assert "专项行动" in page.locator("body").inner_text()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)


def test_no_request_leaves_127_0_0_1(page: object, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        response = page.goto(base_url + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}
    # Material fetches sitemap.xml beside every <link rel="alternate">: never the whole map.
    assert base_url + "sitemap.xml" not in requested


def test_filter_narrows_the_case_list(page: object, base_url: str) -> None:
    page.goto(base_url + "cases/")
    rows = page.locator("[data-procedure]")
    total = rows.count()
    assert total >= 12
    select = page.locator("select").filter(has=page.locator("option", has_text="支持起诉")).first
    select.select_option(label="支持起诉")
    visible = [rows.nth(i) for i in range(total) if rows.nth(i).is_visible()]
    assert 0 < len(visible) < total
    assert all(row.get_attribute("data-procedure") == "支持起诉" for row in visible)


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(page: object, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + path)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    serious = [f"{v['id']}: {v['help']} ({len(v['nodes'])})"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(page: object, base_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})  # the right-hand contents are shown
    page.goto(base_url + "cases/")
    rows = page.locator("[data-procedure]")
    total = rows.count()
    toc = page.locator(".md-sidebar--secondary .md-nav--secondary .md-nav__item")
    years = toc.count()
    assert years >= 2
    message = page.locator(".fazhi-filter__empty")
    assert message.is_hidden()
    # The newest year and the procedure no case of that year has: nothing matches.
    year = page.locator("select[name=year] option").nth(1).get_attribute("value")
    procedures = set(page.locator(f"[data-year~='{year}']").evaluate_all(
        "rows => rows.map(r => r.dataset.procedure)"))
    other = next(p for p in page.locator("select[name=procedure] option").evaluate_all(
        "options => options.map(o => o.value)") if p and p not in procedures)
    page.locator("select[name=year]").select_option(year)
    assert message.is_hidden()
    visible_years = [toc.nth(i).is_visible() for i in range(years)]
    assert visible_years.count(True) == 1  # the contents list only the year still shown
    page.locator("select[name=procedure]").select_option(other)
    assert message.is_visible() and "没有符合条件的记录" in message.inner_text()
    assert all(not rows.nth(i).is_visible() for i in range(total))
    assert not any(toc.nth(i).is_visible() for i in range(years))
    message.locator("button", has_text="清除筛选").click()
    page.wait_for_function("document.querySelector('.fazhi-filter__empty').hidden")
    assert all(rows.nth(i).is_visible() for i in range(total))
    assert all(toc.nth(i).is_visible() for i in range(years))
