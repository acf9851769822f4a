"""Integration: what the theme overrides add to the built sample site.

The real sample site is built once for the module with real MkDocs and a deployment address
in FAZHI_SITE_URL, then inspected: the feed link in every page's <head>, the government-site
<meta> tags on record pages, the 「大字」 button, the list filters, the print stylesheet, the
downloads and the feed, and that nothing added loads from another host.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import SAMPLE_DATA, SAMPLE_SITE_URL

SITE_URL = SAMPLE_SITE_URL
ATOM = "{http://www.w3.org/2005/Atom}"
OUR_ASSETS = ("assets/fazhi/textsize.js", "assets/fazhi/filters.js", "assets/fazhi/fazhi.css",
              "assets/fazhi/print.css")
_URL = re.compile(r"https?://[^\s\"'()<>]+")


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    return sample_site


def _records(folder: str) -> list[tuple[str, dict]]:
    found = []
    for file in sorted((SAMPLE_DATA / folder).glob("*.yaml")):
        record = yaml.safe_load(file.read_text(encoding="utf-8"))
        if record.get("status") == "published":
            found.append((file.stem, record))
    assert found, f"the sample data should publish {folder}: the tests that loop over them check nothing"
    return found


def _pages(site: Path) -> list[Path]:
    pages = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)
    assert len(pages) > 30, "the sample site should have its pages: the tests that loop over them check nothing"
    return pages


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _page_url(site: Path, path: Path) -> str:
    return urljoin(SITE_URL, path.relative_to(site).as_posix())


def test_every_page_links_the_feed(site: Path) -> None:
    pages = _pages(site)
    for path in pages:
        head = _soup(path).head
        assert head is not None
        links = head.select('link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, path
        assert links[0]["title"]
        target = urljoin(_page_url(site, path), links[0]["href"])
        assert target == SITE_URL + "feeds/atom.xml", path


def test_record_pages_carry_government_meta_tags(site: Path) -> None:
    for folder in ("cases", "campaigns"):
        for record_id, record in _records(folder):
            page = _soup(site / folder / record_id / "index.html")
            meta = {tag["name"]: tag["content"] for tag in page.head.select("meta[name]")}
            assert meta["ArticleTitle"] == record["title"] == page.h1.get_text(), record_id
            assert meta["PubDate"] == str(record["date" if folder == "cases" else "start"])
            publishers = [s["publisher"] for s in record["sources"] if s.get("publisher")]
            if publishers:
                assert meta["ContentSource"] == publishers[0]
            else:
                assert meta["ContentSource"]
    lists = _soup(site / "cases" / "index.html").head
    assert not lists.select('meta[name="ArticleTitle"]')


def test_large_text_button(site: Path) -> None:
    for path in (site / "index.html", site / "cases" / "index.html",
                 site / "cases" / _records("cases")[0][0] / "index.html"):
        page = _soup(path)
        [button] = page.select("button.fazhi-textsize")
        assert button.get_text(strip=True) == "大字"
        assert button["type"] == "button" and button["aria-pressed"] == "false"
        assert button.has_attr("hidden")  # shown by its script: without JavaScript it does nothing
        scripts = [s.get("src", "") for s in page.head.select("script[src]")]
        assert any(src.endswith("assets/fazhi/textsize.js") for src in scripts)
    script = (site / "assets" / "fazhi" / "textsize.js").read_text(encoding="utf-8")
    assert "localStorage" in script and "aria-pressed" in script and "fazhi-large-text" in script
    css = (site / "assets" / "fazhi" / "fazhi.css").read_text(encoding="utf-8")
    assert "html.fazhi-large-text" in css


def _filter(page: BeautifulSoup, names: list[str]) -> None:
    [form] = page.select("form.fazhi-filter")
    assert form.has_attr("hidden")  # without JavaScript the full list shows, no dead form
    selects = form.select("select")
    assert [s["name"] for s in selects] == names
    for select in selects:
        label = form.select_one(f'label[for="{select["id"]}"]')
        assert label is not None and label.get_text(strip=True)
        assert select.option["value"] == "" and select.option.get_text() == "全部"
    assert re.fullmatch(r"显示 \d+ / \d+ 条", form.select_one(".fazhi-filter__count").get_text())


def _check_items(page: BeautifulSoup, selector: str, names: list[str], count: int) -> None:
    items = page.select(selector)
    assert len(items) == count
    options = {s["name"]: {o["value"] for o in s.select("option")} for s in page.select("form select")}
    for item in items:
        for name in names:
            values = item[f"data-{name}"].split()
            assert values, (name, item)
            assert any(value in options[name] for value in values), (name, values)
    for name in names:  # every option matches at least one item
        offered = options[name] - {""}
        used = {v for item in items for v in item[f"data-{name}"].split()}
        assert offered <= used, name


def test_cases_list_filters(site: Path) -> None:
    page = _soup(site / "cases" / "index.html")
    names = ["year", "region", "topic", "procedure", "outcome"]
    _filter(page, names)
    _check_items(page, "tr.fazhi-item", names, len(_records("cases")))
    assert "2024" in {o["value"] for o in page.select('select[name="year"] option')}
    assert page.select_one('tr.fazhi-item a[href]')["href"].endswith("/")  # resolved by MkDocs


def test_campaigns_list_filters(site: Path) -> None:
    page = _soup(site / "campaigns" / "index.html")
    names = ["year", "region", "topic", "kind"]
    _filter(page, names)
    _check_items(page, "div.fazhi-item", names, len(_records("campaigns")))


def test_own_assets_are_linked(site: Path) -> None:
    page = _soup(site / "cases" / _records("cases")[0][0] / "index.html")
    styles = [link["href"] for link in page.head.select('link[rel="stylesheet"]')]
    assert any(href.endswith("assets/fazhi/print.css") for href in styles)
    assert any(href.endswith("assets/fazhi/fazhi.css") for href in styles)
    scripts = [s["src"] for s in page.select("script[src]")]
    assert any(src.endswith("assets/fazhi/filters.js") for src in scripts)
    print_css = (site / "assets" / "fazhi" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in print_css and "attr(href)" in print_css and ".md-header" in print_css


def test_nothing_added_loads_from_another_host(site: Path) -> None:
    allowed = urlsplit(SITE_URL).netloc
    for asset in OUR_ASSETS:
        text = (site / asset).read_text(encoding="utf-8")
        assert not [u for u in _URL.findall(text) if urlsplit(u).netloc != allowed], asset
    for path in _pages(site):
        page = _soup(path)
        added = [*page.head.select("link, script, meta"), *page.select(".fazhi-tools"),
                 *page.select("form.fazhi-filter")]
        for tag in added:
            for value in tag.attrs.values():
                for url in _URL.findall(str(value)):
                    assert urlsplit(url).netloc == allowed, (path, url)
            for url in _URL.findall(tag.get_text()):
                assert urlsplit(url).netloc == allowed, (path, url)


def test_feed_and_downloads_are_published(site: Path) -> None:
    root = ET.fromstring((site / "feeds" / "atom.xml").read_bytes())
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(30, len(_records("cases")) + len(_records("campaigns")))
    for entry in entries:
        assert entry.findtext(f"{ATOM}id", "").startswith(SITE_URL)
    for link in root.iter(f"{ATOM}link"):
        assert link.get("href", "").startswith(SITE_URL)
    for name in ("campaigns", "cases", "figures"):
        assert (site / "data" / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        assert (site / "data" / f"{name}.json").is_file()
    dictionary = _soup(site / "data" / "index.html")
    hrefs = {a["href"] for a in dictionary.select("article a[href]")}
    assert {"campaigns.csv", "cases.json", "figures.csv", "../feeds/atom.xml"} <= hrefs
    nav = " ".join(a.get("href", "") for a in _soup(site / "index.html").select("nav a"))
    assert "data/" in nav
