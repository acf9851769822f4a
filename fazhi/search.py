"""Site search: index the built site with Pagefind.

Pagefind reads the built HTML and writes a static search bundle into ``<site>/pagefind/``:
the browser fetches only the index chunks and page fragments a query needs, never the
whole index. Only the region marked ``data-pagefind-body`` is indexed (the article, see
``overrides/partials/content.html``); pages without it, such as ``404.html``, are skipped.

Chinese queries are handled in the browser (``overrides/assets/search/search.js``):
Pagefind segments the index with jieba and the query with the browser's
``Intl.Segmenter``, and the two disagree on some compounds, so the script searches the
query and its parts and keeps only the pages whose text contains the query. After
indexing, `widen_chunk_bounds` corrects the index-chunk bounds Pagefind 1.5.2 writes, so a
prefix such as 涉 also loads the chunk that holds 涉企.

Pagefind holds the index of every page it reads in memory until it writes the bundle, about
150 bytes per indexed character: 10,000 cases took 2.5 GB in one run. So a large site is
indexed in several runs of at most `PAGES_PER_RUN` pages each, `RUNS_AT_ONCE` at a time (the
peak is at most that many times the largest run's), each writing a bundle of its own, and
`fazhi.search_merge` merges those bundles offline into the one bundle a single run over every
page would write (one metadata file, the words re-chunked, filters merged, every fragment
kept). The browser
searches one index either way, and a query term loads one index chunk, not one a run. A site
of up to `PAGES_PER_RUN` pages is one run, whose bundle is used as Pagefind wrote it.

`page_texts` and `pages_containing` give the truth a search is measured against: the text
of every indexed page, and the pages whose text holds every word of a query.

Nothing here imports MkDocs: ``fazhi.mkdocs_hook.on_post_build`` calls `build_index`.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cbor2
from pagefind_bin_extended import get_executable

from fazhi.parallel import available_cores
from fazhi.records import gc_paused
from fazhi.search_merge import CHUNK_SIZE_ENV, SIGNATURE, BundleMergeError, merge_bundles, packed, repack

__all__ = [
    "BUNDLE_DIR", "INDEX_CHUNK_SIZE", "PAGES_PER_RUN", "PAGES_PER_RUN_ENV", "RUNS_AT_ONCE", "IndexReport",
    "SearchIndexError", "build_index", "check_bundle", "normalise", "page_text", "page_texts", "pages_containing",
    "pages_per_run", "query_words", "widen_chunk_bounds",
]

BUNDLE_DIR = "pagefind"
"""The bundle's folder under the site directory; the search script loads it from there."""

PAGES_PER_RUN = 1500
"""At most this many HTML files are indexed by one Pagefind run. A run over 1,500 case pages
peaks at about 0.38 GB (3,000 at about 0.7 GB); the site is split into as few runs as this allows."""

RUNS_AT_ONCE = 2
"""Pagefind runs at the same time (at most one per core). One run keeps about 1.3 of 2 cores
busy; two at a time index 10,000 cases in 14 s instead of 19 s, in at most twice a run's memory
(about 0.75 GB)."""

PAGES_PER_RUN_ENV = "FAZHI_SEARCH_PAGES_PER_RUN"
"""Environment variable overriding `PAGES_PER_RUN` (tests force a split on the small sample)."""

INDEX_CHUNK_SIZE = 5000
"""Page locations per index chunk (Pagefind's default is 20,000), for Pagefind's runs and the
merge alike. A query term loads the chunks holding the words it starts; smaller chunks carry
fewer other words along. At 10,000 cases the index chunks a standard query loads shrank by
about a quarter (median 89 KB instead of 120 KB) for 6 KB more metadata; 2,500 or 10,000 did
no better."""


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message is for the editor, in Chinese."""


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run produced."""

    html_files: int
    """HTML files Pagefind read."""
    pages: int
    """Pages in the index: those with a ``data-pagefind-body`` region, one fragment each."""
    bundle: Path
    """The bundle folder, ``<site>/pagefind``."""
    files: int
    """Files in the bundle."""
    bytes: int
    """Total size of the bundle on disk."""
    widened_chunks: int
    """Index-chunk entries `widen_chunk_bounds` changed or added."""
    runs: int = 1
    """Pagefind runs; the bundles of several are merged into one."""
    at_once: int = 1
    """Pagefind runs that ran at the same time (the memory of that many runs at most)."""


