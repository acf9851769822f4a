"""Integration: build the real sample site with real MkDocs and inspect its HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import SAMPLE_DATA, copy_project, mkdocs_build


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    return sample_site


def _html(site: Path, uri: str) -> BeautifulSoup:
    return BeautifulSoup((site / uri / "index.html").read_text(encoding="utf-8"), "html.parser")


def _published(folder: str) -> list[str]:
    import yaml

    ids = []
    for file in sorted((SAMPLE_DATA / folder).glob("*.yaml")):
        record = yaml.safe_load(file.read_text(encoding="utf-8"))
        if record.get("status") == "published":
            ids.append(file.stem)
    assert ids, f"the sample data should publish {folder}: the tests that loop over them check nothing"
    return ids


def test_every_published_record_has_a_page(site: Path) -> None:
    for folder in ("campaigns", "cases"):
        for record_id in _published(folder):
            page = _html(site, f"{folder}/{record_id}")
            assert page.find("h1") is not None, record_id


def test_drafts_appear_nowhere(site: Path) -> None:
    drafts = []
    for folder in ("campaigns", "cases"):
        for file in (SAMPLE_DATA / folder).glob("*.yaml"):
            if "status: published" not in file.read_text(encoding="utf-8"):
                drafts.append((folder, file.stem))
    assert drafts, "the sample data should keep one draft to prove this"
    everything = "".join(p.read_text(encoding="utf-8", errors="ignore")
                         for p in site.rglob("*") if p.is_file()
                         and p.suffix in (".html", ".json", ".xml"))
    for folder, record_id in drafts:
        assert not (site / folder / record_id).exists()
        assert f"{folder}/{record_id}/" not in everything


def test_language_is_chinese_and_no_google_fonts(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in page
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page


def test_lists_link_to_records(site: Path) -> None:
    cases = _html(site, "cases")
    links = {a["href"] for a in cases.select("article a[href]")}
    for record_id in _published("cases"):
        assert any(record_id in href for href in links), record_id


def test_case_table_is_written_whole_and_links_where_mkdocs_would(site: Path) -> None:
    """The case table skips Markdown conversion (set aside by the glue, put back after): it is
    in the page once, inside its year's group, no marker is left, and each link opens a page."""
    text = (site / "cases" / "index.html").read_text(encoding="utf-8")
    assert "fazhi:html" not in text
    cases = _html(site, "cases")
    tables = cases.select("article div.fazhi-group > table[data-fazhi-cards]")
    assert len(tables) == len(cases.select("article div.fazhi-group"))
    rows = [row for table in tables for row in table.select("tbody tr.fazhi-item")]
    assert len(rows) == len(_published("cases"))
    for row in rows:
        for href in (a["href"] for a in row.select("a[href]")):
            assert (site / "cases" / href / "index.html").resolve().is_file(), href


def test_case_pages_are_not_in_the_sidebar(site: Path) -> None:
    home = _html(site, ".")
    nav = " ".join(a.get("href", "") for a in home.select("nav a"))
    for record_id in _published("cases"):
        assert f"cases/{record_id}/" not in nav


def test_figures_appear_as_the_press_writes_them(site: Path) -> None:
    text = _html(site, "campaigns/2024-hlbe-xinchun").get_text()
    assert "101.2万元" in text and "49件" in text


def test_invalid_data_fails_the_build_with_checker_messages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case = next((project / "data" / "cases").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8").replace("procedure:", "procedur:"),
                    encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert f"data/cases/{case.name}:" in result.stderr
    assert "未知字段“procedur”" in result.stderr


def test_case_page_lists_related_cases_same_campaign_first(site: Path) -> None:
    page = _html(site, "cases/2024-hlbe-laowufei-juchuan")
    heading = next(h for h in page.find_all("h2") if h.get_text(strip=True) == "相关案例")
    links = [a["href"] for a in heading.find_next("ul").find_all("a")]
    assert 0 < len(links) <= 5
    assert {links[0].strip("/").split("/")[-1], links[1].strip("/").split("/")[-1]} == {
        "2024-hlbe-jiaotong-peichang", "2024-hlbe-maimai-hetong"}
    assert not any("2024-hlbe-laowufei-juchuan" in href for href in links)


def test_agency_and_topic_pages_show_their_totals(site: Path) -> None:
    agency = _html(site, "agencies/hulunbuir-intermediate-court").get_text()
    # the joint campaign's figures are the city's courts' together: in the roll-up, never the court's own
    assert "各级法院合计" in agency and "101.2万元" in agency and "49件" in agency
    assert "参与的联合行动" in agency and "联合数字" in agency
    topic = _html(site, "topics/wage-arrears").get_text()
    assert "数字合计" in topic and "执结标的" in topic


def test_stale_generated_copies_never_reach_the_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    stale = project / "content" / "cases" / "withdrawn-case.md"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("# 已撤回的案例\n\n被执行人张建国\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "cases" / "withdrawn-case").exists()
