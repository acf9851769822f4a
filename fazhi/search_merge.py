"""Merge the bundles of several Pagefind runs into one bundle, as one run over every page writes it.

Pagefind holds every page it reads in memory until it writes its bundle (about 0.27 MB a
Chinese case page), so `fazhi.search.build_index` indexes a large site in several runs. Each
run writes a complete bundle for its pages; this module merges them offline into the one
bundle a single run would have written, so the browser searches one index: a query term loads
one index chunk, not one chunk from every run's index.

The formats are those of Pagefind 1.5 (``pagefind/src/index/`` writes them,
``pagefind_web/src/`` reads them in the browser); every file but the fragments and the entry is
gzip of ``pagefind_dcd`` followed by CBOR:

- ``pagefind-entry.json``: the version and, per language, the metadata file's hash, the
  language's WebAssembly and its page count;
- ``pagefind.<hash>.pf_meta``: ``[version, pages [[fragment hash, word count]], index chunks
  [[from, to, hash]], filters [[name, hash]], sorts [[key, [page]]], meta field names]``;
  a page's number is its position in ``pages``;
- ``index/<hash>.pf_index``: ``[[[word, pages, variants]]]``, the words in sorted order, each
  page ``[page number as the difference from the word's previous page, locations,
  meta locations]``, each variant ``[form, pages]`` (a spelling with diacritics). Locations
  are relative to the page and kept as they are; meta locations name meta fields by their
  position in the metadata's field list, so they are renumbered when the lists differ;
- ``filter/<hash>.pf_filter``: ``[name, [[value, [page number]]]]``;
- ``fragment/<hash>.pf_fragment``: one page's JSON (URL, text, meta, anchors), which does not
  depend on the page's number, so fragments are moved as they are.

The merged index numbers the pages run after run (each run's pages in the order Pagefind gave
them), concatenates each word's and each filter value's pages in that order, and cuts the
sorted words into chunks exactly as Pagefind does (given the chunk size the runs used, the
same words in each chunk and the same bounds), so its chunks hold the same words as a single
run's. Words are merged as a stream, one chunk of each run in memory at a time; a word's
pages keep their encoded locations, and only the first page's number changes (the others are
differences). Only what depends on page numbers differs from a single run: pages whose
scores tie may come in another order, as they may between two runs of Pagefind itself (it
numbers pages in the order the file system lists them).

A sort key (``data-pagefind-sort``) found in more than one run cannot be merged (the bundle
keeps only the order, not the values); the site uses none, and `BundleMergeError` says so.
Pages without a language (no ``lang`` on ``<html>``) go, in each run, to that run's main
language; one run over the site would give them to the site's main language, which differs
only on a site in several languages (this one is all Chinese). A run of such pages alone is
merged into the main language.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import itertools
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import cbor2
import deflate

__all__ = ["CHUNK_SIZE", "CHUNK_SIZE_ENV", "GZIP_LEVEL", "SIGNATURE", "BundleMergeError", "MergeReport",
           "full_hash", "merge_bundles", "packed", "read_pf", "repack"]

SIGNATURE = b"pagefind_dcd"
"""What every gzip-compressed Pagefind file starts with once decompressed."""

CHUNK_SIZE = 20_000
"""Pagefind's index chunk size: a chunk is closed once its words hold this many page
locations (plus one a page)."""

CHUNK_SIZE_ENV = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
"""The environment variable with which Pagefind 1.5 replaces `CHUNK_SIZE`."""

GZIP_LEVEL = 12
"""libdeflate's highest level. Pagefind's files are gzip, read by Pagefind's own gunzip in the
browser; at 12 libdeflate packs the index chunks about 5% tighter than Pagefind (zlib's best),
the metadata file about 13% and the WebAssembly 3%, in less time than zlib at 9."""

_THREADS = min(4, os.cpu_count() or 1)
"""Threads that compress files (libdeflate releases the interpreter while it works)."""


#: The fix that follows each message: a bundle in another format comes from another Pagefind.
_REINSTALL = "请删除 .venv 文件夹后运行 make site：它按 requirements.lock 重新安装依赖（含 Pagefind），然后构建。"
_REPORT = "请重新构建；再次出现时请报告这个问题。"


class BundleMergeError(RuntimeError):
    """The run bundles cannot be merged; the message is for the editor, in Chinese."""


@dataclass(frozen=True)
class MergeReport:
    """What `merge_bundles` wrote."""

    pages: int
    """Pages in the merged index (every language)."""
    chunks: int
    """Index chunks written."""
    filters: int
    """Filter files written."""


def full_hash(data: bytes) -> str:
    """SHA-1 of `data` as Pagefind writes it: each byte in lower-case hex without a leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def read_pf(path: Path) -> Any:
    """Decode one of Pagefind's gzip + ``pagefind_dcd`` + CBOR files."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleMergeError(f"无法合并搜索索引：{path.name} 不是 Pagefind 1.5 的文件。" + _REINSTALL)
    return cbor2.loads(raw[len(SIGNATURE):])


def packed(body: bytes) -> bytes:
    """A Pagefind file's bytes for the CBOR `body`: gzip (`GZIP_LEVEL`, no time stamp) of
    ``pagefind_dcd`` followed by the body."""
    return bytes(deflate.gzip_compress(SIGNATURE + body, GZIP_LEVEL))


def _write_body(path: Path, body: bytes) -> None:
    """Write the CBOR `body` as a Pagefind file (`packed`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed(body))


def repack(bundle: Path, chunks: bool = True) -> int:
    """Compress again at `GZIP_LEVEL` the WebAssembly (``wasm.*.pagefind``, gzip of
    ``pagefind_dcd`` and the module, as Pagefind ships it) and, with `chunks`, the index
    chunks and filter files of a bundle Pagefind wrote; return how many files. Names stay
    (they name the content, not its compression). The merge writes its own files so already."""
    paths = [*bundle.glob("wasm.*.pagefind")]
    if chunks:
        paths += [*bundle.glob("index/*.pf_index"), *bundle.glob("filter/*.pf_filter")]

    def repack_one(path: Path) -> None:
        raw = gzip.decompress(path.read_bytes())
        if raw.startswith(SIGNATURE):
            path.write_bytes(packed(raw[len(SIGNATURE):]))

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        list(pool.map(repack_one, paths))
    return len(paths)


def _short_name(language: str, body: bytes, taken: set[str], step: int = 2) -> str:
    """The file name Pagefind gives a chunk or filter: ``<language>_`` and the start of the hash,
    `step` characters longer while the name is taken (Pagefind's collision rule)."""
    name = f"{language}_{full_hash(body)}"
    short = name[:len(language) + 8]
    while short in taken and len(short) < len(name):
        short = name[:len(short) + step]
    taken.add(short)
    return short


@dataclass
class _Index:
    """One run's index of one language, placed in the merged numbering."""

    folder: Path
    language: str
    meta: list[Any]
    offset: int = 0
    """The merged number of this index's page 0."""
    fields: list[int] | None = None
    """Merged meta field number of each of this index's fields; None when they are the same."""

    @property
    def page_count(self) -> int:
        return len(self.meta[1])


@dataclass
class _Pages:
    """A word's (or a variant's) pages, encoded as a chunk file holds them: each page
    ``[page number as the difference from the previous page's, locations, meta locations]``.

    The pages are kept as CBOR bytes: merging runs changes only the first page's number of
    each run (the others are differences), so the rest is copied as Pagefind encoded it.
    """

    first: int
    """The merged number of the first page."""
    rest: bytes
    """The pages' encoding after the first page's array head and number."""
    count: int
    last: int
    """The merged number of the last page."""
    size: int
    """The pages' share of a chunk, as Pagefind counts it: their locations plus one each."""

    def extend(self, later: _Pages) -> None:
        """Append the pages of `later`, all numbered after these."""
        if not later.count:
            return
        if not self.count:
            self.first, self.rest, self.count, self.last, self.size = (
                later.first, later.rest, later.count, later.last, later.size)
            return
        self.rest += b"\x83" + cbor2.dumps(later.first - self.last) + later.rest
        self.count += later.count
        self.last = later.last
        self.size += later.size

    def encoded(self) -> bytes:
        """The pages array as a chunk file holds it."""
        if not self.count:
            return b"\x80"
        return _array_head(self.count) + b"\x83" + cbor2.dumps(self.first) + self.rest


def _array_head(count: int) -> bytes:
    """The CBOR head of an array of `count` items (shortest form, as Pagefind writes)."""
    head = cbor2.dumps(count)  # an unsigned integer's head: major type 0
    return bytes([0x80 | head[0]]) + head[1:]


def _decoded_pages(pages: list[list[Any]], index: _Index) -> _Pages:
    """`_Pages` of a word's decoded pages in one run's chunk, renumbered into the merge (and
    their meta locations, when the run's meta fields are numbered differently)."""
    if not pages:
        return _Pages(0, b"", 0, 0, 0)
    if index.fields is not None:
        fields = index.fields
        pages = [[number, locs, [-fields[-loc - 1] - 1 if loc < 0 else loc for loc in meta_locs]]
                 for number, locs, meta_locs in pages]
    first = pages[0]
    rest = cbor2.dumps(first[1]) + cbor2.dumps(first[2]) + b"".join(cbor2.dumps(page) for page in pages[1:])
    return _Pages(index.offset + first[0], rest, len(pages), index.offset + sum(map(itemgetter(0), pages)),
                  _pages_size(pages))


def _pages_size(pages: list[list[Any]]) -> int:
    """Pagefind's measure of pages in a chunk: their locations and meta locations, plus one each."""
    return len(pages) + sum(map(len, map(itemgetter(1), pages))) + sum(map(len, map(itemgetter(2), pages)))


@dataclass
class _Word:
    """A word's pages across runs."""

    word: str
    pages: _Pages
    variants: dict[str, _Pages]

    def extend(self, later: _Word) -> None:
        """Add the pages of the same word in a later run."""
        self.pages.extend(later.pages)
        for form, pages in later.variants.items():
            if form in self.variants:
                self.variants[form].extend(pages)
            else:
                self.variants[form] = pages

    def encoded(self) -> bytes:
        """``[word, pages, variants]`` as a chunk file holds it."""
        variants = b"".join(b"\x82" + cbor2.dumps(form) + pages.encoded() for form, pages in self.variants.items())
        return (b"\x83" + cbor2.dumps(self.word) + self.pages.encoded()
                + _array_head(len(self.variants)) + variants)


def _is_layout(meta: Any) -> bool:
    """Pagefind 1.5's metadata: [version, pages, chunks, filters, sorts, meta fields]."""
    return (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[0], str) and meta[0].startswith("1.5.")
            and all(isinstance(part, list) for part in meta[1:]))


