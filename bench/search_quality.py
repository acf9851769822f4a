"""Measure the site search against page text: recall, precision and bytes of a first search.

Usage::

    python -m bench.search_quality site/            # the built site (mkdocs build)
    python -m bench.search_quality site/ --query 拘传 --query "农民工 工资" --json out.json

The site is served on 127.0.0.1 and searched in headless Chromium (/usr/bin/chromium)
through the site's own search script, ``window.fazhiSearch.run`` — the code behind the
header box, checking every candidate. The truth for a query is the set of indexed pages
whose text (``data-pagefind-body``) contains every word of the query
(`fazhi.search.pages_containing`). For comparison the script also runs Pagefind's own
`search()` alone. "First search" is what a reader's browser downloads, with an empty
cache, from typing the query into the header box until the first results are shown.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fazhi.search import page_texts, pages_containing

__all__ = ["QUERIES", "QueryReport", "main", "measure", "serve"]

#: The standard queries: measures, procedures, agencies and multi-word queries. A fragment
#: of a case title is added from the site itself.
QUERIES: tuple[str, ...] = (
    "欠薪", "支持起诉", "拘传", "执行和解", "涉企", "查控", "追究", "农民工", "劳务费", "司法确认",
    "和解", "拘留", "分期履行", "执结", "调解", "海拉尔区人民法院", "回民区检察院", "人民法院",
    "劳动报酬", "被执行人", "限制高消费", "网络查控", "拘传 劳务费", "农民工 工资", "支持起诉 检察院",
    "执行 和解 协议",
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class QueryReport:
    """One query's figures."""

    query: str
    truth: int
    """Pages whose text contains every word of the query."""
    results: int
    """Pages the site search returns (all rounds)."""
    recall: float
    precision: float
    candidates: int
    """Pages Pagefind proposed and the script checked."""
    pagefind_results: int
    """Pages Pagefind's own search() returns on a fresh page, for comparison."""
    pagefind_recall: float
    pagefind_precision: float
    first_search_bytes: int
    """Bytes of /pagefind/ files sent, empty cache, from typing the query to the first
    results shown (Material's own loads, such as sitemap.xml, are not counted)."""
    engine_bytes: int
    """Of which Pagefind's script, worker, WebAssembly and metadata."""
    index_bytes: int
    """Of which index chunks."""
    fragment_bytes: int
    """Of which page fragments (the text the script checks and shows)."""
    first_search_requests: int
    first_shown: int
    """Results in the first round shown in the box."""
    missed: list[str]
    extra: list[str]


_SENT: list[tuple[str, int]] = []
"""(path, bytes) of every file the server sent, counted on the server: exact, and it also
sees what Playwright cannot size, such as the Web Worker's script."""
_SENT_LOCK = threading.Lock()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        size = os.fstat(source.fileno()).st_size
        super().copyfile(source, outputfile)
        with _SENT_LOCK:
            _SENT.append((urlsplit(self.path).path, size))


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # Pagefind fetches in parallel; the default backlog is 5


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 in a thread; yield its root URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _case_title_fragment(site_dir: Path) -> str | None:
    """Six characters from the middle of the first case page's title (its longest run
    without spaces), if there is one."""
    for page in sorted((site_dir / "cases").glob("*/index.html")):
        match = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
        if match:
            runs = re.sub(r"<[^>]+>", "", match.group(1)).split()
            longest = max(runs, key=len, default="")
            if len(longest) >= 6:
                middle = len(longest) // 2
                return longest[max(0, middle - 3): middle + 3]
    return None


_PAGEFIND_ALONE = """async (query) => {
  const bundle = new URL("pagefind/", document.baseURI);
  const api = await import(new URL("pagefind.js", bundle).href);  // one index, however many runs made it
  const response = await api.search(query);
  return Promise.all(response.results.map(async (result) => (await result.data()).url));
}"""

_SHOWN = """() => {
  const meta = document.querySelector("[data-fazhi-search-meta]");
  return meta && /结果/.test(meta.textContent);
}"""


