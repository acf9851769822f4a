"""Shared fixtures: real YAML files in a temporary `data/` folder, checked by the real code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

from fazhi.problems import DataError, Problem

# No timing assertions in tests: Hypothesis' per-example deadline fails on a busy machine (the
# first call of the name recogniser loads its model). Speed is measured by bench/, not here.
settings.register_profile("fazhi", deadline=None)
settings.load_profile("fazhi")

ROOT = Path(__file__).resolve().parent.parent
#: The tests' own sample data (a copy of the project's sample as it was): tests never read
#: ``data/``, which belongs to whoever publishes with the project (`make test` checks and builds
#: it separately). Replacing ``data/`` with any valid records keeps the tests green.
SAMPLE_DATA = ROOT / "tests" / "data"

AGENCIES = """\
- name: 呼伦贝尔市中级人民法院
  aliases: [呼伦贝尔中院]
  kind: 法院
  region: 内蒙古自治区/呼伦贝尔市
  slug: hlbe-court
- name: 海拉尔区人民法院
  aliases: [海拉尔法院]
  kind: 法院
  region: 内蒙古自治区/呼伦贝尔市/海拉尔区
  slug: hailar-court
"""
TOPICS = """\
- name: 根治欠薪
  slug: wage-arrears
  description: 追讨拖欠的劳动报酬。
- name: 涉民生执行
  slug: livelihood-enforcement
  description: 与群众生活密切相关的执行案件。
"""
METRICS = """\
- name: 执结案件
  slug: cases-closed
  kind: count
  unit: 件
  description: 以任何方式结案的执行案件数。
- name: 执结标的
  slug: amount-closed
  kind: money
  unit: 元
- name: 执行到位金额
  slug: amount-realised
  kind: money
  unit: 元
- name: 拘传
  slug: summoned
  kind: count
  unit: 人
"""
LAWS = """\
- name: 中华人民共和国民事诉讼法
  aliases: [民事诉讼法]
  slug: civil-procedure-law
- name: 最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释
  aliases: [民事诉讼法解释]
  slug: civil-procedure-interpretation
"""
CAMPAIGN = """\
title: “新春暖薪”集中执行行动
kind: 集中执行
agencies: [呼伦贝尔市中级人民法院, 海拉尔法院]
start: 2024-01-14
topics: [根治欠薪]
summary: 两级法院集中执行涉民生案件。
metrics:
  执结案件: 49件
  执结标的: 101.2万元
  拘传: 42人
sources:
  - title: “新春暖薪”保民生
    publisher: 法治报
    date: 2024-01
status: published
"""
CASE = """\
title: 拒付劳务费被拘传 当日转账履行
agency: 海拉尔区人民法院
campaign: xinchun
date: 2024-01-14
procedure: 执行
topics: [根治欠薪]
parties:
  申请执行人: [徐某]
  被执行人: [包某]
measures: [拘传]
outcome: 执行完毕
metrics:
  执行到位金额: 4865元
summary: 被执行人被拘传后当日付清劳务费。
sections:
  基本案情: 被执行人包某拖欠劳务费。
  办理经过: 执行干警依法拘传。
  典型意义: 以强制措施督促履行。
sources:
  - title: “新春暖薪”保民生
status: published
"""

DataDir = Callable[..., Path]


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    """Write a valid minimal data folder; keyword arguments replace or add files.

    `data_dir(**{"cases/x.yaml": "..."})` writes that file; a value of None deletes it.
    """

    def make(**files: str | None) -> Path:
        root = tmp_path / "data"
        defaults = {
            "agencies.yaml": AGENCIES, "topics.yaml": TOPICS, "metrics.yaml": METRICS, "laws.yaml": LAWS,
            "campaigns/xinchun.yaml": CAMPAIGN, "cases/baomou.yaml": CASE,
        }
        defaults.update(files)
        for name, text in defaults.items():
            path = root / name
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def problems_of(data: Path) -> list[Problem]:
    """All problems the real checker reports for a data folder ([] when it passes)."""
    from fazhi.pipeline import load_dataset

    try:
        load_dataset(data)
    except DataError as error:
        return error.problems
    return []


# --- the sample site, built once ------------------------------------------------------------

#: The public address the shared sample site is built for (absolute links: feed, downloads).
SAMPLE_SITE_URL = "https://fazhi.example.gov.cn/pub/"


def mkdocs_build(project: Path, site: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the project folder `project` into `site`.

    `env` adds variables to the environment; a value of None removes one.
    """
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **{k: v for k, v in env.items() if v is not None}}
    for name in [name for name, value in env.items() if value is None]:
        environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(project / "mkdocs.yml"),
         "--site-dir", str(site)],
        capture_output=True, text=True, check=False, cwd=project, env=environ)


def copy_project(project: Path) -> Path:
    """A copy of what an MkDocs build reads, to change without touching the repository.

    Its ``data/`` is the tests' sample data (`SAMPLE_DATA`), not the repository's ``data/``.
    """
    project.mkdir()
    for name in ("mkdocs.yml", "content", "overrides", "fazhi"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    shutil.copytree(SAMPLE_DATA, project / "data")
    return project


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' sample data (`SAMPLE_DATA`) built once per session by real MkDocs, for `SAMPLE_SITE_URL`.

    Every test that reads the built sample site uses this one build. The folder is named
    ``fazhi``: served from its parent, the site sits under ``/fazhi/``, as on a project page.
    It is built without a repository address (no edit links) whatever the environment says.
    Tests read it and must not change it.
    """
    site = tmp_path_factory.mktemp("sample") / "fazhi"
    result = mkdocs_build(ROOT, site, FAZHI_SITE_URL=SAMPLE_SITE_URL, FAZHI_REPO_URL=None, FAZHI_EDIT_URI=None,
                          FAZHI_DATA=str(SAMPLE_DATA))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    """The sample site served on loopback under its public path (``/pub/``), for a module's browser tests.

    Skips outside CI, fails in CI, when Chromium is missing. Missing pages get the site's 404 page.
    """
    from tests.browser import require_chromium, serve_site

    require_chromium()
    with serve_site(sample_site, urlsplit(SAMPLE_SITE_URL).path) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    """One headless Chromium for a module's tests (Playwright's, launched on Debian's binary)."""
    from tests.browser import chromium

    with chromium() as instance:
        yield instance
