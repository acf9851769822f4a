"""`mkdocs serve --dirty` as `make serve` runs it: drafts in the local preview, and after a
YAML file changes, only the pages whose text changed are rebuilt."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project

DRAFT = "2023-jining-laodong-hetong"
CASE = "2024-hlbe-laowufei-juchuan"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
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
    with (project / "serve.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=log, text=True,
            # Its first build shares the pages out between two processes (`_Share`), as a
            # large data set's would.
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FAZHI_BUILD_PROCESSES": "2"})
        try:
            base = f"http://127.0.0.1:{port}/"
            _wait_for(base, "法治公开", seconds=120)
            yield base, project
        finally:
            process.terminate()
            process.wait(timeout=20)


def _rebuilt_counts(project: Path) -> list[int]:
    """How many generated pages each build rewrote, from the hook's log lines."""
    lines = (project / "serve.log").read_text(encoding="utf-8").splitlines()
    return [int(match[1]) for line in lines if (match := re.search(r"预览：(\d+) 个生成页面有变化", line))]


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


def test_a_rebuild_rewrites_only_the_pages_whose_text_changed(served: tuple[str, Path]) -> None:
    base, project = served
    record = project / "data" / "cases" / f"{CASE}.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("summary: ", "summary: 摘要已修改。", 1), encoding="utf-8")
    _wait_for(f"{base}cases/{CASE}/", "摘要已修改。")
    counts = _rebuilt_counts(project)
    first, last = counts[0], counts[-1]
    assert first > 80  # the first build writes every generated page
    # The case page, and the pages quoting its summary (its agency, topics, regions, the
    # data downloads), not the other cases' pages.
    assert 1 <= last < first / 4
    assert "INFO    -  搜索索引" in (project / "serve.log").read_text(encoding="utf-8")


def test_one_save_starts_one_rebuild(served: tuple[str, Path]) -> None:
    # The data folder is watched through the system's file events (`on_serve`); the rebuild
    # opens the saved record again, which must not count as another change.
    base, project = served
    log = project / "serve.log"
    before = log.read_text(encoding="utf-8").count("Detected file changes")
    record = project / "data" / "cases" / f"{CASE}.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("summary: ", "summary: 再改一次。", 1), encoding="utf-8")
    _wait_for(f"{base}cases/{CASE}/", "再改一次。")
    time.sleep(2)  # longer than MkDocs' half-second listing of the folders it watches itself
    assert log.read_text(encoding="utf-8").count("Detected file changes") == before + 1


def test_after_a_rebuild_the_links_of_a_rebuilt_page_and_the_site_map_still_reach_every_page(
        served: tuple[str, Path]) -> None:
    """Pages a rebuild leaves alone are known to MkDocs only as link targets (`_MirrorFile`):
    links to them still resolve, they are still served, and the site map still lists them."""
    base, project = served
    record = project / "data" / "cases" / f"{CASE}.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("summary: ", "summary: 链接检查。", 1), encoding="utf-8")
    page_url = f"{base}cases/{CASE}/"
    page = _wait_for(page_url, "链接检查。")
    targets = {urllib.parse.urljoin(page_url, href.split("#")[0])
               for href in re.findall(r'href="([^"]+)"', page)
               if not href.startswith(("http:", "https:", "#", "mailto:"))}
    pages = {target for target in targets if target.endswith("/")}
    assert len(pages) > 10  # the nav, its agency, topics, related cases, its year in the list
    assert [target for target in sorted(targets) if _get(target)[0] != 200] == []
    status, sitemap = _get(f"{base}sitemap.xml")
    listed = set(re.findall(r"<loc>[^<]*?/((?:cases|campaigns|agencies)/[^<]*)</loc>", sitemap))
    cases = {f"cases/{path.stem}/" for path in (project / "data" / "cases").glob("*.yaml")}
    assert status == 200 and len(cases) > 10 and cases <= listed
    assert {target.removeprefix(base) for target in pages if target.startswith(f"{base}cases/2")} <= listed
    assert "WARNING" not in (project / "serve.log").read_text(encoding="utf-8")


