"""The second engine: the site builds unchanged on ProperDocs, the maintained fork of MkDocs 1.x.

MkDocs 1.x is no longer developed and Material announces its end of life for 2027-05-05.
ProperDocs (``properdocs``, a test dependency) reads the same ``mkdocs.yml``, runs the same
hook (``fazhi/mkdocs_hook.py``, whose ``mkdocs.*`` imports it redirects to ``properdocs.*``)
and loads Material through the same ``mkdocs.themes`` and ``mkdocs.plugins`` entry points; its
module and command are ``properdocs``, so it installs beside MkDocs.

The test builds the tests' sample data with both engines, with the same environment, into two
folders and compares every file byte for byte. The one difference allowed, measured when the
test was written (MkDocs 1.6.1, ProperDocs 1.6.7, Material 9.8.1): each HTML page's generator
tag, ``mkdocs-1.6.1, mkdocs-material-9.8.1`` against ``mkdocs-ProperDocs 1.6.7,
mkdocs-material-9.8.1``. The sitemap, feed, downloads, search index and assets are identical.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_DATA, SAMPLE_SITE_URL

ENGINES = ("mkdocs", "properdocs")
_GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


def _build(engine: str, site: Path) -> None:
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
               "FAZHI_DATA": str(SAMPLE_DATA), "FAZHI_SITE_URL": SAMPLE_SITE_URL,
               "SOURCE_DATE_EPOCH": "1705190400"}  # same sitemap date and gzip header in both
    for name in ("FAZHI_REPO_URL", "FAZHI_EDIT_URI"):
        environ.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"),
         "--site-dir", str(site)], capture_output=True, text=True, check=False, cwd=ROOT, env=environ)
    assert result.returncode == 0, f"{engine}:\n{result.stderr}"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("engines")
    found = {}
    for engine in ENGINES:
        _build(engine, root / engine)
        found[engine] = _files(root / engine)
    return found


def test_both_engines_write_the_same_files(builds: dict[str, dict[str, bytes]]) -> None:
    mkdocs, properdocs = (builds[engine] for engine in ENGINES)
    assert len(mkdocs) > 100
    assert sorted(mkdocs) == sorted(properdocs)


def test_every_file_is_byte_identical_but_the_generator_tag(builds: dict[str, dict[str, bytes]]) -> None:
    mkdocs, properdocs = (builds[engine] for engine in ENGINES)
    different = [name for name in mkdocs if mkdocs[name] != properdocs.get(name)]
    assert different, "the generator tags should differ: is ProperDocs really the second engine?"
    assert all(name.endswith(".html") for name in different), different
    for name in different:
        assert _GENERATOR.sub(b"", mkdocs[name]) == _GENERATOR.sub(b"", properdocs[name]), name


def test_the_generator_tags_name_each_engine(builds: dict[str, dict[str, bytes]]) -> None:
    tags = {engine: {m.group(1).decode() for m in _GENERATOR.finditer(builds[engine]["index.html"])}
            for engine in ENGINES}
    [mkdocs] = tags["mkdocs"]
    [properdocs] = tags["properdocs"]
    assert mkdocs.startswith("mkdocs-1.") and "mkdocs-material-" in mkdocs
    assert properdocs.startswith("mkdocs-ProperDocs 1.") and "mkdocs-material-" in properdocs
