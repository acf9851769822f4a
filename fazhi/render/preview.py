"""What the local preview (`make serve`) shows while the data has problems.

The preview keeps serving the last pages that passed the check; on every page a banner lists
the problems, and a page of its own (`address.PREVIEW_PROBLEMS`) lists them all, each as
`check` prints it: file:line:column, the field, what is wrong and how to fix it. The banner is
drawn by a small script (`preview.js`) from `address.PREVIEW_STATUS`, which is rewritten after
every rebuild, so pages MkDocs did not rebuild show it too, and it disappears when the data is
fixed (the preview reloads by itself). Never part of a published build.

`RenderMemo` makes a rebuild after an edit render only the pages the edit reaches: it keeps
each page job's pages with what the job read (`fazhi.render.PageJob`: the records a page
shows, the statistics it shows) and renders it again only when one of those records, one of
those values or a registry changed. What the jobs work out that an edit seldom changes is kept
too, each piece with what it depends on: each case's related cases (`RelatedMemo`), the rows
of the list pages (`RowMemo`), the downloads' rows and files (`ExportMemo`). After an edit of
one case's title at 10,000 cases, the render side then finds no related cases again, writes
one row of its year's archive page and joins only the download files holding the title.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from fazhi.dataset import Dataset
from fazhi.problems import DataError, Problem
from fazhi.render import PageJob, address, campaign_key, case_key
from fazhi.render.collection import RowMemo
from fazhi.render.downloads import ExportMemo
from fazhi.render.guide import render_errors_page
from fazhi.render.kit import RenderedPage
from fazhi.render.record_pages import RelatedMemo
from fazhi.text import escape_front_matter, escape_text

__all__ = ["PreviewPages", "RenderMemo", "placeholder_pages", "render_problems_page", "status_json"]


class RenderMemo:
    """The pages of the last rebuild and what each read: the preview's dependency map.

    `render` gives the same pages as running every job; it reruns a job with `reads` only
    when it is new, when what it reads changed (another campaign, other related cases, a
    statistics value), when one of the records it reads changed (content or last change),
    or when anything outside the records changed (registries, `context`). The record names
    among a job's reads are its `str` items (`case_key`, `campaign_key`); the other items are
    compared by equality only. Kept by the long-lived preview process between rebuilds,
    with the memos the jobs themselves use (`exports`, `related`, `rows`), which
    `fazhi.render.keyed_page_jobs` and the downloads' job take from it.
    """

    def __init__(self) -> None:
        self._outside: tuple[Hashable, ...] | None = None
        self._records: dict[str, object] = {}
        self._jobs: dict[str, tuple[tuple[Hashable, ...], list[RenderedPage]]] = {}
        self.rendered = 0
        """Jobs run by the last `render`."""
        self.reused = 0
        """Jobs whose pages the last `render` took from the rebuild before."""
        self.ran: list[str] = []
        """The keys of the jobs the last `render` ran, in order."""
        self.exports = ExportMemo()
        """The downloads' rows of each record and their files (`fazhi.render.downloads.render_exports`)."""
        self.related = RelatedMemo()
        """Each case's related cases (`fazhi.render.keyed_page_jobs` takes this memo)."""
        self.rows = RowMemo()
        """The rows of the full list pages as written (`fazhi.render.keyed_page_jobs` too)."""

    def render(self, dataset: Dataset, jobs: Sequence[PageJob], context: Hashable = None) -> list[list[RenderedPage]]:
        """Each job's pages, in order, running only the jobs the changes since the last call reach."""
        outside = (context, dataset.agencies, dataset.topics, dataset.metrics, dataset.laws)
        records: dict[str, object] = {case_key(e.id): (e, dataset.changed.get(e.path)) for e in dataset.cases.values()}
        records.update((campaign_key(e.id), (e, dataset.changed.get(e.path))) for e in dataset.campaigns.values())
        missing = object()
        changed: set[str] | None = None
        if outside == self._outside:
            changed = {key for key, value in records.items() if self._records.get(key, missing) != value}
            changed.update(self._records.keys() - records.keys())
        results: list[list[RenderedPage]] = []
        kept: dict[str, tuple[tuple[Hashable, ...], list[RenderedPage]]] = {}
        earlier = self._jobs
        ran: list[str] = []
        reused = 0
        for job in jobs:
            if job.reads is None:
                results.append(job.run())
                ran.append(job.key)
                continue
            reads = job.reads()
            before = earlier.get(job.key)
            if changed is not None and before is not None and before[0] == reads and not _reaches(changed, reads):
                kept[job.key] = before
                results.append(before[1])
                reused += 1
                continue
            pages = job.run()
            ran.append(job.key)
            kept[job.key] = (reads, pages)
            results.append(pages)
        self.ran, self.rendered, self.reused = ran, len(ran), reused
        self._outside, self._records, self._jobs = outside, records, kept
        return results


