"""The preview's incremental render (`fazhi.render.preview.RenderMemo`): after an edit it renders
only the pages the edit reaches, and the pages are exactly those a full `generate` gives.

The property is checked after edits of every kind, in order on one data set, also with the
list limits lowered so that the 80 cases fill yearly archive pages and capped group lists."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate as generate_data
from fazhi.pipeline import generate, load_dataset
from fazhi.problems import DataError
from fazhi.records import RecordCache
from fazhi.render import RenderedPage, collection
from fazhi.render.preview import RenderMemo
from tests.conftest import SAMPLE_DATA

LAWS = SAMPLE_DATA / "laws.yaml"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=folder,
                   check=True, capture_output=True)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A small synthetic data set (campaign trees, related cases) committed to git, so an
    edited file shows as changed and not yet committed."""
    folder = tmp_path / "data"
    generate_data(folder, 80, 8)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "data")
    _git(tmp_path, "commit", "-q", "-m", "data")
    return folder


def _full(data: Path) -> list[RenderedPage]:
    return generate(data, drafts=True, workers=1)


def _published_cases(data: Path) -> list[Path]:
    return [path for path in sorted((data / "cases").glob("*.yaml"))
            if path.read_text(encoding="utf-8").rstrip().endswith("status: published")]


def _edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def _summary(data: Path) -> None:
    _edit(_published_cases(data)[0], lambda text: re.sub(r"^summary: ", "summary: 改过的摘要。", text, count=1,
                                                         flags=re.M))


def _case_title(data: Path) -> None:
    """A title other cases show in their related lists."""
    _edit(_published_cases(data)[-1], lambda text: re.sub(r"^title: (.*)$", r"title: \1（改）", text, count=1,
                                                         flags=re.M))


def _campaign_title(data: Path) -> None:
    campaign = next(path for path in sorted((data / "campaigns").glob("*.yaml"))
                    if any(f"campaign: {path.stem}" in case.read_text(encoding="utf-8")
                           for case in _published_cases(data)))
    _edit(campaign, lambda text: re.sub(r"^title: (.*)$", r"title: \1（改名）", text, count=1, flags=re.M))


def _registry_name(data: Path) -> None:
    """An agency renamed in the registry and in every record that names it."""
    case = _published_cases(data)[0]
    name = re.search(r"^agency: (.*)$", case.read_text(encoding="utf-8"), flags=re.M)
    assert name is not None
    whole_name = re.compile(r"(?<![\u4e00-\u9fff])" + re.escape(name.group(1)) + r"(?![\u4e00-\u9fff])")
    for path in data.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(whole_name.sub(name.group(1) + "第二", text), encoding="utf-8")


def _new_record(data: Path) -> None:
    source = _published_cases(data)[1]
    text = re.sub(r"^title: (.*)$", r"title: \1（新增）", source.read_text(encoding="utf-8"), count=1, flags=re.M)
    (data / "cases" / "2099-new-case.yaml").write_text(text, encoding="utf-8")


def _deleted_record(data: Path) -> None:
    _published_cases(data)[2].unlink()


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, replacement, text, count=1, flags=re.M)


def _field(path: Path, name: str) -> str | None:
    found = re.search(rf"^{name}: (.*)$", path.read_text(encoding="utf-8"), flags=re.M)
    return found.group(1) if found else None


def _campaign_files(data: Path) -> list[Path]:
    return [path for path in sorted((data / "campaigns").glob("*.yaml")) if _field(path, "status") == "published"]


def _case_agency(data: Path) -> None:
    """A case moved to an agency of another region."""
    dataset = load_dataset(data)
    case = _published_cases(data)[3]
    mine = dataset.cases[case.stem].agency
    other = next(a for a in dataset.agencies.values() if a.region != mine.region)
    _edit(case, _sub(r"^agency: .*$", f"agency: {other.name}"))


def _case_year(data: Path) -> None:
    case = next(path for path in _published_cases(data) if (_field(path, "date") or "").startswith("2020"))
    _edit(case, _sub(r"^date: 2020", "date: 2022"))


def _case_newest(data: Path) -> None:
    """A case that becomes the newest: the home page, the feed and related lists change."""
    _edit(_published_cases(data)[7], _sub(r"^date: .*$", "date: 2026-06-30"))


def _case_figure(data: Path) -> None:
    case = next(path for path in _published_cases(data)
                if re.search(r"^  执行到位金额: ", path.read_text(encoding="utf-8"), flags=re.M))
    _edit(case, _sub(r"^  执行到位金额: .*$", "  执行到位金额: 1元"))


