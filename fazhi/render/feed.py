"""The Atom feed: the newest published campaigns and cases, as ``feeds/atom.xml``.

`render_feed` is pure and deterministic: the same data set and site address give the same
bytes. There is no build timestamp; the feed's ``<updated>`` is the newest record date in it.
Record text reaches the feed only as plain text (``type="text"``), built by lxml through
feedgen, so nothing a record says becomes markup in a feed reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from feedgen.feed import FeedGenerator

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import PartialDate
from fazhi.render import address
from fazhi.render.address import Address
from fazhi.render.downloads import normalize_site_url
from fazhi.render.kit import RenderedPage
from fazhi.text import normalize_text

__all__ = ["FEED_LIMIT", "FEED_TITLE", "SITEMAP_STUB", "render_feed"]

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
    summary: str
    authors: list[str]
    categories: list[tuple[str, str]]


def _moment(date: PartialDate) -> datetime:
    """A partial date as the start of its day, month or year in China Standard Time."""
    return datetime(date.year, date.month or 1, date.day or 1, tzinfo=_CHINA)


def _campaign_item(entry: CampaignEntry) -> _Item:
    return _Item(address.campaign(entry), entry.id, entry.model.title, entry.model.start, entry.model.summary,
                 [a.name for a in entry.agencies], [(t.slug, t.name) for t in entry.topics])


def _case_item(entry: CaseEntry) -> _Item:
    return _Item(address.case(entry), entry.id, entry.model.title, entry.model.date, entry.model.summary,
                 [entry.agency.name], [(t.slug, t.name) for t in entry.topics])


def _newest(items: list[_Item], limit: int) -> list[_Item]:
    """Newest first by date (a coarser date after finer ones of its period), then by id."""
    def key(item: _Item) -> tuple[int, int, int, str, str]:
        return (-item.date.year, -item.date.month, -item.date.day, item.id, item.address.folder)
    return sorted(items, key=key)[:limit]


def render_feed(dataset: Dataset, site_url: str, *, limit: int = FEED_LIMIT) -> RenderedPage:
    """``feeds/atom.xml``: an Atom feed of the `limit` newest records of `dataset` (published view).

    Links and ids are absolute addresses under `site_url` (which must be http(s)). Each entry
    has the record's title, page address, date (as published and updated), agencies as
    authors, topics as categories and its summary as plain text.
    """
    base = normalize_site_url(site_url)
    items = _newest([*map(_campaign_item, dataset.campaigns.values()),
                     *map(_case_item, dataset.cases.values())], limit)
    feed = FeedGenerator()
    feed.id(base)
    feed.title(FEED_TITLE)
    feed.subtitle(_SUBTITLE)
    feed.language("zh")
    feed.author({"name": "法治公开"})
    feed.link(href=base, rel="alternate", type="text/html")
    feed.link(href=address.FEED.absolute(base), rel="self", type="application/atom+xml")
    feed.generator("fazhi")  # replaces feedgen's default, which names its version and website
    feed.updated(max((_moment(item.date) for item in items), default=_EPOCH))
    for item in items:
        url = item.address.absolute(base)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(normalize_text(item.title))
        entry.link(href=url, rel="alternate", type="text/html")
        moment = _moment(item.date)
        entry.published(moment)
        entry.updated(moment)
        entry.summary(normalize_text(item.summary), type="text")
        for name in item.authors:
            entry.author({"name": normalize_text(name)})
        for slug, name in item.categories:
            entry.category(term=slug, label=normalize_text(name))
    xml = feed.atom_str(pretty=True, encoding="UTF-8")
    return RenderedPage(address.FEED.path, xml.decode("utf-8"), None)
