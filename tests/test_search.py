"""Site search: Pagefind's bundle in the built site, and the header box in a real browser.

The browser tests build the sample site, serve it under a sub-path on 127.0.0.1 and use
the header box in headless Chromium (Debian's /usr/bin/chromium, tests/browser.py). They
are skipped only when that browser is missing outside CI; in CI (env CI set) they fail.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import cbor2
import pytest

from fazhi.search import (
    BUNDLE_ENTRY_FILES,
    PAGES_PER_RUN,
    PAGES_PER_RUN_ENV,
    SearchIndexError,
    build_index,
    check_bundle,
    page_text,
    page_texts,
    pages_containing,
    pages_per_run,
    query_words,
    widen_chunk_bounds,
)
from fazhi.search_merge import read_pf
from tests.browser import chromium, require_chromium, serve
from tests.test_search_merge import canonical

SUB_PATH = "/fazhi/"


@pytest.fixture(scope="module")
def site(sample_site: Path) -> Path:
    """The sample site (served from its parent as /fazhi/)."""
    assert sample_site.name == SUB_PATH.strip("/")
    return sample_site


# --- the built site -------------------------------------------------------------------------


def test_pagefind_bundle_replaces_materials_index(site: Path) -> None:
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert not (site / "search" / "search_index.json").exists()
    assert not list(site.rglob("search_index.json"))


def test_the_built_bundle_passes_its_own_check(site: Path) -> None:
    check_bundle(site / "pagefind")


def test_the_bundle_is_one_index(site: Path) -> None:
    bundle = site / "pagefind"
    assert len(list(bundle.glob("pagefind.*.pf_meta"))) == 1
    assert sorted(path.name for path in bundle.iterdir() if path.is_dir()) == ["fragment", "index"]
    assert not (bundle / "fazhi-parts.json").exists()  # the parts list the browser once merged


def test_the_pages_per_run_can_be_lowered_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PAGES_PER_RUN_ENV, "7")
    assert pages_per_run() == 7
    for ignored in ("0", "-3", "many", ""):
        monkeypatch.setenv(PAGES_PER_RUN_ENV, ignored)
        assert pages_per_run() == PAGES_PER_RUN


SPLIT_RUNS = 3


@pytest.fixture(scope="module")
def split_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample site indexed again in `SPLIT_RUNS` Pagefind runs (served as /fazhi/)."""
    copy = tmp_path_factory.mktemp("split") / SUB_PATH.strip("/")
    shutil.copytree(site, copy)
    html = [path for path in copy.rglob("*.html") if "pagefind" not in path.relative_to(copy).parts]
    report = build_index(copy, per_run=math.ceil(len(html) / SPLIT_RUNS))
    assert report.runs == SPLIT_RUNS
    return copy


def _bundle_urls(bundle: Path) -> set[str]:
    """The URLs of the pages in one bundle (its fragments)."""
    urls = set()
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(raw[len(b"pagefind_dcd"):])["url"])
    return urls


def test_a_site_indexed_in_several_runs_gets_the_bundle_of_one_run(site: Path, split_site: Path) -> None:
    # The same pages, words, locations, weights, meta, filters, fragments and chunks; only the
    # pages' numbers may differ (tests/test_search_merge.py covers filters, sorts, languages).
    assert canonical(split_site / "pagefind") == canonical(site / "pagefind")
    assert _bundle_urls(split_site / "pagefind") == set(page_texts(split_site))
    def files(bundle: Path) -> set[str]:  # index chunks and metadata are named by their content
        return {path.relative_to(bundle).as_posix() for path in bundle.rglob("*")
                if path.parent.name != "index" and path.suffix != ".pf_meta"}

    assert files(split_site / "pagefind") == files(site / "pagefind")
    assert not [path for path in split_site.iterdir() if path.name.startswith(".")]  # scratch folders are gone


@pytest.mark.parametrize("broken", ["missing", "empty", "not json"])
def test_a_bundle_written_in_part_is_refused(site: Path, tmp_path: Path, broken: str) -> None:
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    for name in BUNDLE_ENTRY_FILES:
        (bundle / name).write_bytes((site / "pagefind" / name).read_bytes())
    entry = bundle / "pagefind-entry.json"
    if broken == "missing":
        (bundle / "pagefind.js").unlink()
    elif broken == "empty":
        entry.write_bytes(b"")
    else:
        entry.write_text('{"version": ', encoding="utf-8")
    with pytest.raises(SearchIndexError, match="搜索索引不完整"):
        check_bundle(bundle)