def _bigger(text: str) -> str:
    """The first plain figure of a record with a 9 written before it."""
    return re.sub(r"^(  \S+: )(\d)", r"\g<1>9\2", text, count=1, flags=re.M)


def _campaign_figure(data: Path) -> None:
    """A campaign's figure made larger: totals, rates, agency, region and statistics pages."""
    campaign = next(path for path in _campaign_files(data)
                    if _bigger(path.read_text(encoding="utf-8")) != path.read_text(encoding="utf-8"))
    _edit(campaign, _bigger)


def _case_leaves_campaign(data: Path) -> None:
    case = next(path for path in _published_cases(data) if _field(path, "campaign"))
    _edit(case, _sub(r"^campaign: .*\n", ""))


def _case_joins_campaign(data: Path) -> None:
    """A case without a campaign joins one (that reports none of the case's metrics: rule 7)."""
    dataset = load_dataset(data)
    case, target = next((path, campaign) for path in _published_cases(data) if not _field(path, "campaign")
                        for campaign in sorted(dataset.campaigns.values(), key=lambda e: e.id)
                        if campaign.published and not dataset.cases[path.stem].figures.keys() & campaign.figures.keys())
    _edit(case, _sub(r"^(agency: .*)$", rf"\1\ncampaign: {target.id}"))


def _campaign_leaves_parent(data: Path) -> None:
    """A nested campaign no longer part of another: children, covered figures, totals."""
    campaign = next(path for path in _campaign_files(data) if _field(path, "part_of"))
    _edit(campaign, _sub(r"^part_of: .*\n", ""))


_DRAFTED = "summary: （退回修改）"


def _to_draft(data: Path) -> None:
    """A published case sent back to draft (its summary marked, to find it again)."""
    _edit(_published_cases(data)[5], lambda text: _sub("^summary: ", _DRAFTED)(
        _sub(r"^status: published$", "status: draft")(text)))


def _to_published(data: Path) -> None:
    case = next(path for path in sorted((data / "cases").glob("*.yaml"))
                if _DRAFTED in path.read_text(encoding="utf-8"))
    _edit(case, _sub(r"^status: draft$", "status: published"))


def _case_topic(data: Path) -> None:
    case = _published_cases(data)[9]
    topics = "[根治欠薪]" if "涉企执行" in (_field(case, "topics") or "") else "[涉企执行]"
    _edit(case, _sub(r"^topics: .*$", f"topics: {topics}"))


def _campaign_region(data: Path) -> None:
    """A campaign's region one level up: region pages, the regions index, the statistics."""
    campaign = next(path for path in _campaign_files(data) if "/" in (_field(path, "region") or ""))
    _edit(campaign, _sub(r"^region: ([^/\n]*)/.*$", r"region: \1"))


def _laws(data: Path) -> None:
    """The laws registry added, and two cases citing a law."""
    (data / "laws.yaml").write_text(LAWS.read_text(encoding="utf-8"), encoding="utf-8")
    for case in _published_cases(data)[10:12]:
        _edit(case, _sub(r"^(summary: .*)$", r"laws: [《民事诉讼法》第一百零九条]\n\1"))


def _cited_article(data: Path) -> None:
    _edit(_published_cases(data)[11], _sub("第一百零九条", "第二百四十八条"))


EDITS: dict[str, Callable[[Path], None]] = {
    "case summary": _summary,
    "case title": _case_title,
    "campaign title": _campaign_title,
    "registry name": _registry_name,
    "new record": _new_record,
    "deleted record": _deleted_record,
    "case agency": _case_agency,
    "case year": _case_year,
    "newest case": _case_newest,
    "case figure": _case_figure,
    "campaign figure": _campaign_figure,
    "case leaves its campaign": _case_leaves_campaign,
    "case joins a campaign": _case_joins_campaign,
    "campaign leaves its parent": _campaign_leaves_parent,
    "published to draft": _to_draft,
    "draft to published": _to_published,
    "case topic": _case_topic,
    "campaign region": _campaign_region,
    "laws registry": _laws,
    "cited article": _cited_article,
}


@pytest.fixture
def short_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """List limits low enough that the 80 cases fill yearly archive pages and capped lists."""
    monkeypatch.setattr(collection, "LIST_LIMIT", 30)
    monkeypatch.setattr(collection, "SHORT_LIST", 5)


