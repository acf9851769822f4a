"""Merging Pagefind run bundles (fazhi.search_merge): the merged bundle is the single run's.

A small hand-written site (two languages, filters, meta fields that differ between runs,
weights, anchors, spellings with and without diacritics, a sort key) is indexed by the real
Pagefind once in one run and once in several runs merged, with a chunk size small enough for
many chunks. The two bundles must hold the same pages, words, locations, filters, sorts,
fragments and chunks, and Pagefind in Chromium must answer every query alike.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import fazhi.search
from fazhi.search import SearchIndexError, build_index
from fazhi.search_merge import SIGNATURE, full_hash, packed, read_pf
from tests.browser import chromium, require_chromium, serve

#: Locations per index chunk for these tests: small, so the little site needs many chunks.
TEST_CHUNK_SIZE = 12

_PAGE = """<!doctype html>
<html{lang}><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>导航 navigation</nav>
<main data-pagefind-body{attrs}>
<h1 data-pagefind-weight="10">{title}</h1>
{body}
</main></body></html>
"""

#: (path, language, title, attributes of the indexed region or None for a page without one, body HTML)
PAGES: list[tuple[str, str, str, str | None, str]] = [
    ("a1/index.html", "zh", "拒付劳务费被拘传", ' data-pagefind-filter="topic:欠薪" data-pagefind-meta="kind:案例"',
     "<p>被执行人包某拖欠劳务费。执行干警依法拘传。</p><h2 id='yiyi'>典型意义</h2>"
     "<p>以强制措施督促履行，劳务费当日付清。</p>"),
    ("a2/index.html", "zh", "涉企执行和解", ' data-pagefind-filter="topic:涉企" data-pagefind-meta="kind:案例"',
     "<p>涉企案件执行和解，分期履行。</p><p>人民法院 支持起诉 检察院</p>"),
    ("a3/index.html", "en", "Wage arrears café", ' data-pagefind-filter="topic:wages" data-pagefind-meta="kind:case"',
     "<p>The café owner paid the wage arrears. A cafe is not a café.</p><h2 id='more'>More</h2><p>Arrears paid.</p>"),
    ("b1/index.html", "zh", "网络查控 执结", ' data-pagefind-filter="topic:欠薪" data-pagefind-meta="kind:行动"',
     "<p>网络查控系统查询被执行人财产，执结案件四十九件。</p><p>拘传 拘留 罚款</p>"),
    ("b2/index.html", "zh", "司法确认", ' data-pagefind-sort="date:2024-03-01"',
     "<p>人民调解协议经司法确认，劳务费纠纷化解。</p>"),
    ("b3/index.html", "en", "Naïve résumé", ' data-pagefind-filter="topic:wages"',
     "<p>A naive resume and a naïve résumé, arrears and wages.</p>"),
    ("c1/index.html", "zh", "海拉尔区人民法院 执行", ' data-pagefind-meta="kind:机关, region:海拉尔区 呼伦贝尔"',
     "<p>海拉尔区人民法院执行局。被执行人 被执行人 被执行人。</p><h2 id='lianxi'>联系</h2><p>诉讼服务。</p>"),
    ("c2/index.html", "zh", "欠薪 追究", ' data-pagefind-filter="topic:欠薪" data-pagefind-meta="region:修文县"',
     "<p>追究拒不支付劳动报酬罪，欠薪农民工工资。</p>"),
    ("c3/index.html", "", "没有语言的页面", "", "<p>这一页没有 lang 属性，劳务费。</p>"),
    ("c4/index.html", "zh", "东北 地区 欠薪", ' data-pagefind-meta="region:东北 地区"',
     "<p>东北地区欠薪案件，劳务费 café cafe。</p>"),
    ("404.html", "zh", "找不到页面", None, "<p>没有 data-pagefind-body 的页面不进索引。</p>"),
    # A run of only such pages (the last of four) would index their whole <body>: it is left out.
    ("x1.html", "zh", "重定向", None, "<p>重定向页面。</p>"),
    ("x2.html", "zh", "重定向", None, "<p>重定向页面。</p>"),
    ("x3.html", "en", "Redirect", None, "<p>Redirect page.</p>"),
]

QUERIES = ["劳务费", "被执行人", "执行", "拘", "涉", "人民法院", "欠薪", "café", "cafe", "naive", "arrears", "wages",
           "海拉尔区", "东北", "地区", "没有"]


def _write_site(root: Path) -> Path:
    """The little site as HTML files under `root` (the 404 page has no indexed region)."""
    for path, language, title, attrs, body in PAGES:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        html = _PAGE.format(lang=f' lang="{language}"' if language else "", title=title, attrs=attrs or "", body=body)
        if attrs is None:
            html = html.replace(" data-pagefind-body", "")
        target.write_text(html, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The little site indexed in one run and, as a copy, in four runs merged: the two sites."""
    patch = pytest.MonkeyPatch()
    patch.setattr(fazhi.search, "INDEX_CHUNK_SIZE", TEST_CHUNK_SIZE)
    single = _write_site(tmp_path_factory.mktemp("single") / "site")
    split = tmp_path_factory.mktemp("split") / "site"
    shutil.copytree(single, split)
    assert build_index(single, per_run=100).runs == 1
    assert build_index(split, per_run=4).runs == 4
    patch.undo()
    yield single, split


