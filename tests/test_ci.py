"""CI output: GitHub annotations from `check --format github`, the build time, the progress hook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi.ci import escape_data, escape_property, github_annotation, source_date_epoch
from fazhi.models import REGISTRY_MODELS
from fazhi.problems import make_problem
from fazhi.records import read_data
from tests.conftest import CASE, ROOT, SAMPLE_DATA, DataDir


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_stats.py"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_escaping_follows_githubs_rules() -> None:
    assert escape_data("100% 完成\r\n下一行") == "100%25 完成%0D%0A下一行"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_one_annotation_per_problem_at_its_line() -> None:
    problem = make_problem("field.choice", "data/cases/x.yaml", 5, 12, field_name="procedure",
                           value="执法", allowed="执行、审判")
    assert github_annotation(problem) == (
        "::error file=data/cases/x.yaml,line=5,col=12,title=规则 2（field.choice）::"
        "字段 procedure：“执法”不是允许的值 — 从这些值中选一个：执行、审判")


def test_check_format_github(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/baomou.yaml": CASE.replace("procedure: 执行", "procedure: 执法"),
                       "cases/second.yaml": "title: [\n"})
    result = _cli("--data", str(data), "check", "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("::error file=data/cases/baomou.yaml,line=5,col=12,title=规则 2")
    assert lines[1].startswith("::error file=data/cases/second.yaml,line=")
    assert lines[-1] == "共 2 个问题，涉及 2 个文件。改正后重新运行检查。"
    assert all("\n" not in line for line in lines)


def test_check_format_github_passes_quietly_on_good_data() -> None:
    result = _cli("--data", str(SAMPLE_DATA), "check", "--format", "github")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("检查通过")
    assert result.stderr == ""  # no progress bar when not on a terminal


def test_progress_is_called_once_per_file(data_dir: DataDir) -> None:
    data = data_dir()
    calls: list[None] = []
    read_data(data, progress=lambda: calls.append(None))
    assert len(calls) == len(REGISTRY_MODELS) + 2  # each registry, one campaign, one case


def test_source_date_epoch_prefers_the_environment(tmp_path: Path) -> None:
    assert source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "1700000000"}) == "1700000000"


def test_source_date_epoch_is_the_last_data_commit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-01-14T08:00:00+08:00",
           "GIT_COMMITTER_DATE": "2024-01-14T08:00:00+08:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "x"]):
        subprocess.run(command, cwd=tmp_path, env=env, check=True)
    os.utime(data / "a.yaml", (2_000_000_000, 2_000_000_000))  # a later mtime does not count
    assert source_date_epoch(data, {}) == "1705190400"


def test_source_date_epoch_without_git_uses_the_newest_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name, stamp in (("a.yaml", 1_600_000_000), ("b.yaml", 1_650_000_000)):
        (data / name).write_text("x: 1\n", encoding="utf-8")
        os.utime(data / name, (stamp, stamp))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no enclosing repository
    assert source_date_epoch(data, {}) == "1650000000"
