"""An agency adopts the project: its own records in ``data/`` keep the tool's tests green.

The tests read their own sample (`tests.conftest.SAMPLE_DATA`, ``tests/data/``) or records they
write, never the project's ``data/``, which belongs to whoever publishes with the project;
``make test`` checks and builds ``data/`` separately. Two tests hold that:

- a fast one, in every run, refuses any test module that names the project's ``data/`` folder;
- `test_the_whole_suite_passes_with_another_agencys_data` (marker ``adoption``, run by
  ``make adoption`` and in CI after ``make test``) copies the project (its tracked and new
  files, as in the work tree), replaces ``data/`` (registries included) with a different valid
  record set from the benchmark generator (30 cases of other agencies, topics and metrics),
  commits it in a fresh git repository, and runs the copy's whole suite (browser tests
  included), its ``check`` and a site build. A test that read ``data/`` would find records
  other than the sample's and fail there. It takes as long as the suite itself (about three
  minutes on two cores), which is why it is not in every ``make test``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_DATA

#: Ways a test module could name the project's data folder (the tests use SAMPLE_DATA).
_READS_DATA = [re.compile(pattern) for pattern in (
    r"""ROOT\s*/\s*["']data["'/]""", r"""ROOT\s*/\s*["']data/""", r"""ROOT\.(?:r?glob|iterdir)\(\s*["']data""",
    r"""parents?\[\d\]\s*/\s*["']data["']""", r"""Path\(\s*["']data["']\s*\)""",
    # build_stats.py without --data reads data/: every test command names its data folder
    r"""(?:run|_cli)\(\s*["'](?:check|build|site|new)["']""",
)]


def test_no_test_module_names_the_projects_data_folder() -> None:
    offenders = []
    for file in sorted((ROOT / "tests").glob("*.py")):
        if file.name == Path(__file__).name:
            continue
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in _READS_DATA):
                offenders.append(f"{file.name}:{number}: {line.strip()}")
    assert offenders == [], "tests must read tests/data/ (SAMPLE_DATA), not data/:\n" + "\n".join(offenders)


def _project_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _copy_project(project: Path) -> None:
    for name in _project_files():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def _run(command: list[str], project: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False,
                          timeout=timeout)


@pytest.mark.adoption
def test_the_whole_suite_passes_with_another_agencys_data(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed to copy the project")
    project = tmp_path / "agency"
    _copy_project(project)
    env = {k: v for k, v in os.environ.items()
           if k not in ("FAZHI_DATA", "FAZHI_SITE_URL", "FAZHI_REPO_URL", "FAZHI_EDIT_URI", "SOURCE_DATE_EPOCH")}
    env.update({"PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1",
                "GIT_AUTHOR_NAME": "宣传科", "GIT_AUTHOR_EMAIL": "xck@example.gov.cn",
                "GIT_COMMITTER_NAME": "宣传科", "GIT_COMMITTER_EMAIL": "xck@example.gov.cn"})
    imported = _run([sys.executable, "-c", "import fazhi.cli; print(fazhi.cli.__file__)"], project, env, 60)
    assert imported.stdout.strip().startswith(str(project)), imported.stdout + imported.stderr

    # Another agency's records: registries and all, nothing in common with the sample's.
    shutil.rmtree(project / "data")
    generated = tmp_path / "generated"  # the generator never writes into a project's data/
    made = _run([sys.executable, "-m", "bench.generate", "--cases", "30", "--out", str(generated)], project, env, 300)
    assert made.returncode == 0, made.stderr
    shutil.move(generated, project / "data")
    ours = {p.relative_to(project / "data").as_posix() for p in (project / "data").rglob("*.yaml")}
    sample = {p.relative_to(SAMPLE_DATA).as_posix() for p in SAMPLE_DATA.rglob("*.yaml")}
    assert len(ours - sample) >= 30 and not {n for n in ours & sample if n.startswith(("cases/", "campaigns/"))}
    assert (project / "data" / "agencies.yaml").read_bytes() != (SAMPLE_DATA / "agencies.yaml").read_bytes()
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "本单位的数据"]):
        assert _run(["git", *command], project, env, 120).returncode == 0, command

    checked = _run([sys.executable, "build_stats.py", "check"], project, env, 600)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "检查通过" in checked.stdout and "30 个典型案例" in checked.stdout, checked.stdout
    built = _run([sys.executable, "build_stats.py", "site", "--site-dir", str(tmp_path / "site")], project, env, 900)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "site" / "index.html").is_file()

    suite = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env, 3600)
    tail = "\n".join((suite.stdout + suite.stderr).splitlines()[-60:])
    assert suite.returncode == 0, tail
    assert " passed" in tail and " failed" not in tail, tail
