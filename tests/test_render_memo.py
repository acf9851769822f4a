"""What the preview's render keeps between rebuilds beyond each page job's pages: each case's
related cases (`fazhi.render.record_pages.RelatedMemo`), the rows of the list pages
(`fazhi.render.collection.RowMemo`) and the download files (`fazhi.render.downloads.ExportMemo`).

Each edit below changes what makes cases related (topics, campaign, which cases there are,
their order); after each, every page must be the one a full `generate` without memo gives.
Then: after a title edit, the memos are really used (nothing is found or written again)."""

from __future__ import annotations

import itertools
import posixpath
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fazhi.dataset import CaseEntry, Dataset
from fazhi.pipeline import generate, load_dataset
from fazhi.records import RecordCache
from fazhi.render import collection, record_pages
from fazhi.render.address import relative_path
from fazhi.render.browse import BrowsePages
from fazhi.render.collection import CAMPAIGNS, CASES
from fazhi.render.preview import RenderMemo, _reaches
from fazhi.render.record_pages import RecordPages, RelatedMemo
from fazhi.stats import aggregate
from tests import test_incremental
from tests.test_incremental import _edit, _field, _published_cases, _sub

#: The fixture of tests/test_incremental.py: 80 cases in 8 campaigns, committed to git.
data = test_incremental.data


@pytest.fixture
def short_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Yearly archive pages and capped group lists at 80 cases."""
    monkeypatch.setattr(collection, "LIST_LIMIT", 30)
    monkeypatch.setattr(collection, "SHORT_LIST", 5)


def _newest(data: Path, keep: Callable[[CaseEntry], bool] = lambda entry: True) -> Path:
    """The file of the newest published case that `keep` accepts: among the newest few of
    each of its topics, so among the candidates of many related lists."""
    dataset = load_dataset(data).published()
    entry = min((e for e in dataset.cases.values() if keep(e)),
                key=lambda e: (-e.model.date.year, -e.model.date.month, -e.model.date.day, e.id))
    return data / "cases" / f"{entry.id}.yaml"


def _oldest(data: Path) -> Path:
    dataset = load_dataset(data).published()
    entry = min((e for e in dataset.cases.values() if not e.model.campaign),
                key=lambda e: (e.model.date.year, e.model.date.month, e.model.date.day, e.id))
    return data / "cases" / f"{entry.id}.yaml"


def _title(data: Path) -> None:
    _edit(_newest(data), _sub(r"^title: (.*)$", r"title: \1（改）"))


def _topics(data: Path) -> None:
    """The newest case moves to other topics: it leaves the candidates of its old topics and
    becomes the newest of its new ones."""
    path = _newest(data)
    topics = "[多元解纷, 诉源治理]" if "多元解纷" not in (_field(path, "topics") or "") else "[支持起诉, 根治欠薪]"
    _edit(path, _sub(r"^topics: .*$", f"topics: {topics}"))


def _one_topic(data: Path) -> None:
    """A case drops one of its topics (fewer keys shared, other weights)."""
    path = _newest(data, lambda entry: len(entry.topics) > 1)
    _edit(path, _sub(r"^topics: \[([^,\]]+),[^\]]*\]$", r"topics: [\1]"))


def _leaves_campaign(data: Path) -> None:
    path = _newest(data, lambda entry: bool(entry.model.campaign))
    _edit(path, _sub(r"^campaign: .*\n", ""))


def _joins_campaign(data: Path) -> None:
    """The newest case without a campaign joins one that reports none of its metrics (rule 7)."""
    dataset = load_dataset(data)
    path = _newest(data, lambda entry: not entry.model.campaign)
    case = dataset.cases[path.stem]
    target = next(c for c in sorted(dataset.campaigns.values(), key=lambda c: c.id)
                  if c.published and not case.figures.keys() & c.figures.keys())
    _edit(path, _sub(r"^(agency: .*)$", rf"\1\ncampaign: {target.id}"))


def _new_related(data: Path) -> None:
    """A new case, the newest of all, with the topics and campaign of another: it becomes a
    candidate of the related lists of every case sharing them."""
    source = _newest(data, lambda entry: bool(entry.model.campaign))
    text = _sub(r"^date: .*$", "date: 2026-12-31")(source.read_text(encoding="utf-8"))
    (data / "cases" / "2026-new-related.yaml").write_text(text, encoding="utf-8")


def _deleted(data: Path) -> None:
    """The newest case is deleted: the next ones of its topics become candidates."""
    _newest(data).unlink()


def _oldest_first(data: Path) -> None:
    """The oldest case becomes the newest: every case's order relative to it changes."""
    _edit(_oldest(data), _sub(r"^date: .*$", "date: 2026-12-30"))


