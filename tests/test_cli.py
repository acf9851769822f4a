"""The command line as staff run it: `python build_stats.py check | build | site`, and its exit codes."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fazhi import cli
from tests.conftest import AGENCIES, CAMPAIGN, CASE, METRICS, ROOT, SAMPLE_DATA, TOPICS, DataDir, problems_of


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_stats.py"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_sample_data_passes() -> None:
    result = run("--data", str(SAMPLE_DATA), "check")
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
    result = run("--data", str(SAMPLE_DATA), "build", "--out", str(tmp_path))
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


def _crash(*args: object) -> int:
    raise ZeroDivisionError("a bug")


def test_a_program_error_exits_3_with_one_line_and_a_saved_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(cli, "_check", _crash)
    assert cli.main(["--data", str(SAMPLE_DATA), "check"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    [report] = tmp_path.glob("fazhi-error-*.txt")
    assert line == (f"程序内部错误（不是数据的问题）：ZeroDivisionError。详细信息已保存到 {report}，"
                    "请把这个文件发给维护人员。")
    text = report.read_text(encoding="utf-8")
    assert f"command: build_stats.py --data {SAMPLE_DATA} check" in text
    assert "python: 3." in text and "fazhi: " in text
    assert 'raise ZeroDivisionError("a bug")' in text and text.rstrip().endswith("ZeroDivisionError: a bug")


def test_a_program_error_prints_the_traceback_when_no_report_can_be_saved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    monkeypatch.setattr(cli, "_build", _crash)
    assert cli.main(["--data", str(SAMPLE_DATA), "build", "--out", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: a bug" in err
    assert err.splitlines()[-1].startswith("程序内部错误（不是数据的问题）：ZeroDivisionError。详细信息无法保存到文件")


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_check", interrupted)
    assert cli.main(["--data", str(SAMPLE_DATA), "check"]) == 130
    assert capsys.readouterr().err == "已中断（Ctrl+C），命令没有完成。\n"


def test_help_lists_the_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    codes = result.stdout.split("退出码：")[1]
    for code in ("0", "1", "2", "3", "130"):
        assert f"\n  {code} " in codes


def _campaigns(root: Path, count: int, cycle: bool) -> Path:
    """`count` tiny published campaigns, each `part_of` the next: a chain, or a cycle."""
    for name, text in (("agencies.yaml", AGENCIES), ("topics.yaml", TOPICS), ("metrics.yaml", METRICS)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "campaigns").mkdir()
    for number in range(count):
        parent = f"c{(number + 1) % count:04d}" if cycle or number + 1 < count else None
        text = (f"title: 行动{number}\nkind: 集中执行\nagencies: [海拉尔法院]\nstart: 2024-01-14\n"
                f"topics: [根治欠薪]\nsummary: 集中执行。\nsources:\n  - title: 新闻\nstatus: published\n")
        text += f"part_of: {parent}\n" if parent else ""
        (root / "campaigns" / f"c{number:04d}.yaml").write_text(text, encoding="utf-8")
    return root


def test_a_chain_of_2000_campaigns_checks_fast(tmp_path: Path) -> None:
    data = _campaigns(tmp_path / "data", 2000, cycle=False)
    started = time.perf_counter()
    result = run("--data", str(data), "check")
    assert time.perf_counter() - started < 10
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2000 个专项行动" in result.stdout


def test_a_cycle_of_2000_campaigns_is_reported_once_fast(tmp_path: Path) -> None:
    data = _campaigns(tmp_path / "data", 2000, cycle=True)
    started = time.perf_counter()
    result = run("--data", str(data), "check")
    assert time.perf_counter() - started < 10
    assert result.returncode == 1
    [problem] = [line for line in result.stdout.splitlines() if "part_of 形成了循环" in line]
    cycle = " → ".join(f"c{number:04d}" for number in [*range(2000), 0])
    assert problem.startswith("data/campaigns/c0000.yaml:10:")
    assert f"part_of 形成了循环：{cycle}" in problem
    assert result.stdout.strip().splitlines()[-1] == "共 1 个问题，涉及 1 个文件。改正后重新运行检查。"


def test_a_cycle_off_a_chain_is_reported_from_its_smallest_member(data_dir: DataDir) -> None:
    lines = CAMPAIGN.replace("status: published\n", "")
    data = data_dir(**{
        "campaigns/a.yaml": lines + "status: published\npart_of: c\n",
        "campaigns/b.yaml": lines + "status: published\npart_of: c\n",
        "campaigns/c.yaml": lines + "status: published\npart_of: d\n",
        "campaigns/d.yaml": lines + "status: published\npart_of: c\n",
    })
    assert [p.message for p in problems_of(data) if p.code == "ref.cycle"] == ["part_of 形成了循环：c → d → c"]