def test_header_has_the_box_and_nothing_materials_search_script_would_load(site: Path) -> None:
    html = (site / "cases" / "index.html").read_text(encoding="utf-8")
    assert "data-fazhi-search" in html and 'placeholder="搜索"' in html
    assert 'src="../assets/search/search.js"' in html  # relative: works under a sub-path
    # Material's script loads its own index when it finds either of these.
    assert 'data-md-component="search' not in html
    assert 'name="search"' not in html


def test_only_the_article_is_indexed(site: Path) -> None:
    texts = page_texts(site)
    fragments = list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == len(texts)
    assert "/404.html" not in texts
    case = next(url for url in texts if url.startswith("/cases/") and url != "/cases/")
    assert "回到页面顶部" not in texts[case]  # Material's back-to-top button, outside the article
    page = (site / case.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<h1 data-pagefind-weight="10"' in page  # the title outweighs the text


def _meta(site: Path) -> list[Any]:
    (meta_file,) = (site / "pagefind").glob("pagefind.*.pf_meta")
    return read_pf(meta_file)


def test_the_built_index_has_chunk_bounds_prefix_search_can_trust(site: Path) -> None:
    meta = _meta(site)
    assert meta[0] == "1.5.2"  # the layout widen_chunk_bounds and the merge know; re-check on upgrade
    names = {path.stem for path in (site / "pagefind" / "index").glob("*.pf_index")}
    assert {name for _, _, name in meta[2]} == names
    assert len(names) > 3  # INDEX_CHUNK_SIZE cuts even the sample into several chunks
    tiles = [entry for entry in meta[2] if entry[0] != entry[1] or len(entry[0]) == 1]
    tiles = [entry for entry in tiles if not any(
        other[2] == entry[2] and other[0] != entry[0] for other in tiles if entry[0] == entry[1])]
    for before, after in itertools.pairwise(tiles):
        # Nothing lies between two chunks, and a term equal to a chunk's start does not load
        # the chunk before it.
        assert before[1] < after[0] and before[1] == after[0][:-1] + chr(ord(after[0][-1]) - 1) + "\U0010ffff"
    for start, stop, name in tiles:
        words = [word for word, _, _ in read_pf(site / "pagefind" / "index" / f"{name}.pf_index")[0]]
        assert all(start <= word <= stop for word in words)


def test_widen_chunk_bounds_tiles_chunks_and_adds_prefix_entries(tmp_path: Path) -> None:
    meta = ["1.5.2", [["zh_p", 10]], [["0", "执", "zh_a"], ["执结", "涉", "zh_b"], ["涉企", "龚", "zh_c"]],
            [], [], [["title"]]]
    (tmp_path / "pagefind.zh_x.pf_meta").write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(meta)))
    assert widen_chunk_bounds(tmp_path) > 0
    widened = read_pf(tmp_path / "pagefind.zh_x.pf_meta")
    chunks = widened[2]

    def loaded(term: str) -> set[str]:  # Pagefind's exact rule: from <= term <= to
        return {name for start, stop, name in chunks if start <= term <= stop}

    assert loaded("执") == {"zh_a", "zh_b"}  # 执结 starts in the next chunk
    assert loaded("执法") == {"zh_a"}  # "执" cut short a chunk ending with 执法
    assert loaded("执结") == {"zh_b"}  # the next chunk's first word: not the chunk before
    assert loaded("涉") == {"zh_b", "zh_c"}
    assert loaded("涉企") == {"zh_c"}
    assert loaded("龚某") == {"zh_c"}
    assert widened[:2] == meta[:2] and widened[3:] == meta[3:]
    assert widen_chunk_bounds(tmp_path) == 0  # a second run changes nothing


def test_widen_chunk_bounds_leaves_unknown_layouts_alone(tmp_path: Path) -> None:
    body = b"pagefind_dcd" + cbor2.dumps(["2.0.0", [], [["a", "b", "zh_a"]]])
    path = tmp_path / "pagefind.zh_x.pf_meta"
    path.write_bytes(gzip.compress(body))
    assert widen_chunk_bounds(tmp_path) == 0
    assert gzip.decompress(path.read_bytes()) == body


# --- the truth a search is measured against ---------------------------------------------------


def test_page_text_joins_inline_elements_and_separates_blocks() -> None:
    html = ("<html><body><nav>导航</nav><div data-pagefind-body><h1>标题</h1>"
            "<p><strong>机关</strong>：<a href='x'>海拉尔区</a>人民法院</p><ul><li>拘传</li><li>拘留</li></ul>"
            "<script>var 脚本 = 1;</script><img alt='图'><br>末尾</div><footer>页脚</footer></body></html>")
    assert page_text(html) == "标题 机关：海拉尔区人民法院 拘传 拘留 末尾"
    assert page_text("<html><body><p>没有标记</p></body></html>") is None