def _newest_last(data: Path) -> None:
    _edit(_newest(data, lambda entry: not entry.model.campaign), _sub(r"^date: .*$", "date: 2001-01-01"))


def _swapped_dates(data: Path) -> None:
    """Two cases of a topic swap their dates: each moves past the other."""
    first = _newest(data, lambda entry: not entry.model.campaign)
    dataset = load_dataset(data).published()
    topics = {t.slug for t in dataset.cases[first.stem].topics}
    second = _newest(data, lambda entry: entry.id != first.stem and not entry.model.campaign
                     and bool(topics & {t.slug for t in entry.topics}))
    one, two = _field(first, "date"), _field(second, "date")
    assert one and two and one != two
    _edit(first, _sub(r"^date: .*$", f"date: {two}"))
    _edit(second, _sub(r"^date: .*$", f"date: {one}"))


def _to_draft(data: Path) -> None:
    """The newest case is no longer published: gone from the published view."""
    _edit(_newest(data), _sub(r"^status: published$", "status: draft"))


def _topic_renamed(data: Path) -> None:
    """A topic renamed in the registry and in every record (its slug kept)."""
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "根治欠薪" in text:
            path.write_text(text.replace("根治欠薪", "根治拖欠工资"), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "title": _title,
    "topics": _topics,
    "one topic fewer": _one_topic,
    "leaves its campaign": _leaves_campaign,
    "joins a campaign": _joins_campaign,
    "new related case": _new_related,
    "deleted case": _deleted,
    "oldest becomes newest": _oldest_first,
    "newest becomes oldest": _newest_last,
    "two dates swapped": _swapped_dates,
    "published to draft": _to_draft,
    "topic renamed": _topic_renamed,
    "title again": _title,
}