def test_a_deleted_record_disappears_from_the_preview(served: tuple[str, Path]) -> None:
    base, project = served
    _wait_for(f"{base}cases/{DRAFT}/", "还没有发布")
    (project / "data" / "cases" / f"{DRAFT}.yaml").unlink()
    deadline = time.monotonic() + 60
    while _get(f"{base}cases/{DRAFT}/")[0] != 404:
        assert time.monotonic() < deadline, "the deleted record's page is still served"
        time.sleep(0.3)
    assert DRAFT not in _wait_for(f"{base}cases/", "典型案例")


def _status(base: str) -> dict[str, object]:
    import json

    status, body = _get(f"{base}guide/preview-status.json")
    assert status == 200
    return json.loads(body)


def _wait_for_count(base: str, count: int, seconds: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while True:
        found = _status(base)
        if found["count"] == count:
            return found
        assert time.monotonic() < deadline, f"the preview never reported {count} problems: {found}"
        time.sleep(0.3)


def test_invalid_data_keeps_the_last_good_pages_and_lists_the_problems(served: tuple[str, Path]) -> None:
    base, project = served
    record = project / "data" / "cases" / f"{CASE}.yaml"
    good = record.read_text(encoding="utf-8")
    try:
        record.write_text(good.replace("procedure: 执行", "procedure: 执法", 1), encoding="utf-8")
        found = _wait_for_count(base, 1)
        assert found["stale"] is True
        assert found["problems"] == [f"data/cases/{CASE}.yaml:5:12: 字段 procedure：“执法”不是允许的值 — "
                                     "从这些值中选一个：执行、审判、支持起诉、调解、法律援助、检察监督、其他"]
        # No request waits for a fix: the last good pages are served, with the banner's script.
        status, page = _get(f"{base}cases/{CASE}/")
        assert status == 200 and "assets/fazhi/preview.js" in page
        listing = _wait_for(f"{base}{found['page']}", "数据里有 1 个问题")
        assert f"data/cases/{CASE}.yaml:5:12" in listing and "执法" in listing
        # A new record made while serving, with its fields still empty, is one more problem file.
        made = subprocess.run([sys.executable, str(ROOT / "build_stats.py"), "--data", str(project / "data"),
                               "new", "case", "--id", "new-draft"], capture_output=True, text=True)
        assert made.returncode == 0, made.stdout + made.stderr
        deadline = time.monotonic() + 60
        while _status(base)["files"] != 2:
            assert time.monotonic() < deadline, "the new record's problems never reached the preview"
            time.sleep(0.3)
        assert _get(f"{base}cases/{CASE}/")[0] == 200
    finally:
        (project / "data" / "cases" / "new-draft.yaml").unlink(missing_ok=True)
        record.write_text(good, encoding="utf-8")
    _wait_for_count(base, 0)
    assert _get(f"{base}{found['page']}")[0] == 404  # the page of problems is gone with them


def test_the_preview_collects_garbage_between_builds_and_when_saves_come_fast(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from fazhi.serving import Collector

    collections: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: collections.append("freeze"))
    collector = Collector()
    try:
        for _ in range(7):  # each save before the background collection ran: it is cancelled
            collector.before_build()
            assert not gc.isenabled()  # no collection inside a build
            collector.after_build()
        assert collector.timer is not None
        collector.timer.cancel()
    finally:
        gc.enable()
    # The first build's garbage is collected at its end, which freezes what stays; after five
    # builds without a collection, one runs at the start of the next.
    assert collections == ["collect", "freeze", "collect"]


def test_a_build_s_garbage_is_collected_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from fazhi.serving import Collector

    collections: list[str] = []
    collected = threading.Event()
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append("collect") or collected.set() or 0)
    monkeypatch.setattr(gc, "freeze", lambda: collections.append("freeze"))
    monkeypatch.setattr(Collector, "DELAY", 0.05)
    collector = Collector()
    try:
        collector.before_build()
        collector.after_build()  # the first build's garbage: at once, before the server starts
        assert collections == ["collect", "freeze"] and collector.timer is None
        collected.clear()
        collector.before_build()
        collector.after_build()
        assert collections == ["collect", "freeze"]  # not yet: two seconds later, in the background
        assert collected.wait(10)
        collector.timer.join(10)  # type: ignore[union-attr]
        collector.before_build()  # nothing fell behind: no collection here
    finally:
        gc.enable()
    assert collections == ["collect", "freeze", "collect"]
    assert collector.uncollected == 0