def test_pages_containing_needs_every_word_after_nfkc_and_lower_case() -> None:
    texts = {"/a/": "支持起诉ＡＢＣ", "/b/": "支持 起诉", "/c/": "支持起诉 检察院"}
    assert pages_containing(texts, "支持起诉") == {"/a/", "/c/"}
    assert pages_containing(texts, "abc") == {"/a/"}
    assert pages_containing(texts, "支持起诉  检察院") == {"/c/"}
    assert pages_containing(texts, "   ") == set()
    assert query_words("Ａ　b a") == ["a", "b"]


# --- the header box in Chromium ----------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The site served from its parent folder, so its pages live under /fazhi/."""
    require_chromium()
    with serve(site.parent) as root:
        yield root.rstrip("/") + SUB_PATH


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page on a case list; fails the test if anything asks another host."""
    context = browser.new_context()
    page = context.new_page()
    hosts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname or ""))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "cases/")
    yield page
    context.close()
    assert set(hosts) == {"127.0.0.1"}, hosts
    assert errors == []


def _search(page: Any, query: str) -> list[str]:
    """Type `query` into the header box (opened with "/"); return every result's path."""
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('[data-fazhi-search-input]')")
    page.keyboard.type(query)
    settled = ("() => document.querySelector('[data-fazhi-search-meta]').dataset.state === 'done'"
               " && document.querySelector('[data-fazhi-search-results]').getAttribute('aria-busy') === 'false'")
    page.wait_for_function(settled)
    # Every round, not only the first. The button is clicked from the page, not through Playwright's
    # actionability checks: the result list re-renders while it settles, and under load a click that
    # waits for the button to hold still timed out although the button worked.
    more = "() => { const b = document.querySelector('button.fazhi-search__more'); if (b) b.click(); return !!b; }"
    while page.evaluate(more):
        page.wait_for_function(settled)
    hrefs = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(href).path for href in hrefs]


def _run_all(browser: Any, url: str, queries: list[str]) -> dict[str, list[str]]:
    """Every checked result's path for each query, through `window.fazhiSearch` at `url`."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "cases/")
    found = {query: [urlsplit(result["url"]).path for result in
                     page.evaluate("(query) => window.fazhiSearch.run(query)", query)["results"]]
             for query in queries}
    context.close()
    assert errors == []
    return found


_PAGEFIND_SCORES = """async ([script, query]) => {
  const api = await import(script);
  await api.init();
  const response = await api.search(query);
  return Promise.all(response.results.map(async (result) => {
    const data = await result.data();
    return [data.url, Math.round(result.score * 1e6), data.excerpt, data.sub_results.map((sub) => sub.url)];
  }));
}"""


def _pagefind_alone(browser: Any, url: str, queries: list[str]) -> dict[str, list[Any]]:
    """Pagefind's own results for each query at `url`: URL, score, excerpt and sub-results,
    ordered by score (pages whose scores tie come in the order of their numbers)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "cases/")
    script = url + "pagefind/pagefind.js"
    found = {query: sorted(page.evaluate(_PAGEFIND_SCORES, [script, query]), key=lambda result: (-result[1], result[0]))
             for query in queries}
    context.close()
    return found


def test_a_site_indexed_in_several_runs_finds_what_one_run_finds(
        browser: Any, base_url: str, site: Path, split_site: Path) -> None:
    queries = ["欠薪", "支持起诉", "拘传", "涉企", "海拉尔", "拘传 劳务费", "执行", "人民法院"]
    with serve(split_site.parent) as root:
        split = _run_all(browser, root.rstrip("/") + SUB_PATH, queries)
        split_alone = _pagefind_alone(browser, root.rstrip("/") + SUB_PATH, queries)
    whole = _run_all(browser, base_url, queries)
    whole_alone = _pagefind_alone(browser, base_url, queries)
    texts = page_texts(site)
    for query in queries:
        assert set(split[query]) == set(whole[query]), query
        assert {path.removeprefix(SUB_PATH.rstrip("/")) for path in split[query]} == pages_containing(texts, query)
        assert split_alone[query] == whole_alone[query], query  # same pages, scores, excerpts, sub-results
    assert all(whole_alone[query] for query in ("欠薪", "执行"))