#: Up to how many changed records `_reaches` looks for each in a job's reads (else the
#: other way round).
_FEW = 16


def _reaches(changed: set[str], reads: tuple[Hashable, ...]) -> bool:
    """Whether a job's `reads` name one of the `changed` records (among its `str` items).

    An edit changes a record or two, and a job reads from a few names to thousands: looking
    for each changed name in the reads is then the quick way."""
    if len(changed) <= _FEW:
        return any(map(reads.__contains__, changed))  # a str item only ever equals a str
    return not changed.isdisjoint(key for key in reads if isinstance(key, str))


@dataclass
class PreviewPages:
    """The preview's pages: the last ones that passed the check, and the problems while there are any."""

    last_good: list[RenderedPage] | None = None
    problems: list[Problem] = field(default_factory=list)

    def update(self, generate: Callable[[], list[RenderedPage]]) -> list[RenderedPage]:
        """Pages from `generate`; when the data has problems, the last good pages and the problems page."""
        try:
            pages = generate()
        except DataError as error:
            self.problems = error.problems
            stale = self.last_good is not None
            pages = self.last_good if stale else placeholder_pages()
            return [*pages, render_problems_page(self.problems, stale=stale)]
        self.problems = []
        self.last_good = pages
        return pages


def placeholder_pages() -> list[RenderedPage]:
    """Before the data has ever passed: the pages the nav and the hand-written pages link to,
    each pointing to the problems, and the error table (it needs no data)."""
    targets = [address.HOME, *(address.section_index(s) for s in ("campaigns", "cases", "agencies", "topics")),
               address.REGIONS, address.STATS, address.DATA_INDEX]
    note = escape_text("数据还没有通过检查，这一页暂时是空的。") + f" [{escape_text('查看数据里的问题')}]"
    return [render_errors_page(), *(
        RenderedPage(target.path, f"---\ntitle: {escape_front_matter(target.text)}\n---\n\n"
                     f"# {escape_text(target.text)}\n\n{note}({address.PREVIEW_PROBLEMS.href(target)})\n", None)
        for target in targets)]


def render_problems_page(problems: Sequence[Problem], *, stale: bool) -> RenderedPage:
    """The page listing every problem; `stale` says the other pages are the last good ones."""
    title = address.PREVIEW_PROBLEMS.text
    files = len({p.path for p in problems})
    state = ("网站其他页面暂时显示的是上一次检查通过时的内容。" if stale
             else "数据还没有通过过检查，所以网站上只有手写的页面。")
    lines = [
        "---",
        f"title: {escape_front_matter(title)}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        escape_text(f"数据里有 {len(problems)} 个问题，涉及 {files} 个文件。{state}"
                    "改正并保存文件后，预览会自动刷新；问题都改正后，这一页就会消失。"),
        "",
    ]
    for problem in problems:
        where = f"{problem.path}:{problem.line}:{problem.column}"
        field = f"字段 {problem.field_name}：" if problem.field_name else ""
        lines.append(f"- `{where}` {escape_text(field + problem.message)} — {escape_text(problem.hint)}")
    return RenderedPage(address.PREVIEW_PROBLEMS.path, "\n".join(lines) + "\n", None)


def status_json(problems: Sequence[Problem], *, stale: bool) -> str:
    """The banner script's input: the problems as `check` prints them, where the page listing
    them is, and whether the other pages are the last good ones (`stale`) or placeholders."""
    return json.dumps({
        "count": len(problems),
        "stale": stale,
        "files": len({p.path for p in problems}),
        "page": address.PREVIEW_PROBLEMS.url,
        "problems": [p.format() for p in problems],
    }, ensure_ascii=False)
