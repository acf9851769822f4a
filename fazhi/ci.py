"""What continuous integration needs from the command line: annotations and a fixed build time.

- `github_annotations` writes each problem as a GitHub Actions workflow command
  (``::error file=…,line=…,col=…,title=…::message``), so a pull request shows every data
  error on the line of the YAML file it concerns.
- `source_date_epoch` chooses the build time for reproducible builds: MkDocs stamps the
  sitemap (``<lastmod>``) and the gzip header of ``sitemap.xml.gz`` with the build date unless
  ``SOURCE_DATE_EPOCH`` is set (https://reproducible-builds.org/specs/source-date-epoch/).
  `build_stats.py site` sets it to the time of the last commit that changed ``data/``, so the
  same data always builds the same bytes, and the sitemap's date says when the content last
  changed rather than when the build ran.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from fazhi.problems import Problem

__all__ = ["escape_data", "escape_property", "github_annotations", "source_date_epoch"]


def escape_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's rule: ``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (the message rule, plus ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """One problem as an ``::error`` line that GitHub shows on the file's line."""
    where = f"字段 {problem.field_name}：" if problem.field_name else ""
    properties = {
        "file": problem.path, "line": str(problem.line), "col": str(problem.column),
        "title": f"规则 {problem.rule}（{problem.code}）",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::error {joined}::{escape_data(f'{where}{problem.message} — {problem.hint}')}"


def github_annotations(problems: Iterable[Problem]) -> str:
    """Every problem as an annotation line, in report order."""
    return "\n".join(github_annotation(p) for p in sorted(problems))


def github_notice(path: str, line: int, message: str) -> str:
    """A ``::notice`` line (used for privacy findings that a record waived)."""
    return f"::notice file={escape_property(path)},line={line}::{escape_data(message)}"


def source_date_epoch(data_dir: Path, environ: Mapping[str, str] | None = None) -> str:
    """The build time for ``SOURCE_DATE_EPOCH``, as text.

    In order: the value already in the environment; the commit time of the last commit that
    changed `data_dir` (``git log -1 --format=%ct``); the newest modification time of a file
    under `data_dir`. The first is what packagers and CI set; the second is the same on every
    clone; the third keeps a build from a plain copy of the files reproducible on that copy.
    """
    environ = os.environ if environ is None else environ
    if environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return environ["SOURCE_DATE_EPOCH"].strip()
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."], cwd=data_dir,
            capture_output=True, text=True, check=False, timeout=30)
        stamp = result.stdout.strip()
        if result.returncode == 0 and stamp.isdigit():
            return stamp
    except (OSError, subprocess.SubprocessError):
        pass
    times = [int(p.stat().st_mtime) for p in data_dir.rglob("*") if p.is_file()]
    return str(max(times, default=0))
