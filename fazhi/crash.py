"""What a program error (a bug, not bad data) leaves behind: one file for the maintainers.

Shared by the command line (`fazhi.cli`) and the MkDocs hook (`fazhi.mkdocs_hook`), so both
say the same thing: one Chinese line naming the exception type and the file that holds the
traceback, the command line and the versions. Imports nothing of MkDocs.

When `build_stats.py site` runs MkDocs, it sets `NOTE_ENV` to a file path; the hook writes its
Chinese line there, so the command line can tell a crash inside MkDocs (exit 3) from a
failed build (exit 1).
"""

from __future__ import annotations

import contextlib
import os
import platform
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

__all__ = ["NOTE_ENV", "internal_error_line", "leave_note", "read_note", "report_text", "save_report"]

#: Environment variable naming the file where the hook notes the path of a saved report.
NOTE_ENV = "FAZHI_CRASH_NOTE"

_PACKAGES = ("fazhi", "mkdocs", "mkdocs-material", "pydantic", "PyYAML", "pagefind")


def report_text(error: BaseException, command: Sequence[str] | None = None) -> str:
    """The report: when, which command, which versions, then the full traceback."""
    argv = list(command) if command is not None else sys.argv
    lines = [
        "fazhi internal error report (程序内部错误报告)",
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"command: {shlex.join(argv)}",
        f"cwd: {os.getcwd()}",
        f"python: {sys.version.replace(chr(10), ' ')} ({sys.executable})",
        f"platform: {platform.platform()}",
        *(f"{name}: {_version(name)}" for name in _PACKAGES),
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def save_report(error: BaseException, command: Sequence[str] | None = None) -> Path | None:
    """Write the report to ``<temp dir>/fazhi-error-<timestamp>-*.txt``; None if that failed."""
    try:
        text = report_text(error, command)
        handle, name = tempfile.mkstemp(prefix=f"fazhi-error-{time.strftime('%Y%m%d-%H%M%S')}-",
                                        suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as file:
            file.write(text)
    except Exception:  # reporting a crash must not crash: the caller prints the traceback instead
        return None
    return Path(name)


def internal_error_line(error: BaseException, saved: Path | None) -> str:
    """The one Chinese line staff see for a program error."""
    kind = type(error).__name__
    if saved is None:
        return (f"程序内部错误（不是数据的问题）：{kind}。详细信息无法保存到文件，已显示在上面，"
                "请把上面的全部内容复制给维护人员。")
    return f"程序内部错误（不是数据的问题）：{kind}。详细信息已保存到 {saved}，请把这个文件发给维护人员。"


def leave_note(line: str) -> None:
    """Hand `line` to a calling `build_stats.py site` (through `NOTE_ENV`): a program error happened."""
    note = os.environ.get(NOTE_ENV)
    if not note:
        return
    with contextlib.suppress(OSError):
        Path(note).write_text(line, encoding="utf-8")


def read_note(note: Path) -> str | None:
    """The line `leave_note` wrote to `note`, or None when no program error was noted."""
    try:
        return note.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