@pytest.mark.parametrize(("drafts", "short"), [(True, True), (False, False)], ids=["preview-archived", "published"])
def test_incremental_pages_equal_a_full_render_after_each_edit(data: Path, drafts: bool, short: bool,
                                                              request: pytest.FixtureRequest) -> None:
    if short:
        request.getfixturevalue("short_lists")
    cache, memo = RecordCache(), RenderMemo()
    first = generate(data, drafts=drafts, cache=cache, memo=memo)
    assert first == generate(data, drafts=drafts, workers=1)
    assert memo.reused == 0
    for name, edit in EDITS.items():
        edit(data)
        incremental = generate(data, drafts=drafts, cache=cache, memo=memo)
        assert incremental == generate(data, drafts=drafts, workers=1), name
        assert memo.rendered > 0, name


def _record_pages(pages: list[RenderedPage]) -> int:
    return sum(1 for page in pages if page.src_uri.startswith(("cases/", "campaigns/"))
               and not page.src_uri.endswith("index.md"))


def test_an_unchanged_rebuild_renders_nothing_again(data: Path) -> None:
    memo = RenderMemo()
    pages = generate(data, drafts=True, memo=memo)
    assert generate(data, drafts=True, memo=memo) == pages
    assert memo.ran == []
    assert memo.rendered == 0
    assert memo.reused > _record_pages(pages)


def _record_jobs(keys: list[str]) -> int:
    return sum(1 for key in keys if key.startswith(("case:", "campaign:")))


def test_a_case_edit_renders_only_the_record_pages_that_show_it(data: Path) -> None:
    memo = RenderMemo()
    before = generate(data, drafts=True, memo=memo)
    _summary(data)
    after = generate(data, drafts=True, memo=memo)
    changed = {page.src_uri for page in after} - {(page.src_uri) for page in before} | {
        new.src_uri for old, new in zip(before, after, strict=True) if old != new}
    # The case itself, its campaign and the cases that list it as related; not every record.
    assert 1 <= _record_jobs(memo.ran) < _record_pages(after) // 4
    assert any(uri.startswith("cases/") for uri in changed)


def _prefixes(region: str) -> set[str]:
    parts = region.split("/")
    return {"/".join(parts[:n]) for n in range(1, len(parts) + 1)}


def test_a_case_title_edit_renders_only_the_pages_that_show_the_case(data: Path, short_lists: None) -> None:
    """With yearly archive pages: the case's year page, not another year's; its agency's page,
    not another agency's; no index or statistics page (a title changes no number)."""
    memo = RenderMemo()
    generate(data, drafts=True, memo=memo)
    path = next(path for path in _published_cases(data) if (_field(path, "date") or "").startswith("2020"))
    case = load_dataset(data).cases[path.stem]
    _edit(path, _sub(r"^title: (.*)$", r"title: \1（改）"))
    assert generate(data, drafts=True, memo=memo) == generate(data, drafts=True, workers=1)
    ran = set(memo.ran)
    assert len(ran) == memo.rendered
    year_page, agency_page = "lists:cases:2020", f"agency:{case.agency.slug}"
    assert {f"case:{case.id}", year_page, agency_page, "downloads"} <= ran
    assert {key for key in ran if key.startswith("lists:")} == {year_page}
    assert {key for key in ran if key.startswith("agency:")} == {agency_page}
    campaign = {f"campaign:{case.model.campaign}"} if case.model.campaign else set()
    shows_it = {"home", "feed", "downloads", year_page, agency_page, *campaign,
                *(f"topic:{topic.slug}" for topic in case.topics),
                *(f"region:{region}" for region in _prefixes(case.agency.region))}
    assert {key for key in ran if not key.startswith("case:")} <= shows_it
    assert _record_jobs(memo.ran) < _record_pages(generate(data, drafts=True, workers=1)) // 4


def test_a_rebuild_after_bad_data_and_back_is_the_full_render(data: Path) -> None:
    memo = RenderMemo()
    generate(data, drafts=True, memo=memo)
    case = _published_cases(data)[0]
    good = case.read_text(encoding="utf-8")
    case.write_text(good.replace("title: ", "title:\n  - ", 1), encoding="utf-8")
    with pytest.raises(DataError):
        generate(data, drafts=True, memo=memo)
    case.write_text(good.replace("summary: ", "summary: 又改了。", 1), encoding="utf-8")
    assert generate(data, drafts=True, memo=memo) == _full(data)
