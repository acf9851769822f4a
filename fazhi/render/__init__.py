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
- `collection.list_pages`: ``campaigns/index.md``, ``cases/index.md`` and the yearly archive;
- `browse`: agency, topic and region pages and their indexes;
- `laws`: the laws index and a page per law, with the cases citing each article;
- `dashboard`: the home page and the 数据 dashboard (charts from `charts`);
- `guide`: the checker's error table; `downloads`: CSV/JSON files; `feed`: the Atom feed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.render.browse import BrowsePages
from fazhi.render.collection import CAMPAIGNS, CASES, list_pages
from fazhi.render.dashboard import Dashboard
from fazhi.render.kit import RenderedPage
from fazhi.render.laws import LawPages
from fazhi.render.record_pages import RecordPages
from fazhi.stats import Stats

__all__ = ["PageJob", "RenderedPage", "campaign_key", "case_key", "check_unique", "keyed_page_jobs", "page_jobs",
           "render_pages"]

Job = Callable[[], list[RenderedPage]]


def _one(render: Callable[..., RenderedPage], *args: Any) -> list[RenderedPage]:
    return [render(*args)]


def case_key(record_id: str) -> str:
    """The name of case `record_id` in a job's reads (cases and campaigns may share ids)."""
    return f"case:{record_id}"


def campaign_key(record_id: str) -> str:
    """The name of campaign `record_id` in a job's reads."""
    return f"campaign:{record_id}"


@dataclass(frozen=True)
class PageJob:
    """A page job with what it reads, for a preview that re-renders only what an edit reaches.

    `reads`, when given, returns the records the job's pages show (`case_key`, `campaign_key`)
    and any other value they depend on beyond the registries; the pages are a function of
    those records' content, those values and the registries alone. Without `reads` the job
    reads the whole data set (lists, statistics) and is rendered on every rebuild.
    """

    key: str
    """Names the job across rebuilds (``case:<id>``, ``lists:cases`` …)."""
    run: Job
    reads: Callable[[], tuple[Hashable, ...]] | None = None


def _case_reads(records: RecordPages, entry: CaseEntry) -> tuple[Hashable, ...]:
    """A case page shows the case, its campaign's title and its related cases."""
    campaign = (campaign_key(entry.model.campaign),) if entry.model.campaign else ()
    return (case_key(entry.id), *campaign, *(case_key(other.id) for other in records.related(entry)))


def _campaign_reads(records: RecordPages, entry: CampaignEntry) -> tuple[Hashable, ...]:
    """A campaign page shows the campaign, its parent, children and cases, and the metrics an
    ancestor counts in its place."""
    parent = (campaign_key(entry.model.part_of),) if entry.model.part_of else ()
    return (campaign_key(entry.id), *parent, *(campaign_key(c) for c in entry.children),
            *(case_key(c) for c in entry.cases), ("covered", *records.covered.get(entry.id, ())))


def keyed_page_jobs(dataset: Dataset, stats: Stats) -> list[PageJob]:
    """`page_jobs` with each job's name and, for the record pages, what it reads."""
    order = stats.order
    records = RecordPages(dataset, stats)
    browse = BrowsePages(dataset, stats)
    dashboard = Dashboard(dataset, stats)
    laws = LawPages(stats)

    def whole(key: str, run: Job) -> PageJob:
        return PageJob(key, run)

    return [
        *(PageJob(campaign_key(entry.id), functools.partial(_one, records.campaign_page, entry),
                  functools.partial(_campaign_reads, records, entry)) for entry in order.campaigns),
        whole("lists:campaigns", functools.partial(list_pages, CAMPAIGNS, order)),
        *(PageJob(case_key(entry.id), functools.partial(_one, records.case_page, entry),
                  functools.partial(_case_reads, records, entry)) for entry in order.cases),
        whole("lists:cases", functools.partial(list_pages, CASES, order)),
        *(whole(f"agency:{agency.slug}", functools.partial(_one, browse.agency_page, agency))
          for agency in order.agencies),
        whole("index:agencies", functools.partial(_one, browse.agencies_index)),
        *(whole(f"topic:{topic.slug}", functools.partial(_one, browse.topic_page, topic)) for topic in order.topics),
        whole("index:topics", functools.partial(_one, browse.topics_index)),
        whole("dashboard", lambda: [dashboard.home_page(), dashboard.stats_page()]),
        *(whole(f"region:{index}", functools.partial(_one, browse.region_page, node))
          for index, node in enumerate(stats.regions)),
        whole("index:regions", functools.partial(_one, browse.regions_index)),
        *(whole(f"law:{index}", functools.partial(_one, laws.law_page, law)) for index, law in enumerate(order.laws)),
        whole("index:laws", functools.partial(_one, laws.laws_index)),
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
