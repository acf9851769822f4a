"""Render: the published data set and its statistics as Markdown pages and download files.

Everything here is pure: it takes a `Dataset` (already the published-only view) and its
`fazhi.stats.Stats`, and returns `RenderedPage` objects with their paths under the docs
directory. Nothing here imports MkDocs; the build hook adds the pages to the site. Links
between pages are relative links to the ``.md`` files, so ``mkdocs build --strict`` checks
them.

The layer every renderer stands on:

- `kit`: `RenderedPage`, the link views, the Jinja environment (escaping enforced);
- `address`: one `Address` per generated file: path, URL and link text;
- `collection`: a page over a group of records, campaigns and cases as data.

The renderers, in page order:

- `record_pages`: ``campaigns/<id>.md``, ``cases/<id>.md``;
- `collection.list_jobs`: ``campaigns/index.md``, ``cases/index.md`` and the yearly archive;
- `browse`: agency, topic and region pages and their indexes;
- `laws`: the laws index and a page per law, with the cases citing each article;
- `dashboard`: the home page and the 数据 dashboard (charts from `charts`);
- `guide`: the checker's error table; `downloads`: CSV/JSON files; `feed`: the Atom feed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.render.browse import BrowsePages
from fazhi.render.collection import CAMPAIGNS, CASES, ListJob, campaign_key, case_key, is_archived, list_jobs
from fazhi.render.dashboard import Dashboard
from fazhi.render.kit import RenderedPage
from fazhi.render.laws import LawPages
from fazhi.render.record_pages import RecordPages
from fazhi.stats import Stats

if TYPE_CHECKING:
    from fazhi.render.preview import RenderMemo

__all__ = ["PageJob", "RenderedPage", "campaign_key", "case_key", "check_unique", "keyed_page_jobs", "page_jobs",
           "render_pages"]

Job = Callable[[], list[RenderedPage]]


def _one(render: Callable[..., RenderedPage], *args: Any) -> list[RenderedPage]:
    return [render(*args)]


@dataclass(frozen=True)
class PageJob:
    """A page job with what it reads, for a preview that re-renders only what an edit reaches.

    `reads`, when given, returns the records the job's pages show (`case_key`, `campaign_key`)
    and any other value they depend on beyond the registries (a statistics node, counts,
    which records a list holds), compared by equality; the pages are a function of those
    records' content, those values and the registries alone. A missing read is a stale
    page in the preview, so a read may take in more than the page shows, never less.
    Without `reads` the job is rendered on every rebuild.
    """

    key: str
    """Names the job across rebuilds (``case:<id>``, ``lists:cases`` …)."""
    run: Job
    reads: Callable[[], tuple[Hashable, ...]] | None = None


def _archived(records: RecordPages, kind: str) -> tuple[str, bool]:
    """Whether the list a record page's breadcrumbs link to is split by year (`is_archived`)."""
    count = len(records.order.campaigns if kind == "campaigns" else records.order.cases)
    return ("archived", is_archived(count))


def _case_reads(records: RecordPages, entry: CaseEntry) -> tuple[Hashable, ...]:
    """A case page shows the case, its campaign's title and its related cases, and links its
    year in the case list (an archive page or the list filtered)."""
    campaign = (campaign_key(entry.model.campaign),) if entry.model.campaign else ()
    return (case_key(entry.id), *campaign, *records.related_keys(entry), _archived(records, "cases"))


def _campaign_reads(records: RecordPages, entry: CampaignEntry) -> tuple[Hashable, ...]:
    """A campaign page shows the campaign, its parent, children and cases, the metrics an
    ancestor counts in its place, and links its year in the campaign list."""
    parent = (campaign_key(entry.model.part_of),) if entry.model.part_of else ()
    return (campaign_key(entry.id), *parent, *(campaign_key(c) for c in entry.children),
            *(case_key(c) for c in entry.cases), ("covered", *records.covered.get(entry.id, ())),
            _archived(records, "campaigns"))


