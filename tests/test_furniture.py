"""A government site's furniture: the footer with the agency's identity and the data's date,
the Chinese 404 page, and the light/dark colour schemes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from fazhi.ci import source_date_epoch
from tests.conftest import ROOT, SAMPLE_DATA, SAMPLE_SITE_URL, copy_project, mkdocs_build

SITE_INFO = {
    "owner": "某某市中级人民法院",
    "organizer": "某某市中级人民法院办公室",
    "contact": "0470-1234567（工作日 9:00—17:00）",
    "icp": "蒙ICP备12345678号-1",
    "police": "蒙公网安备15070202000123号",
    "site_code": "1507000001",
}


def _footer(html: str) -> BeautifulSoup:
    footer = BeautifulSoup(html, "html.parser").select_one("footer .fazhi-site-info")
    assert footer is not None
    return footer


def _data_day() -> str:
    stamp = int(source_date_epoch(SAMPLE_DATA))
    day = datetime.datetime.fromtimestamp(stamp, datetime.timezone(datetime.timedelta(hours=8))).date()
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_sample_configuration_lists_every_key_empty() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["extra"]["site_info"] == dict.fromkeys(SITE_INFO)


def test_without_site_info_the_footer_shows_only_the_data_date(sample_site: Path) -> None:
    footer = _footer((sample_site / "index.html").read_text(encoding="utf-8"))
    assert footer.get_text(" ", strip=True) == f"数据更新日期：{_data_day()}"
    assert footer.find("a") is None


@pytest.fixture(scope="module")
def configured_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built from a copy of mkdocs.yml with every site_info key set."""
    project = copy_project(tmp_path_factory.mktemp("furniture") / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for key, value in SITE_INFO.items():
        start = text.index(f"    {key}:")
        end = text.index("\n", start)
        text = text[:start] + f"    {key}: {value}" + text[end:]
    config.write_text(text, encoding="utf-8")
    site = project / "site"
    result = mkdocs_build(project, site, FAZHI_SITE_URL=SAMPLE_SITE_URL, FAZHI_REPO_URL=None,
                          FAZHI_DATA=str(SAMPLE_DATA))
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("page", ["index.html", "cases/index.html", "404.html"])
def test_the_footer_shows_each_key_that_is_set(configured_site: Path, page: str) -> None:
    footer = _footer((configured_site / page).read_text(encoding="utf-8"))
    text = footer.get_text(" ", strip=True)
    assert f"主办单位：{SITE_INFO['owner']}" in text
    assert f"承办单位：{SITE_INFO['organizer']}" in text
    assert f"联系方式：{SITE_INFO['contact']}" in text
    assert f"网站标识码：{SITE_INFO['site_code']}" in text
    assert f"数据更新日期：{_data_day()}" in text
    links = {a.get_text(strip=True): a["href"] for a in footer.find_all("a")}
    assert links == {
        SITE_INFO["icp"]: "https://beian.miit.gov.cn/",
        SITE_INFO["police"]: "https://beian.mps.gov.cn/#/query/webSearch?code=15070202000123",
    }


# --- in Chromium --------------------------------------------------------------------------



@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("missing", ["no-such-page/", "cases/2099-nothing/", "a/b/c/d.html"])
def test_a_missing_page_answers_in_chinese_with_working_links(page: Any, base_url: str, missing: str) -> None:
    response = page.goto(base_url + missing)
    assert response is not None and response.status == 404
    assert page.locator("article h1").inner_text() == "找不到这个页面"
    assert "404" not in page.locator("article").inner_text()
    assert page.locator("link[rel=stylesheet]").count() > 0
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator("article a").all()}
    assert {"返回首页", "典型案例", "专项行动"} <= links.keys()
    for name in ("返回首页", "典型案例", "专项行动"):
        page.locator("article a", has_text=name).click()
        page.wait_for_load_state()
        assert page.url.startswith(base_url)
        assert page.locator("article h1").inner_text() != "找不到这个页面", name
        page.go_back()
    page.locator("article button", has_text="搜索本站").click()
    page.wait_for_function("document.getElementById('__search').checked")
    page.keyboard.type("欠薪")
    page.wait_for_function("document.querySelector('[data-fazhi-search-meta]').dataset.state === 'done'")
    assert page.locator(".md-search-result__link").count() > 0


def test_the_reader_can_switch_to_dark_and_it_is_remembered(page: Any, base_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(base_url + "stats/")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    toggle = page.locator("label[title='切换到深色模式']")
    assert toggle.is_visible()
    toggle.click()
    assert page.evaluate(scheme) == "slate"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    page.goto(base_url + "cases/")
    assert page.evaluate(scheme) == "slate"
    assert page.locator("label[title='切换到浅色模式']").is_visible()


def test_a_reader_whose_system_is_dark_gets_the_dark_scheme(page: Any, base_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(base_url)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