def _read_indexes(bundles: Sequence[Path]) -> tuple[list[dict[str, Any]], list[_Index]]:
    """Every bundle's entry and language indexes, in bundle order."""
    entries: list[dict[str, Any]] = []
    indexes = []
    for folder in bundles:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        version = str(entry.get("version", ""))
        if not version.startswith("1.5.") or (entries and version != entries[0]["version"]):
            raise BundleMergeError(f"无法合并搜索索引：Pagefind 版本 {version} 不是这里支持的 1.5。" + _REINSTALL)
        entries.append(entry)
        for language, described in sorted(entry["languages"].items()):
            meta = read_pf(folder / f"pagefind.{described['hash']}.pf_meta")
            if not _is_layout(meta):
                raise BundleMergeError("无法合并搜索索引：Pagefind 写出的索引不是这里支持的 1.5 格式。" + _REINSTALL)
            indexes.append(_Index(folder, language, meta))
    return entries, indexes


def _by_language(indexes: list[_Index]) -> dict[str, list[_Index]]:
    """The run indexes grouped by language, in run order; pages without a language join the
    language with the most pages, as in one Pagefind run (ties: the first name)."""
    counts: dict[str, int] = {}
    for index in indexes:
        if index.language != "unknown":
            counts[index.language] = counts.get(index.language, 0) + index.page_count
    primary = min(counts, key=lambda language: (-counts[language], language)) if counts else "unknown"
    groups: dict[str, list[_Index]] = {}
    for index in indexes:
        groups.setdefault(primary if index.language == "unknown" else index.language, []).append(index)
    return groups


