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
indexed in several runs of at most `PAGES_PER_RUN` pages each, one after the other (the peak
is that of the largest run): the first run's bundle is ``pagefind/``, the others are
``pagefind/part-2/``, ``pagefind/part-3/`` …, listed in ``pagefind/fazhi-parts.json``, and the
search script merges them in the browser (Pagefind's ``mergeIndex``), so one search covers
every page. A site of up to `PAGES_PER_RUN` pages is one run, as before.

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
import struct
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pagefind_bin_extended import get_executable

__all__ = [
    "BUNDLE_DIR", "PAGES_PER_RUN", "PAGES_PER_RUN_ENV", "PARTS_FILE", "IndexReport", "SearchIndexError",
    "build_index", "check_bundle", "normalise", "page_text", "page_texts", "pages_containing",
    "pages_per_run", "query_words", "widen_chunk_bounds",
]

BUNDLE_DIR = "pagefind"
"""The bundle's folder under the site directory; the search script loads it from there."""

PAGES_PER_RUN = 3000
"""At most this many HTML files are indexed by one Pagefind run. A run over 3,000 case pages
peaks at about 0.7 GB; the site is split into as few runs as this allows."""

PAGES_PER_RUN_ENV = "FAZHI_SEARCH_PAGES_PER_RUN"
"""Environment variable overriding `PAGES_PER_RUN` (tests force a split on the small sample)."""

PARTS_FILE = "fazhi-parts.json"
"""In the bundle: ``{"parts": ["part-2/", …]}``, the bundles the search script merges into the
first one (paths relative to the bundle; an empty list when the site was indexed in one run)."""


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
    """Pagefind runs, one bundle each (the first, then ``part-2/`` …)."""


def pages_per_run() -> int:
    """The most HTML files one Pagefind run indexes: `PAGES_PER_RUN`, or the environment's
    `PAGES_PER_RUN_ENV` when that is a positive whole number."""
    value = os.environ.get(PAGES_PER_RUN_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else PAGES_PER_RUN


def build_index(site_dir: Path, per_run: int | None = None) -> IndexReport:
    """Index the built site at `site_dir` into ``site_dir/pagefind`` and describe the result.

    The HTML files are indexed in ``ceil(files / per_run)`` Pagefind runs (`per_run` defaults
    to `pages_per_run`), one after the other, each over a run of files in path order. Pagefind
    writes into a fresh folder beside the bundle, which then replaces the previous bundle with
    every part at once: a page deleted from the site leaves no trace in the search, and a
    failed run leaves no half-written bundle. Raises `SearchIndexError` when Pagefind fails or
    finds no page to index.
    """
    site_dir = site_dir.resolve()
    bundle = site_dir / BUNDLE_DIR
    staging = site_dir / f".{BUNDLE_DIR}-new"
    sources = site_dir / f".{BUNDLE_DIR}-sources"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(sources, ignore_errors=True)
    html = _html_files(site_dir, skip={BUNDLE_DIR, staging.name, sources.name})
    runs = max(1, math.ceil(len(html) / (per_run or pages_per_run())))
    try:
        parts: list[str] = []
        if runs == 1:
            _run_pagefind(site_dir, staging)
        for number, group in enumerate(_groups(html, runs) if runs > 1 else [], start=1):
            # Pagefind reads a whole folder: each run gets a folder of hard links to its files,
            # at their paths in the site, so its URLs are those of the site.
            source = sources / str(number)
            for path in group:
                _link(site_dir / path, source / path)
            output = staging if number == 1 else staging / f"part-{number}"
            _run_pagefind(source, output)
            shutil.rmtree(source)
            if number > 1:
                parts.append(f"part-{number}/")
        widened = 0
        for folder in [staging, *(staging / part for part in parts)]:
            check_bundle(folder)
            widened += widen_chunk_bounds(folder)
        for part in parts:  # a merged bundle is read through the first one's script
            for path in (staging / part).iterdir():
                if path.is_file() and (path.suffix in {".js", ".css"} or path.name.startswith("wasm.")):
                    path.unlink()
        (staging / PARTS_FILE).write_text(json.dumps({"parts": parts}), encoding="utf-8")
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
                       widened_chunks=widened, runs=runs)


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


def _run_pagefind(site_dir: Path, output: Path) -> None:
    """Run the Pagefind command (the extended build, for Chinese) over `site_dir`.

    The command, not the Python API's service: the service is stopped as soon as it answers
    that the files are written, and under load that has cut files short (an empty
    ``pagefind-entry.json``); the command exits only when everything is on disk.
    """
    command = [str(get_executable()), "--site", str(site_dir), "--output-path", str(output)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(f"无法运行 Pagefind：{error}") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind 建立搜索索引失败：" + " / ".join(detail))


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
# - the chunks tile the word space: each one's `to` is raised to the next one's `from`
#   (`to` is often cut short, e.g. 执 for a chunk ending with 执行);
# - for every proper prefix of a chunk's `from` (涉 for 涉企) an extra entry [涉, 涉]
#   points at that chunk, so the term 涉 loads it too.
#
# The chunks themselves are unchanged; a term loads at most the chunks its prefix spans.

_SIGNATURE = b"pagefind_dcd"
_TOP = "\U0010ffff"


def widen_chunk_bounds(bundle: Path) -> int:
    """Correct the index-chunk bounds in every ``pagefind.*.pf_meta`` of `bundle`.

    Returns the number of chunk entries changed or added. A metadata file in a layout this
    code does not know (another Pagefind version) is left untouched: search then works as
    Pagefind wrote it.
    """
    changed = 0
    for meta_file in sorted(bundle.glob("pagefind.*.pf_meta")):
        raw = gzip.decompress(meta_file.read_bytes())
        if not raw.startswith(_SIGNATURE):
            continue
        body = raw[len(_SIGNATURE):]
        try:
            meta, end = _cbor_decode(body, 0)
        except (ValueError, IndexError, UnicodeDecodeError):
            continue
        if end != len(body) or _cbor_encode(meta) != body or not _is_meta(meta):
            continue
        # The chunks themselves, without prefix entries a previous run added.
        chunks = [chunk for chunk in meta[2] if not (chunk[0] == chunk[1] and any(
            other[2] == chunk[2] and other[0] != chunk[0] and other[0].startswith(chunk[0])
            for other in meta[2]))]
        entries: list[list[str]] = []
        for k, (start, stop, name) in enumerate(chunks):
            last = stop if stop.endswith(_TOP) else stop + _TOP  # the last chunk: every word
            following = chunks[k + 1][0] if k + 1 < len(chunks) else last
            entries.append([start, max(stop, following), name])
        entries += [[start[:i], start[:i], name] for start, _, name in chunks
                    for i in range(1, len(start))]
        unique = list(dict.fromkeys(tuple(entry) for entry in entries))
        changed += len(set(unique) - {tuple(entry) for entry in meta[2]})
        meta[2] = [list(entry) for entry in unique]
        meta_file.write_bytes(gzip.compress(_SIGNATURE + _cbor_encode(meta), mtime=0))
    return changed


def _is_meta(meta: Any) -> bool:
    """Pagefind 1.5's metadata: [version, pages, chunks [from, to, hash], filters, sorts, meta]."""
    return (isinstance(meta, list) and len(meta) >= 3 and isinstance(meta[0], str)
            and meta[0].startswith("1.5.") and isinstance(meta[2], list)
            and all(isinstance(chunk, list) and len(chunk) == 3
                    and all(isinstance(part, str) for part in chunk) and chunk[0]
                    for chunk in meta[2]))


def _cbor_decode(data: bytes, at: int) -> tuple[Any, int]:
    """Decode the CBOR item at `at` (unsigned ints, text, bytes, arrays, maps); return it and
    the offset after it. Anything else raises ValueError."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR: unsupported length {info}")
    if major == 0:
        return value, at
    if major in (2, 3):
        chunk = data[at:at + value]
        if len(chunk) != value:
            raise ValueError("CBOR: truncated string")
        return (chunk if major == 2 else chunk.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(value):
            key, at = _cbor_decode(data, at)
            pairs[key], at = _cbor_decode(data, at)
        return pairs, at
    raise ValueError(f"CBOR: unsupported major type {major}")


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 << (info - 24)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise ValueError("CBOR: integer too large")


def _cbor_encode(item: Any) -> bytes:
    """Encode what `_cbor_decode` returns, with the shortest heads (as Pagefind writes)."""
    if isinstance(item, bool) or item is None:
        raise ValueError("CBOR: unsupported value")
    if isinstance(item, int):
        return _cbor_head(0, item)
    if isinstance(item, bytes):
        return _cbor_head(2, len(item)) + item
    if isinstance(item, str):
        encoded = item.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(item, list):
        return _cbor_head(4, len(item)) + b"".join(_cbor_encode(part) for part in item)
    if isinstance(item, dict):
        return _cbor_head(5, len(item)) + b"".join(
            _cbor_encode(key) + _cbor_encode(value) for key, value in item.items())
    raise ValueError(f"CBOR: unsupported value {type(item).__name__}")


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
