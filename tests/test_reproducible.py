"""The real sample site, built the way CI builds it: byte-identical twice, with edit links.

`python build_stats.py site` sets SOURCE_DATE_EPOCH from the last commit that changed its data folder
(fazhi/ci.py), so the sitemap's <lastmod> and the gzip header of sitemap.xml.gz do not carry
the day of the build.
"""

from __future__ import annotations

import datetime
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fazhi.ci import source_date_epoch
from tests.conftest import ROOT, SAMPLE_DATA

REPO = "https://github.com/example/fazhi"


def _site(site_dir: Path, **env: str | None) -> Path:
    environ = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for key in [k for k, v in env.items() if v is None]:
        environ.pop(key, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_stats.py"), "--data", str(SAMPLE_DATA), "site", "--site-dir", str(site_dir)],
        capture_output=True, text=True, check=False, cwd=ROOT, env=environ)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("reproducible")
    env = {"FAZHI_REPO_URL": REPO, "SOURCE_DATE_EPOCH": None}
    return _site(root / "a", **env), _site(root / "b", **env)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(builds: tuple[Path, Path]) -> None:
    a, b = (_tree(site) for site in builds)
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert not different, different


def test_sitemap_is_dated_by_the_data_not_the_clock(builds: tuple[Path, Path]) -> None:
    site = builds[0]
    stamp = int(source_date_epoch(SAMPLE_DATA, {}))
    day = datetime.datetime.fromtimestamp(stamp, datetime.UTC).date().isoformat()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{day}</lastmod>" in sitemap
    with gzip.open(site / "sitemap.xml.gz", "rb") as packed:
        assert packed.read().decode("utf-8") == sitemap
    header_mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")
    midnight = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
    assert header_mtime == int(midnight.timestamp())


def _edit_link(site: Path, uri: str) -> str | None:
    page = BeautifulSoup((site / uri / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a[rel="edit"]')
    return None if link is None else str(link["href"])


def test_record_pages_edit_their_yaml_and_pages_their_markdown(builds: tuple[Path, Path]) -> None:
    site = builds[0]
    case = sorted((SAMPLE_DATA / "cases").glob("*.yaml"))
    published = [p.stem for p in case if "status: published" in p.read_text(encoding="utf-8")]
    assert published
    assert _edit_link(site, f"cases/{published[0]}") == f"{REPO}/edit/main/data/cases/{published[0]}.yaml"
    campaign = "2024-hlbe-xinchun"
    assert _edit_link(site, f"campaigns/{campaign}") == f"{REPO}/edit/main/data/campaigns/{campaign}.yaml"
    assert _edit_link(site, "about") == f"{REPO}/edit/main/content/about.md"
    assert _edit_link(site, "guide") == f"{REPO}/edit/main/content/guide.md"
    assert _edit_link(site, "cases") is None  # a generated list has no file to edit


def test_without_a_repository_address_there_are_no_edit_links(sample_site: Path) -> None:
    site = sample_site  # built without FAZHI_REPO_URL
    for uri in ("about", "guide", "campaigns/2024-hlbe-xinchun"):
        assert _edit_link(site, uri) is None
    assert (site / "guide" / "errors" / "index.html").is_file()
