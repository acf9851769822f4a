"""The pipeline: load → check → aggregate → render. The one function every entry point calls."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from fazhi.dataset import Dataset
from fazhi.history import HistoryMemo, last_changed
from fazhi.parallel import run_jobs
from fazhi.problems import DataError
from fazhi.records import RecordCache, read_data
from fazhi.render import PageJob, RenderedPage, campaign_key, case_key, check_unique, keyed_page_jobs
from fazhi.render.address import GENERATED_ROOTS
from fazhi.render.downloads import render_exports
from fazhi.render.feed import SITEMAP_STUB, feed_reads, render_feed
from fazhi.render.guide import render_errors_page
from fazhi.render.preview import RenderMemo
from fazhi.render.reference import render_format_page
from fazhi.stats import StatsMemo, aggregate
from fazhi.validate import CaseMemo, PrivacyMemo, validate

__all__ = ["GENERATED_ROOTS", "generate", "is_generated_path", "load_dataset"]


@dataclass
class _Memos:
    """What earlier runs over the same folder found, kept for each record cache (they live as
    long as it does): the personal-data scan of each record, each resolved record, the
    history, the statistics."""

    privacy: PrivacyMemo = field(default_factory=PrivacyMemo)
    resolved: CaseMemo = field(default_factory=CaseMemo)
    history: HistoryMemo = field(default_factory=HistoryMemo)
    stats: StatsMemo = field(default_factory=StatsMemo)


_MEMOS: weakref.WeakKeyDictionary[RecordCache, _Memos] = weakref.WeakKeyDictionary()


def is_generated_path(src_uri: str) -> bool:
    """Whether `src_uri` (POSIX, under the docs folder) belongs to the generated part."""
    return src_uri.split("/", 1)[0] in GENERATED_ROOTS


def load_dataset(
    data_dir: Path, progress: Callable[[], None] | None = None, cache: RecordCache | None = None,
) -> Dataset:
    """Read and validate everything under `data_dir`; raise `DataError` with all problems.

    `progress`, when given, is called once per file read; `cache` reuses what unchanged
    record files gave when read before, and what checking them found (`PrivacyMemo`, `CaseMemo`).
    """
    raw = read_data(data_dir, progress, cache)
    memos = _memos(cache)
    dataset, problems = validate(raw, memos.privacy, memos.resolved) if memos else validate(raw)
    if raw.problems or problems:
        raise DataError(raw.problems + problems)
    return dataset


def _memos(cache: RecordCache | None) -> _Memos | None:
    return _MEMOS.setdefault(cache, _Memos()) if cache is not None else None


def generate(
    data_dir: Path, *, site_url: str = "http://127.0.0.1:8000/", drafts: bool = False,
    workers: int | None = None, cache: RecordCache | None = None, memo: RenderMemo | None = None,
) -> list[RenderedPage]:
    """The whole core: load → validate → aggregate → render, from published records only.

    `site_url` is the site's public base address, for the absolute links of the feed and
    the data downloads. `drafts` adds unpublished records, marked as such, for the local
    preview of `mkdocs serve` only: a published build never sets it. Rendering uses up to
    `workers` processes (default: every available core; see `fazhi.parallel`). `cache`, for
    a process that generates again after each edit, skips re-reading unchanged records;
    `memo`, for the same process, re-renders only the pages the changes since its last call
    reach (in this process: `workers` is then ignored). The pages are the same either way.
    Each record's last change comes from git (`fazhi.history`), in one pass.
    """
    loaded = load_dataset(data_dir, cache=cache)
    dataset = loaded if drafts else loaded.published()
    paths = [entry.path for entry in (*dataset.campaigns.values(), *dataset.cases.values())]
    memos = _memos(cache)
    dataset = replace(dataset, changed=last_changed(data_dir, paths, memos.history if memos else None))
    stats = aggregate(dataset, memos.stats if memos else None)
    every_record = (*(campaign_key(i) for i in dataset.campaigns), *(case_key(i) for i in dataset.cases))
    jobs = [
        *keyed_page_jobs(dataset, stats, memo),
        PageJob("errors", lambda: [render_errors_page(), render_format_page()], tuple),  # the guide's; read no data
        PageJob("downloads", partial(render_exports, dataset, site_url, memo.exports if memo is not None else None),
                lambda: every_record),
        PageJob("feed", lambda: [render_feed(dataset, site_url), SITEMAP_STUB], partial(feed_reads, dataset)),
    ]
    results = (memo.render(dataset, jobs, (site_url, drafts)) if memo is not None
               else run_jobs([job.run for job in jobs], workers))
    return check_unique([page for pages in results for page in pages])
