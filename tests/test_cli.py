"""The command line as staff run it: `python build_stats.py check | build | site`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import CASE, ROOT, DataDir


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_stats.py"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_sample_data_passes() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("检查通过")


def test_bad_data_lists_every_problem_then_a_summary(data_dir: DataDir) -> None:
    case = CASE.replace("procedure: 执行", "procedure: 执法").replace("\t", "")
    data = data_dir(**{"cases/baomou.yaml": case, "cases/second.yaml": "title: [\n"})
    result = run("--data", str(data), "check")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("data/cases/baomou.yaml:5:12: ")
    assert lines[1].startswith("data/cases/second.yaml:")
    assert lines[-1] == "共 2 个问题，涉及 2 个文件。改正后重新运行检查。"
    assert "Traceback" not in result.stdout + result.stderr


def test_usage_errors_exit_2() -> None:
    assert run("chek").returncode == 2
    assert "用法错误" in run("chek").stderr
    assert run("--data", "/nonexistent", "check").returncode == 2


def test_build_writes_the_generated_pages(tmp_path: Path) -> None:
    result = run("build", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "campaigns" / "2024-hlbe-xinchun.md").is_file()
    assert (tmp_path / "cases" / "index.md").is_file()


def test_site_failure_keeps_the_previous_site(tmp_path: Path, data_dir: DataDir) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    bad = data_dir(**{"cases/baomou.yaml": CASE.replace("procedure:", "procedur:")})
    result = run("--data", str(bad), "site", "--site-dir", str(site))
    assert result.returncode == 1
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".site-*"))


def test_generated_pages_are_git_ignored_and_hand_written_ones_are_not() -> None:
    from fazhi.pipeline import generate

    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT,
                              check=False).returncode == 0

    if not (ROOT / ".git").exists():
        return
    for page in generate(ROOT / "data"):
        assert ignored(f"content/{page.src_uri}"), page.src_uri
    for page in ("content/about.md", "content/guide.md", "content/assets/fazhi/fazhi.css"):
        assert not ignored(page), page
