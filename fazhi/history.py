"""When each record last changed: the commit time of the last commit that touched its file.

Record pages and the feed show it ("更新"), so a reader can tell a corrected record from an
untouched one. It comes from git, in one pass over the history of ``data/`` (one ``git log
--name-only`` for every file, not one process per file: at 10,000 records that would take
minutes), and is reproducible: the same commit gives the same dates on every clone.

- A file committed and unchanged since: the time of the last commit that touched it.
- A file with changes not yet committed (edited, staged or new, as in a local preview): the
  fallback time below, marked as not committed, so the page says the record has local changes
  rather than inventing a time.
- Outside a git work tree (a plain copy of the files), or when git fails: every record gets
  the fallback time, `fazhi.ci.source_date_epoch` (``SOURCE_DATE_EPOCH``, else the data's
  newest commit time, else the newest file time), the time the build is stamped with anyway.

This is the only module besides `fazhi.ci` that runs git; the renderers get the dates with
the data (`fazhi.dataset.Dataset.changed`).
"""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Iterable
from pathlib import Path

from fazhi.ci import source_date_epoch
from fazhi.dataset import Changed

__all__ = ["CHINA", "HistoryMemo", "last_changed"]

#: Times are shown in China Standard Time, whatever the build machine's zone.
CHINA = datetime.timezone(datetime.timedelta(hours=8), "CST")
_TIMEOUT = 60
#: What starts a commit's line in the log (git writes %x00 as a NUL byte, which no file name holds).
_MARK = "\x00"


def _git(data_dir: Path, *args: str) -> str | None:
    """The output of ``git <args>`` run in `data_dir`; None when git is missing or fails."""
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=data_dir, capture_output=True,
                                text=True, encoding="utf-8", check=False, timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _moment(epoch: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, CHINA)


def commit_times(data_dir: Path) -> dict[str, int] | None:
    """Each file under `data_dir` (path relative to it) -> the commit time (epoch seconds) of
    the last commit that touched it; None outside a git work tree."""
    log = _git(data_dir, "log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative", "--", ".")
    if log is None:
        return None
    times: dict[str, int] = {}
    stamp = 0
    for line in log.splitlines():
        if line.startswith(_MARK):
            stamp = int(line[len(_MARK):])
        elif line and line not in times:  # newest commits come first
            times[line] = stamp
    return times


def uncommitted(data_dir: Path) -> set[str]:
    """Files under `data_dir` (relative to it) that differ from the last commit or are new."""
    changed = _git(data_dir, "diff", "HEAD", "--name-only", "--no-renames", "--relative", "-z", "--", ".") or ""
    new = _git(data_dir, "ls-files", "--others", "--exclude-standard", "-z", "--", ".") or ""
    return {name for name in (changed + "\x00" + new).split("\x00") if name}


class HistoryMemo:
    """The history as read at one commit, for a process that asks again after each edit (the
    preview): it changes only with a new commit, and ``git log`` over years of commits is the
    slow part. Only the uncommitted files are asked for every time."""

    def __init__(self) -> None:
        self.head: str | None = None
        self.times: dict[str, int] | None = None
        self.fallback = _moment(0)


def last_changed(data_dir: Path, paths: Iterable[str], memo: HistoryMemo | None = None) -> dict[str, Changed]:
    """When each record file last changed, by its path as the records name it (the data
    folder's name first: ``data/cases/x.yaml``). `memo` keeps the history between calls."""
    prefix = data_dir.name + "/"
    times, fallback = _history(data_dir, memo)
    if times is None:
        return {path: Changed(fallback) for path in paths}
    local = uncommitted(data_dir)
    found = {}
    for path in paths:
        inner = path.removeprefix(prefix)
        if inner in local or inner not in times:
            found[path] = Changed(fallback, committed=False)
        else:
            found[path] = Changed(_moment(times[inner]))
    return found


def _history(data_dir: Path, memo: HistoryMemo | None) -> tuple[dict[str, int] | None, datetime.datetime]:
    """The commit times and the fallback time, from `memo` while the commit checked out is the same."""
    head = _git(data_dir, "rev-parse", "HEAD") if memo is not None else None
    if memo is not None and head is not None and head == memo.head:
        return memo.times, memo.fallback
    fallback = _moment(int(source_date_epoch(data_dir)))
    times = commit_times(data_dir)
    if memo is not None and head is not None:  # a commit made meanwhile only changes the head again
        memo.head, memo.times, memo.fallback = head, times, fallback
    return times, fallback