@pytest.mark.parametrize(("drafts", "short"), [(True, True), (False, False)], ids=["preview-archived", "published"])
def test_pages_equal_a_full_render_after_edits_that_change_relations(
        data: Path, drafts: bool, short: bool, request: pytest.FixtureRequest) -> None:
    if short:
        request.getfixturevalue("short_lists")
    cache, memo = RecordCache(), RenderMemo()
    assert generate(data, drafts=drafts, cache=cache, memo=memo) == generate(data, drafts=drafts, workers=1)
    for name, edit in EDITS.items():
        edit(data)
        incremental = generate(data, drafts=drafts, cache=cache, memo=memo)
        full = generate(data, drafts=drafts, workers=1)
        assert [page.src_uri for page in incremental] == [page.src_uri for page in full], name
        for mine, theirs in zip(incremental, full, strict=True):
            assert mine == theirs, f"{name}: {mine.src_uri}"


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of `owner.name` (a one-item list, read after the calls)."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_after_a_title_edit_nothing_is_found_or_written_again(data: Path, short_lists: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The reuse is real: no related cases found again, one row of one archive page written,
    and the download files that hold no title (campaigns, figures) are the very same text."""
    cache, memo = RecordCache(), RenderMemo()
    before = {page.src_uri: page.content for page in generate(data, drafts=True, cache=cache, memo=memo)}
    cases = len(load_dataset(data).cases)
    path = next(path for path in _published_cases(data) if (_field(path, "date") or "").startswith("2020"))
    _edit(path, _sub(r"^title: (.*)$", r"title: \1（改）"))
    found = _counting(monkeypatch, RecordPages, "_find_related")
    rows = _counting(monkeypatch, collection, "render_fragment")
    pages = generate(data, drafts=True, cache=cache, memo=memo)
    assert (found[0], rows[0]) == (0, 1)
    assert memo.related.kept == cases
    assert "lists:cases:2020" in memo.ran
    assert pages == generate(data, drafts=True, workers=1)
    after = {page.src_uri: page.content for page in pages}
    assert after["data/cases.csv"] != before["data/cases.csv"]
    for name in ("campaigns.csv", "campaigns.json", "figures.csv", "figures.json"):
        assert after[f"data/{name}"] is before[f"data/{name}"], name


def test_a_relation_edit_finds_again_only_the_related_cases_it_may_change(data: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    memo = RenderMemo()
    generate(data, drafts=True, memo=memo)
    cases = len(load_dataset(data).cases)
    _topics(data)
    found = _counting(monkeypatch, RecordPages, "_find_related")
    pages = generate(data, drafts=True, memo=memo)
    assert 0 < found[0] < cases
    assert memo.related.kept == cases - found[0]
    assert pages == generate(data, drafts=True, workers=1)


def _pages(dataset: Dataset, memo: RelatedMemo | None = None) -> RecordPages:
    return RecordPages(dataset, aggregate(dataset), memo)


def test_an_older_record_pages_neither_uses_nor_fills_the_memo(data: Path) -> None:
    """Only the `RecordPages` built last with a memo uses it: one built before, for other
    data, finds its related cases itself and keeps none of them."""
    memo = RelatedMemo()
    first = load_dataset(data).published()
    old = _pages(first, memo)
    _topics(data)
    second = load_dataset(data).published()
    new = _pages(second, memo)
    for entry in first.cases.values():
        assert old.related(entry) == _pages(first).related(entry)
    for entry in second.cases.values():
        assert new.related(entry) == _pages(second).related(entry)
        assert new.related_keys(entry) == tuple(f"case:{other.id}" for other in _pages(second).related(entry))


def test_group_reads_are_those_of_their_collections(data: Path, short_lists: None) -> None:
    """`BrowsePages._lists_reads` reads from ids what the campaign and case collections of
    the group read (`Collection.reads`, `Collection.capped_reads`)."""
    dataset = load_dataset(data).published()
    stats = aggregate(dataset)
    browse = BrowsePages(dataset, stats)
    groups = [(found, ("topic", found.key)) for found in stats.topics]
    groups += [(node.slice, ("region", node.path)) for node in stats.regions]
    capped = 0
    for found, selector in groups:
        campaigns = [dataset.campaigns[i] for i in found.campaigns]
        cases = [dataset.cases[i] for i in found.cases]
        expected = (*collection.collection(CAMPAIGNS, stats.order, campaigns).reads(),
                    *collection.collection(CASES, stats.order, cases, selector).capped_reads())
        assert browse._lists_reads(found, selector) == expected
        capped += any(isinstance(item, tuple) and item[0] == "capped" for item in expected)
    assert capped > 0


def test_reaches_looks_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    names = [f"case:{n}" for n in range(40)]
    for _ in range(300):
        reads = (*rng.sample(names, rng.randint(0, 12)), ("archived", True), ("capped", ("topic", "x"), 3, ()))
        changed = set(rng.sample(names, rng.randint(0, 30)))
        expected = any(isinstance(item, str) and item in changed for item in reads)
        assert _reaches(changed, reads) == expected


def test_relative_path_is_posixpath_relpath() -> None:
    names = ["a", "b", "cases", "x.md", "index.md", ".", "..", ""]
    for n in range(1, 4):
        for parts in itertools.product(names, repeat=n):
            path = "/".join(parts)
            for m in range(3):
                for folder in ("/".join(p) for p in itertools.product(names, repeat=m)):
                    try:
                        expected: object = posixpath.relpath(path, folder or ".")
                    except ValueError as error:
                        expected = str(error)
                    try:
                        found: object = relative_path(path, folder)
                    except ValueError as error:
                        found = str(error)
                    assert found == expected, (path, folder)


def test_another_limit_is_found_anew(data: Path) -> None:
    """The memo keeps the related cases of `RELATED_LIMIT` only; another limit is found anew."""
    dataset = load_dataset(data).published()
    pages, plain = _pages(dataset, RelatedMemo()), _pages(dataset)
    for entry in dataset.cases.values():
        assert pages.related(entry) == plain.related(entry)
        assert pages.related(entry, 2) == plain.related(entry, 2)
        assert pages.related(entry, 8) == plain.related(entry, 8)
    assert record_pages.RELATED_LIMIT == 5
