"""The preview's incremental render (`fazhi.render.preview.RenderMemo`): after an edit it renders
only the pages the edit reaches, and the pages are exactly those a full `generate` gives."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.generate import generate as generate_data
from fazhi.pipeline import generate
from fazhi.problems import DataError
from fazhi.records import RecordCache
from fazhi.render import RenderedPage
from fazhi.render.preview import RenderMemo


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


EDITS: dict[str, Callable[[Path], None]] = {
    "case summary": _summary,
    "case title": _case_title,
    "campaign title": _campaign_title,
    "registry name": _registry_name,
    "new record": _new_record,
    "deleted record": _deleted_record,
}


def test_incremental_pages_equal_a_full_render_after_each_edit(data: Path) -> None:
    cache, memo = RecordCache(), RenderMemo()
    first = generate(data, drafts=True, cache=cache, memo=memo)
    assert first == _full(data)
    assert memo.reused == 0
    for name, edit in EDITS.items():
        edit(data)
        incremental = generate(data, drafts=True, cache=cache, memo=memo)
        assert incremental == _full(data), name
        assert memo.rendered > 0, name


def _record_pages(pages: list[RenderedPage]) -> int:
    return sum(1 for page in pages if page.src_uri.startswith(("cases/", "campaigns/"))
               and not page.src_uri.endswith("index.md"))


def test_an_unchanged_rebuild_renders_no_record_page_again(data: Path) -> None:
    memo = RenderMemo()
    pages = generate(data, drafts=True, memo=memo)
    assert generate(data, drafts=True, memo=memo) == pages
    assert memo.reused == _record_pages(pages) + 1  # every record page and the error table


def test_a_case_edit_renders_only_the_record_pages_that_show_it(data: Path) -> None:
    memo = RenderMemo()
    before = generate(data, drafts=True, memo=memo)
    _summary(data)
    after = generate(data, drafts=True, memo=memo)
    rendered_again = _record_pages(after) + 1 - memo.reused
    changed = {page.src_uri for page in after} - {(page.src_uri) for page in before} | {
        new.src_uri for old, new in zip(before, after, strict=True) if old != new}
    # The case itself, its campaign and the cases that list it as related; not every record.
    assert 1 <= rendered_again < _record_pages(after) // 4
    assert any(uri.startswith("cases/") for uri in changed)


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
