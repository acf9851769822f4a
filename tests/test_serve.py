"""`mkdocs serve` as staff use it: drafts in the local preview, rebuilt when a YAML file changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_site import copy_project

DRAFT = "2023-jining-laodong-hetong"
CASE = "2024-hlbe-laowufei-juchuan"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200 and needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never contained {needle!r}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base, "法治公开", seconds=120)
        yield base, project
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_preview_shows_drafts_marked_as_unpublished(served: tuple[str, Path]) -> None:
    base, _ = served
    body = _wait_for(f"{base}cases/{DRAFT}/", "还没有发布")
    assert "本地预览" in body


def test_editing_a_record_rebuilds_its_page(served: tuple[str, Path]) -> None:
    base, project = served
    record = project / "data" / "cases" / f"{CASE}.yaml"
    text = record.read_text(encoding="utf-8")
    title = text.splitlines()[0].removeprefix("title: ")
    record.write_text(text.replace(title, title + "（已更新）", 1), encoding="utf-8")
    _wait_for(f"{base}cases/{CASE}/", "（已更新）")