def test_wage_arrears_finds_cases(page: Any) -> None:
    paths = _search(page, "欠薪")
    assert any(path.startswith(SUB_PATH + "cases/") and path != SUB_PATH + "cases/" for path in paths)
    marks = page.locator(".md-search-result__link mark").all_inner_texts()
    assert marks and set(marks) == {"欠薪"}
    assert page.locator(".md-search-result__link h1").first.inner_text()
    assert page.evaluate("document.getElementById('__search').checked")


def test_results_are_exactly_the_pages_containing_the_query(page: Any, site: Path) -> None:
    paths = _search(page, "支持起诉")
    truth = pages_containing(page_texts(site), "支持起诉")
    assert truth
    assert len(paths) == len(set(paths))
    assert {path.removeprefix(SUB_PATH.rstrip("/")) for path in paths} == truth


@pytest.mark.parametrize("query", ["拘传", "劳务费", "执行和解", "涉企", "查控", "拘传 劳务费"])
def test_compounds_pagefind_splits_differently_still_match_page_text(
        page: Any, site: Path, query: str) -> None:
    # Pagefind alone finds no page for 拘传 and half of those for 劳务费 (bench/search_quality.py).
    found = page.evaluate("(query) => window.fazhiSearch.run(query)", query)
    paths = {urlsplit(result["url"]).path.removeprefix(SUB_PATH.rstrip("/")) for result in found["results"]}
    assert paths == pages_containing(page_texts(site), query)


def test_keyboard_escape_closes_tab_reaches_results_enter_opens(page: Any, base_url: str) -> None:
    _search(page, "拘传")  # clicks "more" until done: the last click may add no result
    assert page.evaluate("document.querySelector('[data-fazhi-search]').contains(document.activeElement)")
    page.keyboard.press("Escape")  # key handlers run asynchronously: wait for their effect
    page.wait_for_function("!document.getElementById('__search').checked")
    assert not page.evaluate("document.activeElement.matches('[data-fazhi-search-input]')")

    page.keyboard.press("s")  # the other shortcut; the query is still there
    page.wait_for_function("document.getElementById('__search').checked")
    page.wait_for_function("document.activeElement.matches('[data-fazhi-search-input]')")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "md-search-result__link" in focused
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") != target
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href") == target
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert target.startswith(base_url)


def test_escape_closes_the_box_when_focus_left_it(page: Any) -> None:
    _search(page, "欠薪")
    page.evaluate("document.activeElement.blur()")  # focus on the page body, box still open
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('__search').checked")


def test_pinyin_being_composed_is_not_searched(page: Any) -> None:
    page.keyboard.press("/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "qianxin", "selectionStart": 7, "selectionEnd": 7})
    page.wait_for_timeout(500)
    assert page.locator("[data-fazhi-search-meta]").inner_text() == "键入以开始搜索"
    cdp.send("Input.insertText", {"text": "欠薪"})  # the reader picks 欠薪: composition ends
    page.wait_for_function(
        "() => /结果/.test(document.querySelector('[data-fazhi-search-meta]').textContent)")
    assert page.locator(".md-search-result__link mark").first.inner_text() == "欠薪"


def test_the_count_is_said_once_in_plain_words_and_each_result_has_its_kind(page: Any) -> None:
    paths = _search(page, "欠薪")
    status = page.locator("[data-fazhi-search-meta]").inner_text()
    assert status == f"共找到 {len(paths)} 条结果"
    assert "待核对" not in status
    kinds = page.locator(".md-search-result__link .fazhi-search__kind").all_inner_texts()
    assert len(kinds) == len(paths)
    assert {"案例", "专项行动"} <= set(kinds)


def test_nothing_found_says_so(page: Any) -> None:
    assert _search(page, "没有这个词语") == []
    assert page.locator("[data-fazhi-search-meta]").inner_text().startswith("没有找到结果")


@pytest.mark.parametrize("query", ["海拉尔", "修文"])
def test_records_come_before_the_staff_guide(page: Any, query: str) -> None:
    found = page.evaluate("(query) => window.fazhiSearch.run(query)", query)
    kinds = [result["kind"] for result in found["results"]]
    assert "指南" in kinds and set(kinds[kinds.index("指南"):]) == {"指南"}


def test_summed_tables_are_not_in_excerpts(page: Any) -> None:
    found = page.evaluate("(query) => window.fazhiSearch.run(query)", "出动干警")
    excerpts = ["".join(piece for piece, _ in result["excerptPieces"]) for result in found["results"]]
    assert excerpts and not any("指标 合计 来自" in text or "1项行动" in text for text in excerpts)