def _one_job(key: str, render: Callable[..., RenderedPage], reads: Callable[..., tuple[Hashable, ...]],
             *args: Any) -> PageJob:
    """A job rendering one page, `render(*args)`, that reads `reads(*args)`."""
    return PageJob(key, functools.partial(_one, render, *args), functools.partial(reads, *args))


def _list_job(job: ListJob) -> PageJob:
    return PageJob(job.key, functools.partial(_one, job.run), functools.partial(tuple, job.reads))


def keyed_page_jobs(dataset: Dataset, stats: Stats, memo: RenderMemo | None = None) -> list[PageJob]:
    """`page_jobs` with each job's name and what it reads (see `PageJob`).

    `memo`, the preview's, keeps between rebuilds what the jobs find that an edit seldom
    changes (each case's related cases, the rows of the list pages); the pages are the same.
    """
    order = stats.order
    records = RecordPages(dataset, stats, memo.related if memo is not None else None)
    rows = memo.rows if memo is not None else None
    browse = BrowsePages(dataset, stats)
    dashboard = Dashboard(dataset, stats)
    laws = LawPages(stats)
    return [
        *(PageJob(campaign_key(entry.id), functools.partial(_one, records.campaign_page, entry),
                  functools.partial(_campaign_reads, records, entry)) for entry in order.campaigns),
        *(_list_job(job) for job in list_jobs(CAMPAIGNS, order, rows)),
        *(PageJob(case_key(entry.id), functools.partial(_one, records.case_page, entry),
                  functools.partial(_case_reads, records, entry)) for entry in order.cases),
        *(_list_job(job) for job in list_jobs(CASES, order, rows)),
        *(_one_job(f"agency:{agency.slug}", browse.agency_page, browse.agency_reads, agency)
          for agency in order.agencies),
        _one_job("index:agencies", browse.agencies_index, browse.agencies_index_reads),
        *(_one_job(f"topic:{topic.slug}", browse.topic_page, browse.topic_reads, topic) for topic in order.topics),
        _one_job("index:topics", browse.topics_index, browse.topics_index_reads),
        _one_job("home", dashboard.home_page, dashboard.home_reads),
        _one_job("stats", dashboard.stats_page, dashboard.stats_reads),
        *(_one_job(f"region:{node.path}", browse.region_page, browse.region_reads, node) for node in stats.regions),
        _one_job("index:regions", browse.regions_index, browse.regions_index_reads),
        *(_one_job(f"law:{law.slug}", laws.law_page, laws.law_reads, law) for law in order.laws),
        _one_job("index:laws", laws.laws_index, laws.laws_index_reads),
    ]


def page_jobs(dataset: Dataset, stats: Stats) -> list[Job]:
    """The work of `render_pages` as independent jobs, in page order (see `fazhi.parallel`)."""
    return [job.run for job in keyed_page_jobs(dataset, stats)]


def check_unique(pages: list[RenderedPage]) -> list[RenderedPage]:
    """`pages`, after checking that no two share a path (raises `ValueError`)."""
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:
            raise ValueError(f"two generated pages share the path {page.src_uri}")
        seen.add(page.src_uri)
    return pages


def render_pages(dataset: Dataset, stats: Stats) -> list[RenderedPage]:
    """Every page generated from `dataset` (the published-only view) and `stats`, its
    `fazhi.stats.aggregate`.

    Returns, in this order: the campaign pages (newest first), ``campaigns/index.md`` (and
    the campaigns' yearly archive pages), the case pages (newest first), ``cases/index.md``
    (and the yearly archive), the agency pages and ``agencies/index.md``, the topic pages and
    ``topics/index.md``, ``index.md``, ``stats/index.md``, the region pages (depth first),
    ``regions/index.md``, the law pages and ``laws/index.md``. The output depends only on the
    data: rendering twice gives the same pages. Raises `ValueError` when a record refers to a
    campaign or case that is not in `dataset`, or when an id or slug cannot be a page name.
    """
    return check_unique([page for job in page_jobs(dataset, stats) for page in job()])