def canonical(bundle: Path) -> dict[str, Any]:
    """What a bundle says, with pages named by URL instead of number: per language the pages'
    word counts and fragments, every word's pages with their locations and meta locations
    (meta fields by name), its variants, the chunks (bounds and words), filters, sorts."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = {}
    for language, described in entry["languages"].items():
        meta = read_pf(bundle / f"pagefind.{described['hash']}.pf_meta")
        fields = meta[5]
        urls = []
        pages = {}
        for name, word_count in meta[1]:
            body = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
            assert body.startswith(SIGNATURE)
            url = json.loads(body[len(SIGNATURE):])["url"]
            urls.append(url)
            pages[url] = (name, word_count, body)

        def located(entries: list[list[Any]], urls: list[str] = urls, fields: list[str] = fields) -> dict[str, Any]:
            out, number = {}, 0
            for delta, locs, meta_locs in entries:
                number += delta
                out[urls[number]] = (locs, [fields[-loc - 1] if loc < 0 else loc for loc in meta_locs])
            return out

        words: dict[str, Any] = {}
        chunks = {}
        for start, stop, name in meta[2]:
            chunks.setdefault(name, []).append((start, stop))
        chunk_words = []
        for name, bounds in chunks.items():
            chunk = read_pf(bundle / "index" / f"{name}.pf_index")
            chunk_words.append((sorted(bounds), [word for word, _, _ in chunk[0]]))
            for word, word_pages, variants in chunk[0]:
                assert word not in words
                words[word] = (located(word_pages), {form: located(p) for form, p in variants})
        filters = {}
        for name, hash_ in meta[3]:
            filter_name, values = read_pf(bundle / "filter" / f"{hash_}.pf_filter")
            assert filter_name == name
            filters[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
        languages[language] = {
            "version": meta[0], "page_count": described["page_count"], "wasm": described["wasm"],
            "pages": pages, "words": words, "chunks": sorted(chunk_words), "filters": filters,
            "sorts": {key: [urls[n] for n in numbers] for key, numbers in meta[4]}, "fields": fields,
        }
    return {"version": entry["version"], "include_characters": entry["include_characters"], "languages": languages}


def test_the_merged_bundle_says_what_the_single_run_says(bundles: tuple[Path, Path]) -> None:
    single, split = (canonical(site / "pagefind") for site in bundles)
    assert set(single["languages"]) == {"zh", "en"}  # the page without lang joins Chinese, the main language
    for language, one in single["languages"].items():
        merged = split["languages"][language]
        for key in one:
            assert merged[key] == one[key], (language, key)
    assert split == single
    # The fixture reaches what the merge must carry over.
    zh, en = single["languages"]["zh"], single["languages"]["en"]
    assert len(zh["chunks"]) > 5 and zh["filters"]["topic"]["欠薪"] and zh["sorts"]
    assert any(variants for _, variants in en["words"].values())  # café beside cafe
    # The first run (404, a1–a3) has no region field: its meta locations name fields by other numbers.
    assert zh["fields"] == ["kind", "region", "title"]
    assert any("title" in pages["/a1/"][1] for pages, _ in zh["words"].values() if "/a1/" in pages)
    assert not any(url.startswith("/x") for url in zh["pages"]) and "/404.html" not in zh["pages"]


def test_a_run_of_pages_without_a_language_joins_the_main_language() -> None:
    from fazhi.search_merge import _by_language, _Index

    def index(language: str, pages: int) -> _Index:
        return _Index(Path(language), language, ["1.5.2", [["h", 1]] * pages, [], [], [], []])

    runs = [index("zh", 3), index("en", 2), index("unknown", 1), index("en", 2), index("zh", 2)]
    groups = _by_language(runs)
    assert list(groups) == ["zh", "en"]
    assert groups["zh"] == [runs[0], runs[2], runs[4]] and groups["en"] == [runs[1], runs[3]]
    runs[4] = index("zh", 1)  # 4 pages each: the first name, as Pagefind breaks the tie
    assert _by_language(runs)["en"] == [runs[1], runs[2], runs[3]]
    assert list(_by_language([index("unknown", 2)])) == ["unknown"]


def test_the_merged_bundle_names_its_files_as_pagefind_does(bundles: tuple[Path, Path]) -> None:
    single, split = (site / "pagefind" for site in bundles)
    entry = json.loads((split / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry) == set(json.loads((single / "pagefind-entry.json").read_text(encoding="utf-8")))
    assert {path.name for path in split.glob("*.pf_meta")} == {
        f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
    named = set()
    for language, described in entry["languages"].items():
        meta = read_pf(split / f"pagefind.{described['hash']}.pf_meta")
        for folder, suffix, names in (("index", "pf_index", {name for _, _, name in meta[2]}),
                                      ("filter", "pf_filter", {name for _, name in meta[3]})):
            for name in names:
                body = gzip.decompress((split / folder / f"{name}.{suffix}").read_bytes())[len(SIGNATURE):]
                assert f"{language}_{full_hash(body)}".startswith(name)  # a content hash, as Pagefind's
                named.add(f"{folder}/{name}.{suffix}")
        named |= {f"fragment/{name}.pf_fragment" for name, _ in meta[1]}
    written = {path.relative_to(split).as_posix() for path in split.rglob("*.pf_*") if path.parent != split}
    assert written == named  # nothing missing, nothing left over
    # Fragments are the single run's, byte for byte and by name.
    assert {path.name: path.read_bytes() for path in (split / "fragment").iterdir()} == {
        path.name: path.read_bytes() for path in (single / "fragment").iterdir()}
    assert sorted(path.name for path in split.iterdir() if path.is_file() and path.suffix != ".pf_meta") == sorted(
        path.name for path in single.iterdir() if path.is_file() and path.suffix != ".pf_meta")
    assert not [path for path in bundles[1].iterdir() if path.name.startswith(".")]  # scratch folders gone


def test_both_bundles_are_packed_tighter_than_pagefind_packs_them(bundles: tuple[Path, Path]) -> None:
    for bundle in (site / "pagefind" for site in bundles):
        files = [*bundle.glob("wasm.*.pagefind"), *bundle.glob("*.pf_meta"), *bundle.glob("index/*"),
                 *bundle.glob("filter/*")]
        assert len(files) > 10
        for path in files:
            raw = gzip.decompress(path.read_bytes())
            assert raw.startswith(SIGNATURE) and path.read_bytes() == packed(raw[len(SIGNATURE):]), path


def test_merging_one_run_writes_its_chunks_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The merge copies each word's encoded pages and re-encodes only page numbers it changes:
    # with one run nothing changes, and every chunk must come out as Pagefind encoded it.
    from fazhi.search import _run_pagefind
    from fazhi.search_merge import merge_bundles

    monkeypatch.setattr(fazhi.search, "INDEX_CHUNK_SIZE", TEST_CHUNK_SIZE)
    _run_pagefind(_write_site(tmp_path / "site"), tmp_path / "run")
    shutil.copytree(tmp_path / "run", tmp_path / "copy")
    merge_bundles([tmp_path / "copy"], tmp_path / "merged", size=TEST_CHUNK_SIZE)

    def bodies(bundle: Path, pattern: str) -> set[bytes]:
        return {gzip.decompress(path.read_bytes()) for path in bundle.glob(pattern)}

    for pattern in ("index/*.pf_index", "filter/*.pf_filter", "fragment/*.pf_fragment"):
        assert bodies(tmp_path / "merged", pattern) == bodies(tmp_path / "run", pattern), pattern
    assert len(bodies(tmp_path / "run", "index/*.pf_index")) > 10
    metas = [sorted(read_pf(meta)[1:] for meta in bundle.glob("*.pf_meta")) for bundle in
             (tmp_path / "run", tmp_path / "merged")]
    assert metas[0] == metas[1]  # pages, chunk bounds, filters, sorts, fields


def test_a_sort_key_in_several_runs_is_refused_in_chinese(tmp_path: Path) -> None:
    site = _write_site(tmp_path / "site")
    for page in ("a1/index.html", "c1/index.html"):
        path = site / page
        path.write_text(path.read_text(encoding="utf-8").replace(
            "data-pagefind-body", 'data-pagefind-body data-pagefind-sort="date:2024-01-01"'), encoding="utf-8")
    with pytest.raises(SearchIndexError, match="排序键“date”"):
        build_index(site, per_run=4)
    assert not (site / "pagefind").exists()
    assert not [path for path in site.iterdir() if path.name.startswith(".")]


def test_fragments_with_one_name_in_two_runs_are_told_apart(tmp_path: Path) -> None:
    from fazhi.search_merge import _move_fragment

    target = tmp_path / "merged"
    target.mkdir()
    first, second, same = (tmp_path / name for name in ("one", "two", "three"))
    for folder, text in ((first, b'{"url":"/a/"}'), (second, b'{"url":"/b/"}'), (same, b'{"url":"/a/"}')):
        folder.mkdir()
        (folder / "zh_1234567.pf_fragment").write_bytes(gzip.compress(SIGNATURE + text, mtime=0))
    assert _move_fragment(first / "zh_1234567.pf_fragment", target) == "zh_1234567"
    longer = _move_fragment(second / "zh_1234567.pf_fragment", target)
    assert longer == ("zh_" + full_hash(b'{"url":"/b/"}'))[:11]
    assert _move_fragment(same / "zh_1234567.pf_fragment", target) == "zh_1234567"  # identical: shared
    assert sorted(path.name for path in target.iterdir()) == sorted(["zh_1234567.pf_fragment", f"{longer}.pf_fragment"])


# --- the same answers in Chromium ---------------------------------------------------------------

_SEARCH = """async ([query, options]) => {
  const api = await import("/pagefind/pagefind.js");
  await api.init();
  const response = await api.search(query, options);
  return Promise.all(response.results.map(async (result) => {
    const data = await result.data();
    return {url: data.url, score: Math.round(result.score * 1e6), excerpt: data.excerpt, meta: data.meta,
            filters: data.filters, words: data.locations,
            sub: data.sub_results.map((sub) => [sub.url, sub.title, sub.excerpt])};
  }));
}"""


def _answers(browser: Any, site: Path) -> dict[str, Any]:
    """Pagefind's results for every query (with filters and a sort too), served from `site`."""
    answers = {}
    with serve(site) as root:
        context = browser.new_context()
        page = context.new_page()
        page.goto(root + "a1/")
        for query in QUERIES:
            for options in ({}, {"filters": {"topic": "欠薪"}}, {"sort": {"date": "asc"}}):
                found = page.evaluate(_SEARCH, [query, options])
                # Pages whose scores tie may come in any order (page numbers break ties).
                answers[f"{query} {json.dumps(options, ensure_ascii=False)}"] = sorted(
                    found, key=lambda result: (-result["score"], result["url"]))
        answers["filters"] = page.evaluate(
            "async () => { const api = await import('/pagefind/pagefind.js'); return api.filters(); }")
        context.close()
    return answers


def test_pagefind_answers_alike_in_chromium(bundles: tuple[Path, Path]) -> None:
    require_chromium()
    with chromium() as browser:
        single, split = (_answers(browser, site) for site in bundles)
    assert split == single
    assert single["劳务费 {}"] and single["café {}"] and single["劳务费 {\"filters\": {\"topic\": \"欠薪\"}}"]
    assert any(result["sub"] for results in single.values() if isinstance(results, list) for result in results)