def _run_words(index: _Index) -> Iterator[_Word]:
    """The words of one run's index in sorted order, in merged page numbers and meta fields."""
    previous: str | None = None
    for _, _, name in index.meta[2]:
        for word, raw in _chunk_words(index.folder / "index" / f"{name}.pf_index"):
            if previous is not None and word[0] <= previous:
                raise BundleMergeError("无法合并搜索索引：索引中的词语没有按顺序排列。" + _REPORT)
            previous = word[0]
            yield _run_word(word, raw, index)


def _chunk_words(path: Path) -> Iterator[tuple[list[Any], bytes]]:
    """Each word of a chunk file, decoded and as its bytes: ``[[[word, pages, variants], …]]``."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE) or raw[len(SIGNATURE)] != 0x81:
        raise BundleMergeError(f"无法合并搜索索引：{path.name} 不是 Pagefind 1.5 的索引文件。" + _REINSTALL)
    stream = io.BytesIO(raw)
    stream.seek(len(SIGNATURE) + 1)
    decoder = cbor2.CBORDecoder(stream)
    head = stream.read(1)[0]
    if head >> 5 != 4:
        raise BundleMergeError(f"无法合并搜索索引：{path.name} 不是 Pagefind 1.5 的索引文件。" + _REINSTALL)
    count = head & 31
    if count >= 24:
        count = int.from_bytes(stream.read(1 << (count - 24)), "big")
    for _ in range(count):
        start = stream.tell()
        word = decoder.decode()
        yield word, raw[start:stream.tell()]


def _run_word(word: list[Any], raw: bytes, index: _Index) -> _Word:
    """One run's word (decoded, and its bytes `raw`) with its pages in merged numbers.

    Usually the pages' bytes are copied past the first page's number; a word with variants,
    or with meta locations to renumber, is encoded again from its decoded pages.
    """
    text, pages, *more = word
    variants = more[0] if more else []
    renumber = index.fields is not None and any(page[2] for page in pages)
    if variants or renumber or not pages or any(len(page) != 3 for page in pages):
        return _Word(text, _decoded_pages(pages, index),
                     {form: _decoded_pages(variant, index) for form, variant in variants})
    prefix = b"\x83" + cbor2.dumps(text) + _array_head(len(pages)) + b"\x83" + cbor2.dumps(pages[0][0])
    if not raw.startswith(prefix) or not raw.endswith(b"\x80"):  # not encoded as this code expects
        return _Word(text, _decoded_pages(pages, index), {})
    first = index.offset + pages[0][0]
    encoded = _Pages(first, raw[len(prefix):-1], len(pages), index.offset + sum(map(itemgetter(0), pages)),
                     _pages_size(pages))
    return _Word(text, encoded, {})


def _merged_words(indexes: list[_Index]) -> Iterator[_Word]:
    """Every word of `indexes` once, in sorted order, its pages from all runs (in run order)."""
    current: _Word | None = None
    for word in heapq.merge(*(_run_words(index) for index in indexes), key=attrgetter("word")):
        if current is not None and current.word == word.word:
            current.extend(word)
            continue
        if current is not None:
            yield current
        current = word
    if current is not None:
        yield current


def _write_chunks(words: Iterator[_Word], output: Path, language: str, size: int) -> list[list[str]]:
    """Write the words into chunks of at least `size` locations (Pagefind's rule); return
    ``[from, to, hash]`` for each, with Pagefind's shortened bounds.

    The chunks are compressed and written by a few threads (libdeflate lets go of the
    interpreter while it compresses, which takes much of the merge's time).
    """
    chunks: list[list[str]] = []
    taken: set[str] = set()
    pending: list[_Word] = []
    filled = 0
    (output / "index").mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        writes: list[Future[None]] = []

        def flush() -> None:
            body = b"\x81" + _array_head(len(pending)) + b"".join(word.encoded() for word in pending)
            name = _short_name(language, body, taken)
            writes.append(pool.submit(_write_body, output / "index" / f"{name}.pf_index", body))
            chunks.append([pending[0].word, pending[-1].word, name])
            pending.clear()

        for word in words:
            filled += word.pages.size
            pending.append(word)
            if filled >= size:
                flush()
                filled = 0
        if pending:
            flush()
        for write in writes:
            write.result()  # raises what a write raised
    return _shortened_bounds(chunks)


def _shortened_bounds(chunks: list[list[str]]) -> list[list[str]]:
    """Pagefind's chunk bounds: between two chunks, the last word of the first and the first word
    of the second are cut to one character past their common prefix (the first's only when that
    keeps it at or after its `from`)."""
    for before, after in itertools.pairwise(chunks):
        common = 0
        for a, b in zip(before[1], after[0], strict=False):
            if a != b:
                break
            common += 1
        end, start = before[1][:common + 1], after[0][:common + 1]
        if end >= before[0]:
            before[1] = end
        after[0] = start
    return chunks


def _merge_fragments(group: list[_Index], output: Path) -> list[list[Any]]:
    """Move the fragments of `group` into `output` and return the merged ``pages`` list.

    A fragment keeps its name unless another page's fragment took it (names are the start of
    a hash, unique only within one run): then it gets a longer name, as Pagefind gives one.
    """
    pages: list[list[Any]] = []
    target = output / "fragment"
    target.mkdir(parents=True, exist_ok=True)
    for index in group:
        renamed: dict[str, str] = {}  # a fragment two pages of one run share is moved once
        for name, word_count in index.meta[1]:
            if name not in renamed:
                renamed[name] = _move_fragment(index.folder / "fragment" / f"{name}.pf_fragment", target)
            pages.append([renamed[name], word_count])
    return pages


def _move_fragment(source: Path, target: Path) -> str:
    """Move the fragment file `source` into the folder `target`; return its name there.

    The name stays unless a different fragment holds it; then it grows by one character of
    its hash until it is free (Pagefind's rule). An identical fragment is shared.
    """
    name = source.name.removesuffix(".pf_fragment")
    full = ""
    while (target / f"{name}.pf_fragment").exists():
        if (target / f"{name}.pf_fragment").read_bytes() == source.read_bytes():
            source.unlink()
            return name
        if not full:
            body = gzip.decompress(source.read_bytes())[len(SIGNATURE):]
            full = name[:name.index("_") + 1] + full_hash(body)
        if len(name) >= len(full):
            raise BundleMergeError("无法合并搜索索引：两个页面的片段文件名称相同。" + _REPORT)
        name = full[:len(name) + 1]
    os.replace(source, target / f"{name}.pf_fragment")
    return name


def _merge_filters(group: list[_Index], output: Path, language: str) -> list[list[str]]:
    """Write each filter once with every run's pages (merged numbers); return ``[[name, hash]]``."""
    values: dict[str, dict[str, list[int]]] = {}
    for index in group:
        for _, hash_ in index.meta[3]:
            name, pairs = read_pf(index.folder / "filter" / f"{hash_}.pf_filter")
            for value, numbers in pairs:
                values.setdefault(name, {}).setdefault(value, []).extend(index.offset + n for n in numbers)
    taken: set[str] = set()
    listed = []
    for name in sorted(values):
        body = cbor2.dumps([name, [[value, numbers] for value, numbers in values[name].items()]])
        hash_ = _short_name(language, body, taken)
        _write_body(output / "filter" / f"{hash_}.pf_filter", body)
        listed.append([name, hash_])
    return listed


def _merge_sorts(group: list[_Index]) -> list[list[Any]]:
    """The sort orders in merged page numbers; a key in more than one run cannot be merged."""
    sorts: dict[str, list[int]] = {}
    for index in group:
        for key, numbers in index.meta[4]:
            if key in sorts:
                raise BundleMergeError(
                    f"无法合并搜索索引：排序键“{key}”（data-pagefind-sort）出现在几批页面中，分批建立的索引不能合并它的顺序。")
            sorts[key] = [index.offset + n for n in numbers]
    return [[key, numbers] for key, numbers in sorted(sorts.items())]


def _merge_language(group: list[_Index], output: Path, language: str, size: int) -> tuple[str, int, int, int]:
    """Write one language's merged index into `output`; return its metadata hash, page count,
    chunk count and filter count."""
    fields = sorted({name for index in group for name in index.meta[5]})
    offset = 0
    for index in group:
        index.offset = offset
        offset += index.page_count
        numbers = [fields.index(name) for name in index.meta[5]]
        index.fields = None if numbers == list(range(len(numbers))) else numbers
    pages = _merge_fragments(group, output)
    chunks = _write_chunks(_merged_words(group), output, language, size)
    meta = [group[0].meta[0], pages, chunks, _merge_filters(group, output, language), _merge_sorts(group), fields]
    body = cbor2.dumps(meta)
    name = f"{language}_{full_hash(body)[:len(language) + 8]}"
    _write_body(output / f"pagefind.{name}.pf_meta", body)
    return name, len(pages), len(chunks), len(meta[3])


def merge_bundles(bundles: Sequence[Path], output: Path, size: int = CHUNK_SIZE) -> MergeReport:
    """Merge the Pagefind bundles `bundles` (one a run, in page order) into the new folder `output`.

    The bundles are used up: their fragments, and the scripts, styles and WebAssembly the
    first one has (the others' when it lacks one), are moved into `output`; every gzip file
    the merge writes, and the WebAssembly, is compressed at `GZIP_LEVEL`. `size` is the
    index chunk size: the one the runs used (`CHUNK_SIZE_ENV`) gives the chunks one run over
    every page would write. Raises `BundleMergeError` for bundles this code does not know.
    """
    entries, indexes = _read_indexes(bundles)
    output.mkdir(parents=True)
    languages: dict[str, Any] = {}
    pages = chunks = filters = 0
    for language, group in _by_language(indexes).items():
        name, count, written, filtered = _merge_language(group, output, language, size)
        wasm = next((described["wasm"] for entry in entries for key, described in entry["languages"].items()
                     if key == language and described.get("wasm")), None)
        languages[language] = {"hash": name, "wasm": wasm, "page_count": count}
        pages, chunks, filters = pages + count, chunks + written, filters + filtered
    for folder in bundles:  # pagefind.js, the worker, the WebAssembly, the UI files
        for path in folder.iterdir():
            if (path.is_file() and path.name != "pagefind-entry.json" and path.suffix != ".pf_meta"
                    and not (output / path.name).exists()):
                shutil.move(path, output / path.name)
    (output / "pagefind-entry.json").write_text(
        json.dumps({**entries[0], "languages": languages}, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")
    repack(output, chunks=False)
    return MergeReport(pages=pages, chunks=chunks, filters=filters)
