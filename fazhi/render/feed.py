"""The Atom feed: the newest published campaigns and cases, as ``feeds/atom.xml``.

`render_feed` is pure and deterministic: the same data set and site address give the same
bytes. There is no build timestamp. An entry's ``<updated>`` is when its record last changed
(`fazhi.dataset.Dataset.changed`, from git), the feed's the newest of them. ``<published>``
is the record's own date, given only when the record gives a day: a month or a year is
never turned into an invented midnight of its first day.
Record text reaches the feed only as plain text (``type="text"``), built by lxml through
feedgen, so nothing a record says becomes markup in a feed reader.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from feedgen.feed import FeedGenerator

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import PartialDate
from fazhi.render import address
from fazhi.render.address import Address
from fazhi.render.collection import campaign_key, case_key
from fazhi.render.downloads import normalize_site_url
from fazhi.render.kit import RenderedPage
from fazhi.text import normalize_text

__all__ = ["FEED_LIMIT", "FEED_TITLE", "SITEMAP_STUB", "feed_reads", "render_feed"]

#: How many records the feed carries.
FEED_LIMIT = 30
#: An empty site map beside the feed (see `fazhi.render.address.FEED` for why).
SITEMAP_STUB = RenderedPage(
    address.SITEMAP_STUB.path,
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
    None,
)
FEED_TITLE = "法治公开：最新专项行动与典型案例"
_SUBTITLE = "法院、检察院、司法行政机关新近发布的专项行动与典型案例"
_CHINA = timezone(timedelta(hours=8), "CST")
_EPOCH = datetime(1970, 1, 1, tzinfo=_CHINA)


@dataclass(frozen=True)
class _Item:
    address: Address
    id: str
    title: str
    date: PartialDate
    changed: datetime | None
    summary: str
    authors: list[str]
    categories: list[tuple[str, str]]


def _moment(date: PartialDate) -> datetime:
    """A partial date as the start of its day, month or year in China Standard Time."""
    return datetime(date.year, date.month or 1, date.day or 1, tzinfo=_CHINA)


def _changed(dataset: Dataset, path: str) -> datetime | None:
    found = dataset.changed.get(path)
    return found.moment if found is not None else None


def _campaign_item(dataset: Dataset, entry: CampaignEntry) -> _Item:
    return _Item(address.campaign(entry), entry.id, entry.model.title, entry.model.start,
                 _changed(dataset, entry.path), entry.model.summary,
                 [a.name for a in entry.agencies], [(t.slug, t.name) for t in entry.topics])


def _case_item(dataset: Dataset, entry: CaseEntry) -> _Item:
    laws = [(f"law-{c.law.slug}", f"《{c.law.name}》") for c in entry.citations]
    return _Item(address.case(entry), entry.id, entry.model.title, entry.model.date,
                 _changed(dataset, entry.path), entry.model.summary,
                 [entry.agency.name], [*((t.slug, t.name) for t in entry.topics), *dict.fromkeys(laws)])


def _updated(item: _Item) -> datetime:
    """When the record last changed; the start of its date when that is not known (in memory)."""
    return item.changed if item.changed is not None else _moment(item.date)


def _newest(dataset: Dataset, limit: int) -> list[CampaignEntry | CaseEntry]:
    """The `limit` newest records: newest first by date (a coarser date after finer ones of
    its period), then by id, campaigns before cases of the same id."""
    # The keys written out rather than by a key function: the preview finds the newest after
    # every edit, among ten thousand records.
    keyed: list[tuple[tuple[int, int, int, str, str], CampaignEntry | CaseEntry]] = [
        ((-e.model.start.year, -e.model.start.month, -e.model.start.day, e.id, "campaigns"), e)
        for e in dataset.campaigns.values()]
    keyed += [((-e.model.date.year, -e.model.date.month, -e.model.date.day, e.id, "cases"), e)
              for e in dataset.cases.values()]
    return [entry for _, entry in heapq.nsmallest(limit, keyed, key=operator.itemgetter(0))]


def feed_reads(dataset: Dataset, *, limit: int = FEED_LIMIT) -> tuple[Hashable, ...]:
    """What `render_feed` shows beyond the site address: the newest records, in feed order."""
    return tuple(campaign_key(e.id) if isinstance(e, CampaignEntry) else case_key(e.id)
                 for e in _newest(dataset, limit))


def render_feed(dataset: Dataset, site_url: str, *, limit: int = FEED_LIMIT) -> RenderedPage:
    """``feeds/atom.xml``: an Atom feed of the `limit` newest records of `dataset` (published view).

    Links and ids are absolute addresses under `site_url` (which must be http(s)). Each entry
    has the record's title, page address, its date as published (a day only), when it last
    changed as updated, agencies as authors, topics and cited laws as categories and its
    summary as plain text.
    """
    base = normalize_site_url(site_url)
    items = [_campaign_item(dataset, e) if isinstance(e, CampaignEntry) else _case_item(dataset, e)
             for e in _newest(dataset, limit)]
    feed = FeedGenerator()
    feed.id(base)
    feed.title(FEED_TITLE)
    feed.subtitle(_SUBTITLE)
    feed.language("zh")
    feed.author({"name": "法治公开"})
    feed.link(href=base, rel="alternate", type="text/html")
    feed.link(href=address.FEED.absolute(base), rel="self", type="application/atom+xml")
    feed.generator("fazhi")  # replaces feedgen's default, which names its version and website
    feed.updated(max((_updated(item) for item in items), default=_EPOCH))
    for item in items:
        url = item.address.absolute(base)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(normalize_text(item.title))
        entry.link(href=url, rel="alternate", type="text/html")
        if item.date.precision == "day":
            entry.published(_moment(item.date))
        entry.updated(_updated(item))
        entry.summary(normalize_text(item.summary), type="text")
        for name in item.authors:
            entry.author({"name": normalize_text(name)})
        for slug, name in item.categories:
            entry.category(term=slug, label=normalize_text(name))
    xml = feed.atom_str(pretty=True, encoding="UTF-8")
    return RenderedPage(address.FEED.path, xml.decode("utf-8"), None)