def measure(site_dir: Path, queries: Sequence[str]) -> list[QueryReport]:
    """Run every query through the site's search in Chromium and compare with page text."""
    from playwright.sync_api import sync_playwright

    texts = page_texts(site_dir)
    reports = []
    with serve(site_dir) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        path_prefix = urlsplit(root).path.rstrip("/")
        for number, query in enumerate(queries, start=1):
            print(f"[{number}/{len(queries)}] {query}", file=sys.stderr, flush=True)
            # A fresh context: empty cache, as for a reader's first search.
            context = browser.new_context()
            page = context.new_page()
            page.goto(root, wait_until="load")
            page.wait_for_load_state("networkidle")
            with _SENT_LOCK:
                _SENT.clear()
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_function(_SHOWN, timeout=60_000)
            page.wait_for_load_state("networkidle")
            first_shown = page.locator(".md-search-result__link").count()
            with _SENT_LOCK:  # only the search's own files, not Material's (sitemap.xml…)
                sizes = [(path, size) for path, size in _SENT if "/pagefind/" in path]
            first_bytes, first_requests = sum(size for _, size in sizes), len(sizes)
            by_kind = {kind: sum(size for path, size in sizes if path.endswith(kind))
                       for kind in (".pf_index", ".pf_fragment")}

            full = page.evaluate("(query) => window.fazhiSearch.run(query)", query)
            found = {urlsplit(r["url"]).path.removeprefix(path_prefix) for r in full["results"]}
            context.close()
            # Pagefind alone, in its own fresh context: it keeps the index chunks it has
            # loaded, so an earlier search would change what it finds.
            context = browser.new_context()
            page = context.new_page()
            page.goto(root, wait_until="load")
            alone = {urlsplit(u).path.removeprefix(path_prefix)
                     for u in page.evaluate(_PAGEFIND_ALONE, query)}
            context.close()

            truth = pages_containing(texts, query)
            hits, alone_hits = len(found & truth), len(alone & truth)
            reports.append(QueryReport(
                query=query, truth=len(truth), results=len(found),
                recall=_ratio(hits, len(truth)), precision=_ratio(hits, len(found)),
                candidates=full["candidates"],
                pagefind_results=len(alone), pagefind_recall=_ratio(alone_hits, len(truth)),
                pagefind_precision=_ratio(alone_hits, len(alone)),
                first_search_bytes=first_bytes, engine_bytes=first_bytes - sum(by_kind.values()),
                index_bytes=by_kind[".pf_index"], fragment_bytes=by_kind[".pf_fragment"],
                first_search_requests=first_requests,
                first_shown=first_shown,
                missed=sorted(truth - found), extra=sorted(found - truth)))
        browser.close()
    return reports


def _table(reports: Sequence[QueryReport], pages: int) -> str:
    lines = [
        f"{pages} 个已索引页面",
        f"{'查询':<16}{'应有':>6}{'结果':>6}{'召回':>8}{'精确':>8}{'候选':>6}"
        f"{'Pagefind':>10}{'召回':>8}{'精确':>8}{'首搜KB':>9}{'引擎':>7}{'索引':>7}{'片段':>7}"
        f"{'请求':>6}{'首屏':>6}",
    ]
    for r in reports:
        lines.append(
            f"{r.query:<16}{r.truth:>6}{r.results:>6}{r.recall:>8.1%}{r.precision:>8.1%}"
            f"{r.candidates:>6}{r.pagefind_results:>10}{r.pagefind_recall:>8.1%}"
            f"{r.pagefind_precision:>8.1%}{r.first_search_bytes / 1024:>9.1f}"
            f"{r.engine_bytes / 1024:>7.0f}{r.index_bytes / 1024:>7.0f}{r.fragment_bytes / 1024:>7.0f}"
            f"{r.first_search_requests:>6}{r.first_shown:>6}")
    count = len(reports) or 1
    lines.append(
        f"{'平均':<16}{'':>6}{'':>6}{sum(r.recall for r in reports) / count:>8.1%}"
        f"{sum(r.precision for r in reports) / count:>8.1%}{'':>6}{'':>10}"
        f"{sum(r.pagefind_recall for r in reports) / count:>8.1%}"
        f"{sum(r.pagefind_precision for r in reports) / count:>8.1%}"
        f"{sum(r.first_search_bytes for r in reports) / count / 1024:>9.1f}")
    for r in reports:
        if r.missed or r.extra:
            lines.append(f"{r.query}：漏掉 {r.missed[:5]}，多出 {r.extra[:5]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure a built site; print a table (and write JSON with --json)."""
    parser = argparse.ArgumentParser(prog="python -m bench.search_quality",
                                     description="用页面文字衡量站内搜索：召回率、精确率、首次搜索下载量。")
    parser.add_argument("site", type=Path, help="构建好的网站文件夹（含 pagefind/）")
    parser.add_argument("--query", action="append", default=None,
                        help="要测的查询（可重复；默认一组标准查询加一个案例标题片段）")
    parser.add_argument("--json", type=Path, help="把每个查询的数字写成 JSON")
    args = parser.parse_args(argv)
    site_dir: Path = args.site.resolve()
    if not (site_dir / "pagefind" / "pagefind.js").is_file():
        print(f"找不到 {site_dir / 'pagefind' / 'pagefind.js'}：请先构建网站。", file=sys.stderr)
        return 2
    queries = list(args.query or QUERIES)
    if args.query is None and (fragment := _case_title_fragment(site_dir)):
        queries.append(fragment)
    reports = measure(site_dir, queries)
    print(_table(reports, len(page_texts(site_dir))))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