def pages_per_run() -> int:
    """The most HTML files one Pagefind run indexes: `PAGES_PER_RUN`, or the environment's
    `PAGES_PER_RUN_ENV` when that is a positive whole number."""
    value = os.environ.get(PAGES_PER_RUN_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else PAGES_PER_RUN


def build_index(site_dir: Path, per_run: int | None = None) -> IndexReport:
    """Index the built site at `site_dir` into ``site_dir/pagefind`` and describe the result.

    The HTML files are indexed in ``ceil(files / per_run)`` Pagefind runs (`per_run` defaults
    to `pages_per_run`), `RUNS_AT_ONCE` at a time, each over a run of files in path order; the
    runs' bundles are merged into one (`fazhi.search_merge.merge_bundles`). Everything is
    written into a fresh folder beside the bundle, which then replaces the previous bundle at
    once: a page deleted from the site leaves no trace in the search, and a failed run leaves
    no half-written bundle. Raises `SearchIndexError` when Pagefind fails, finds no page to
    index, or writes bundles that cannot be merged.
    """
    site_dir = site_dir.resolve()
    bundle = site_dir / BUNDLE_DIR
    staging = site_dir / f".{BUNDLE_DIR}-new"
    sources = site_dir / f".{BUNDLE_DIR}-sources"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(sources, ignore_errors=True)
    html = _html_files(site_dir, skip={BUNDLE_DIR, staging.name, sources.name})
    runs = max(1, math.ceil(len(html) / (per_run or pages_per_run())))
    at_once = max(1, min(runs, RUNS_AT_ONCE, available_cores()))
    try:
        # The merge makes many short-lived objects and no cycles; in a build process holding
        # the whole site, each full collection they set off would walk all of it.
        with gc_paused():
            if runs == 1:
                _run_pagefind(site_dir, staging)
                repack(staging)
            else:
                _index_in_runs(site_dir, html, runs, sources, staging, at_once)
        check_bundle(staging)
        widened = widen_chunk_bounds(staging)
        files = [path for path in staging.rglob("*") if path.is_file()]
        pages = sum(1 for path in files if path.parent.name == "fragment")
        size = sum(path.stat().st_size for path in files)
        if pages == 0:
            raise SearchIndexError("Pagefind 没有找到可以索引的页面（页面缺少 data-pagefind-body）。")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(sources, ignore_errors=True)
    shutil.rmtree(bundle, ignore_errors=True)
    staging.rename(bundle)
    return IndexReport(html_files=len(html), pages=pages, bundle=bundle, files=len(files), bytes=size,
                       widened_chunks=widened, runs=runs, at_once=at_once)


def _index_in_runs(site_dir: Path, html: list[Path], runs: int, sources: Path, output: Path,
                   at_once: int = 1) -> None:
    """Index the files `html` of the site in `runs` Pagefind runs, `at_once` at a time, under
    the scratch folder `sources`, then merge the runs' bundles into the bundle folder `output`.

    One run over the whole site ignores the pages without a ``data-pagefind-body`` region as
    soon as any page has one; a run over a share with no such page indexes its pages' whole
    ``<body>`` instead. So when some runs found the region, the runs that did not are left out.
    """
    def run(number: int, group: list[Path]) -> tuple[Path, bool]:
        # Pagefind reads a whole folder: each run gets a folder of hard links to its files,
        # at their paths in the site, so its URLs are those of the site.
        source = sources / str(number)
        for path in group:
            _link(site_dir / path, source / path)
        bundle = sources / f"bundle-{number}"
        marked = _run_pagefind(source, bundle)
        shutil.rmtree(source)
        check_bundle(bundle)
        return bundle, marked

    with ThreadPoolExecutor(at_once) as pool:  # the threads wait for Pagefind's processes
        bundles = list(pool.map(run, range(1, runs + 1), _groups(html, runs)))
    if any(marked for _, marked in bundles):
        bundles = [(bundle, marked) for bundle, marked in bundles if marked]
    try:
        merge_bundles([bundle for bundle, _ in bundles], output, size=INDEX_CHUNK_SIZE)
    except BundleMergeError as error:
        raise SearchIndexError(str(error)) from None


def _html_files(site_dir: Path, skip: set[str]) -> list[Path]:
    """The site's HTML files (paths relative to `site_dir`, sorted), outside the folders `skip`."""
    return sorted(path.relative_to(site_dir) for path in site_dir.rglob("*.html")
                  if path.relative_to(site_dir).parts[0] not in skip)


def _groups(files: list[Path], count: int) -> list[list[Path]]:
    """`files` cut into `count` runs of consecutive files, as even in number as can be."""
    size, extra = divmod(len(files), count)
    groups, start = [], 0
    for k in range(count):
        end = start + size + (1 if k < extra else 0)
        groups.append(files[start:end])
        start = end
    return groups


def _link(source: Path, target: Path) -> None:
    """Make `target` a hard link to `source` (a copy where the file system has none)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _run_pagefind(site_dir: Path, output: Path) -> bool:
    """Run the Pagefind command (the extended build, for Chinese) over `site_dir`, with
    `INDEX_CHUNK_SIZE`; return whether it found a page with a ``data-pagefind-body`` region
    (and so indexed only such pages).

    The command, not the Python API's service: the service is stopped as soon as it answers
    that the files are written, and under load that has cut files short (an empty
    ``pagefind-entry.json``); the command exits only when everything is on disk.
    """
    command = [str(get_executable()), "--site", str(site_dir), "--output-path", str(output)]
    environment = {**os.environ, CHUNK_SIZE_ENV: str(INDEX_CHUNK_SIZE)}
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    except OSError as error:
        raise SearchIndexError(f"无法运行 Pagefind：{error}") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind 建立搜索索引失败：" + " / ".join(detail))
    return "Found a data-pagefind-body element" in result.stdout


#: Files every bundle has; search cannot start without them.
BUNDLE_ENTRY_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-worker.js")


def check_bundle(bundle: Path) -> None:
    """Raise `SearchIndexError` unless the bundle's entry files exist, are not empty, and
    ``pagefind-entry.json`` is JSON: a bundle written only in part must not be published."""
    for name in BUNDLE_ENTRY_FILES:
        path = bundle / name
        if not path.is_file() or path.stat().st_size == 0:
            raise SearchIndexError(f"Pagefind 写出的搜索索引不完整：{name} 缺失或为空。请重新构建。")
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SearchIndexError("Pagefind 写出的搜索索引不完整：pagefind-entry.json 已损坏。请重新构建。") from None


# --- Pagefind 1.5.2's index chunks: bounds that prefix searches can trust ---------------------
#
# Pagefind splits the sorted words of the index into chunks, and the browser loads only the
# chunks a query term needs, chosen by each chunk's bounds: a chunk is loaded when
# `from <= term <= to`; only when no chunk matches that way does Pagefind fall back to
# comparing prefixes. Terms match words by prefix (拘 finds 拘传), but the words starting
# with a term can begin in a later chunk: with chunks [..., 涉] and [涉企, ...], the term 涉
# loads only the first, so no page is found through 涉企, 涉案 or 涉及 — unless an earlier
# query happened to load that chunk. Two changes to the chunk list make the exact
# comparison load every chunk holding a word that starts with the term:
#
# - the chunks tile the word space: each one's `to` is raised to just below the next one's
#   `from` (`to` is often cut short, e.g. 执 for a chunk ending with 执行), so a word before
#   the next chunk's first falls in this one, and a term equal to that first word (人 when
#   the next chunk starts with 人) does not load this one for nothing;
# - for every proper prefix of a chunk's `from` (涉 for 涉企) an extra entry [涉, 涉]
#   points at that chunk, so the term 涉 loads it too.
#
# The chunks themselves are unchanged; a term loads at most the chunks its prefix spans.

_TOP = "\U0010ffff"


def widen_chunk_bounds(bundle: Path) -> int:
    """Correct the index-chunk bounds in every ``pagefind.*.pf_meta`` of `bundle` (the file is
    written compressed as `fazhi.search_merge.packed` compresses).

    Returns the number of chunk entries changed or added. A metadata file in a layout this
    code does not know (another Pagefind version) is left untouched: search then works as
    Pagefind wrote it.
    """
    changed = 0
    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        raw = gzip.decompress(meta_file.read_bytes())
        if not raw.startswith(SIGNATURE):
            continue
        body = raw[len(SIGNATURE):]
        try:
            meta = cbor2.loads(body)
            if cbor2.dumps(meta) != body or not _is_meta(meta):
                continue
        except (cbor2.CBORError, ValueError, TypeError):
            continue
        unique = _widened(meta[2])
        changed += len({tuple(entry) for entry in unique} - {tuple(entry) for entry in meta[2]})
        meta[2] = unique
        meta_file.write_bytes(packed(cbor2.dumps(meta)))
    return changed


def _widened(chunks: list[list[str]]) -> list[list[str]]:
    """The chunk entries ``[from, to, hash]`` of a metadata file with tiling bounds and prefix
    entries (see above); entries this function added before are recognised, so applying it
    twice changes nothing."""
    # The chunks themselves, without prefix entries a previous run added.
    own = [chunk for chunk in chunks if not (chunk[0] == chunk[1] and any(
        other[2] == chunk[2] and other[0] != chunk[0] and other[0].startswith(chunk[0]) for other in chunks))]
    entries: list[tuple[str, str, str]] = []
    for (start, stop, name), following in zip(own, [*own[1:], None], strict=True):
        if following is None:  # the last chunk: every word after its start
            entries.append((start, stop if stop.endswith(_TOP) else stop + _TOP, name))
        else:
            entries.append((start, max(stop, _below(following[0])), name))
    entries += [(start[:i], start[:i], name) for start, _, name in own for i in range(1, len(start))]
    return [list(entry) for entry in dict.fromkeys(entries)]


def _below(word: str) -> str:
    """The greatest string before `word` that a word can be: a chunk ending there holds every
    word before the next chunk's first, and a term equal to that first word does not load it."""
    code = ord(word[-1]) - 1
    if code < 0:
        return word[:-1]
    if 0xD800 <= code <= 0xDFFF:  # no surrogates in UTF-8
        code = 0xD7FF
    return word[:-1] + chr(code) + _TOP


def _is_meta(meta: Any) -> bool:
    """Pagefind 1.5's metadata: [version, pages, chunks [from, to, hash], filters, sorts, meta]."""
    return (isinstance(meta, list) and len(meta) >= 3 and isinstance(meta[0], str)
            and meta[0].startswith("1.5.") and isinstance(meta[2], list)
            and all(isinstance(chunk, list) and len(chunk) == 3
                    and all(isinstance(part, str) for part in chunk) and chunk[0]
                    for chunk in meta[2]))


# --- truth: what a search should find -------------------------------------------------------

#: Elements whose edges separate words, as in Pagefind's content; inline elements join.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


class _BodyText(HTMLParser):
    """Collect the text inside the ``data-pagefind-body`` element of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements inside the body region; 0 = outside
        self.skipping = 0  # open elements whose text is not content
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        void = tag in _VOID
        if self.depth == 0:
            if not void and any(name == "data-pagefind-body" for name, _ in attrs):
                self.depth, self.found = 1, True
            return
        if tag in _BLOCKS:
            self.parts.append(" ")
        if void:
            return
        self.depth += 1
        if self.skipping or tag in _SKIPPED or any(name == "data-pagefind-ignore" for name, _ in attrs):
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in _VOID:
            return
        self.depth -= 1
        if self.skipping:
            self.skipping -= 1
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str | None:
    """The text of a page's ``data-pagefind-body`` region, white space collapsed.

    Block elements separate words and inline ones do not, as in Pagefind's own ``content``.
    None when the page has no such region (Pagefind does not index it).
    """
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    if not parser.found:
        return None
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def page_texts(site_dir: Path) -> dict[str, str]:
    """The text of every indexed page of a built site, by the URL Pagefind gives it.

    URLs are site-relative with ``index.html`` dropped: ``/``, ``/cases/<id>/``.
    """
    texts: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE_DIR:
            continue
        text = page_text(path.read_text(encoding="utf-8"))
        if text is None:
            continue
        url = "/" + relative.as_posix()
        if url.endswith("/index.html"):
            url = url[: -len("index.html")]
        texts[url] = text
    return texts


def normalise(text: str) -> str:
    """NFKC and lower case, one character at a time, as the search script compares text."""
    return "".join(unicodedata.normalize("NFKC", char).lower() for char in text)


def query_words(query: str) -> list[str]:
    """The words of a query as the search script reads it: normalised, split on spaces."""
    return list(dict.fromkeys(normalise(query).split()))


def pages_containing(texts: Mapping[str, str], query: str) -> set[str]:
    """The URLs whose text holds every word of `query` (the set a search should return)."""
    words = query_words(query)
    if not words:
        return set()
    return {url for url, text in texts.items() if all(word in normalise(text) for word in words)}
