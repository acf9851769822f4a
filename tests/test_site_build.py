"""`python build_stats.py site`: built beside the site folder, swapped in at once, never left behind."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fazhi import cli
from tests.conftest import ROOT, SAMPLE_DATA

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals and flock are POSIX")

EXTRA_CASE = "2023-extra-ceshi"


def _site_command(data: Path, site: Path) -> list[str]:
    return [sys.executable, str(ROOT / "build_stats.py"), "--data", str(data), "site", "--site-dir", str(site)]


def _old_site(parent: Path) -> Path:
    site = parent / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("old", encoding="utf-8")
    return site


def _copy_data(tmp_path: Path) -> Path:
    """The sample data, plus one more published case (a copy of one under a new title)."""
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    source = (SAMPLE_DATA / "cases" / "2023-wuchuan-nongmingong.yaml").read_text(encoding="utf-8")
    lines = ["title: 额外发布的测试案例" if line.startswith("title:") else line for line in source.splitlines()]
    (data / "cases" / f"{EXTRA_CASE}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_sigterm_mid_build_removes_the_staging_folder_and_keeps_the_site(tmp_path: Path) -> None:
    site = _old_site(tmp_path / "out")
    build = subprocess.Popen(_site_command(SAMPLE_DATA, site), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    mkdocs: list[int] = []
    while not mkdocs and build.poll() is None and time.monotonic() < deadline:
        mkdocs = _children(build.pid) if list(site.parent.glob(".site-build-*")) else []
        time.sleep(0.02)
    assert mkdocs, "MkDocs never started: " + build.communicate()[1]
    assert list(site.parent.glob(".site-build-*/lock"))
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 143, stderr
    assert "已被终止" in stderr and "Traceback" not in stderr
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in mkdocs), "MkDocs was left running"


def test_a_run_builds_from_its_data_folder_and_removes_abandoned_staging(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    site = _old_site(tmp_path / "out")
    abandoned = site.parent / ".site-build-killed"  # a run killed with SIGKILL: lock file, no lock
    (abandoned / "site").mkdir(parents=True)
    (abandoned / "lock").touch()
    running = site.parent / ".site-build-running"  # a build running now: its lock is held
    running.mkdir()
    for folder in (abandoned, running):
        _age(folder)
    other = site.parent / "site-build-notes"  # not ours
    other.mkdir()
    with (running / "lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(_site_command(data, site), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert not abandoned.exists()
    assert running.is_dir() and other.is_dir()
    assert sorted(p.name for p in site.parent.iterdir()) == [".site-build-running", "site", "site-build-notes"]
    page = site / "cases" / EXTRA_CASE / "index.html"
    assert "额外发布的测试案例" in page.read_text(encoding="utf-8")
    assert "<html" in (site / "index.html").read_text(encoding="utf-8")


def test_a_program_error_inside_mkdocs_exits_3(tmp_path: Path) -> None:
    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "import fazhi.pipeline\n"
        "def generate(*args, **kwargs):\n"
        "    raise RuntimeError('injected')\n"
        "fazhi.pipeline.generate = generate\n", encoding="utf-8")
    site = _old_site(tmp_path / "out")
    path = os.pathsep.join(filter(None, [str(patch), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "TMPDIR": str(tmp_path)}
    result = subprocess.run(_site_command(SAMPLE_DATA, site), capture_output=True, text=True,
                            check=False, env=env)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("程序内部错误（不是数据的问题）：RuntimeError。详细信息已保存到 ")
    report = Path(last.split("保存到 ")[1].split("，")[0])
    assert report.parent == tmp_path
    assert "RuntimeError: injected" in report.read_text(encoding="utf-8")
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def _age(folder: Path, seconds: float = 3600) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


def _new_site(parent: Path) -> Path:
    new = parent / ".site-build-x" / "site"
    new.mkdir(parents=True)
    (new / "index.html").write_text("new", encoding="utf-8")
    return new


def test_swap_exchanges_the_folders_in_one_step(tmp_path: Path) -> None:
    site = _old_site(tmp_path)
    new = _new_site(tmp_path)
    inode = new.stat().st_ino
    cli.swap_site(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert site.stat().st_ino == inode
    assert list((tmp_path / ".site-build-x").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-build-x", "site"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_renameat2_exchange_is_available_here(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").write_text("b", encoding="utf-8")
    assert cli._exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a").read_text(encoding="utf-8") == "b"
    assert (tmp_path / "b").is_dir()


def test_swap_falls_back_to_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_exchange", lambda first, second: False)
    site = _old_site(tmp_path)
    cli.swap_site(_new_site(tmp_path), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert list((tmp_path / ".site-build-x").iterdir()) == []


def test_first_swap_with_no_site_yet(tmp_path: Path) -> None:
    site = tmp_path / "site"
    cli.swap_site(_new_site(tmp_path), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert list((tmp_path / ".site-build-x").iterdir()) == []


def test_only_unlocked_staging_folders_beside_the_site_are_abandoned(tmp_path: Path) -> None:
    site = tmp_path / "site"
    locked, unlocked, unlocked_new, no_lock, no_lock_new = (
        tmp_path / f".site-build-{name}" for name in ("a", "b", "c", "d", "e"))
    for folder in (locked, unlocked, unlocked_new, no_lock, no_lock_new):
        folder.mkdir()
    for folder in (locked, unlocked, unlocked_new):
        (folder / "lock").touch()
    for folder in (locked, unlocked, no_lock):
        _age(folder, 3)
    (tmp_path / "elsewhere" / ".site-build-f").mkdir(parents=True)
    _age(tmp_path / "elsewhere" / ".site-build-f")
    with (locked / "lock").open("wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert cli.remove_abandoned(site) == [unlocked, no_lock]
    assert locked.is_dir() and unlocked_new.is_dir() and no_lock_new.is_dir()
    assert (tmp_path / "elsewhere" / ".site-build-f").is_dir()
