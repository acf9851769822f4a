"""The record pages: ``campaigns/<id>.md`` and ``cases/<id>.md``.

A record page shows the record's facts, summary, figures, body or sections and sources, and
links to its agencies, topics, parent and child campaigns, cases and related cases. A joint
campaign's page names its lead and says its figures belong to its agencies together, with
each agency's share where the record gives one; a case page shows the 要旨, 案号, 相关法条
(linked to the laws index) and 发布信息 of a published typical case. Both say when the
record last changed (`fazhi.history`). It adds
``article_title``, ``pub_date`` and ``content_source`` to its front matter for the theme's
government-site ``<meta>`` tags (overrides/main.html).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fazhi.dataset import CampaignEntry, CaseEntry, Changed, Citation, Dataset, Figure
from fazhi.models import Agency, PartialDate, Release, Source
from fazhi.ordering import campaign_date, case_date, newest_first
from fazhi.render import address
from fazhi.render.address import Address
from fazhi.render.collection import CAMPAIGNS, CASES, Collection, case_key, is_archived
from fazhi.render.kit import Link, RenderedPage, date_range, excerpt, region_name, render_template
from fazhi.stats import Stats
from fazhi.text import link_target
from fazhi.values import format_quantity

__all__ = ["RELATED_LIMIT", "RecordPages", "RelatedMemo"]

#: How many related cases a case page lists.
RELATED_LIMIT = 5
#: How much a shared campaign relates two cases; a shared topic counts one.
_CAMPAIGN_WEIGHT = 3

E = TypeVar("E", CampaignEntry, CaseEntry)


@dataclass(frozen=True)
class FigureRow:
    """A row of a figures table; `part` rows are a breakdown's parts, shown indented."""

    name: str
    value: str
    note: str
    part: bool = False


@dataclass(frozen=True)
class SourceItem:
    """A source: linked title when it has a web address, and publisher, author and date."""

    title: str
    link: Link | None
    note: str


@dataclass(frozen=True)
class ArticleMeta:
    """What a record page puts in its front matter for the government-site ``<meta>`` tags."""

    title: str
    date: str
    source: str


@dataclass(frozen=True)
class CitationView:
    """A cited law linked to its page in the laws index, and the articles as cited."""

    law: Link
    articles: str


@dataclass(frozen=True)
class ReleaseView:
    """Who released the case as typical (linked when a registered agency), the batch and date."""

    by: str
    link: Link | None
    title: str
    date: str


def _figure_rows(figures: dict[str, Figure]) -> list[FigureRow]:
    """The figures table: each metric, then its breakdown's parts and agencies' shares as
    indented rows."""
    rows = []
    for figure in figures.values():
        note = figure.metric.description or ""
        if figure.complete:
            done = "分项合计与总数一致" if figure.parts else "各机关份额合计与总数一致"
            note = f"{note}（{done}）" if note else done
        rows.append(FigureRow(figure.metric.name, format_quantity(figure.value), note))
        rows.extend(FigureRow(name, format_quantity(value), "", part=True)
                    for name, value in figure.parts)
        rows.extend(FigureRow(f"{agency.name}的份额", format_quantity(value), "", part=True)
                    for agency, value in figure.shares)
    return rows


def changed_text(changed: Changed | None) -> str:
    """When a record last changed, as a reader writes it: 2024年3月5日; "" when unknown."""
    if changed is None:
        return ""
    day = changed.moment.date()
    text = f"{day.year}年{day.month}月{day.day}日"
    return text if changed.committed else f"{text}（另有尚未提交的修改）"


def _citation_views(citations: Sequence[Citation], here: Address) -> list[CitationView]:
    return [CitationView(address.law(c.law).link(here), "、".join(c.articles)) for c in citations]


def _release_view(release: Release | None, agencies: dict[str, Agency], here: Address) -> ReleaseView | None:
    if release is None:
        return None
    agency = agencies.get(release.by)
    link = address.agency(agency).link(here) if agency is not None else None
    return ReleaseView(release.by, link, release.title or "", release.date.chinese())


def _source_link(source: Source) -> Link | None:
    """A link to the source's web address, when it has one that can be a link."""
    if source.url is None:
        return None
    try:
        link_target(source.url)
    except ValueError:
        return None
    return Link(source.title, source.url)


def _source_items(sources: Sequence[Source]) -> list[SourceItem]:
    items = []
    for source in sources:
        details = [text for text in (source.publisher, source.author) if text]
        if source.date is not None:
            details.append(source.date.chinese())
        items.append(SourceItem(source.title, _source_link(source), "，".join(details)))
    return items


def _article_meta(title: str, date: PartialDate, sources: Sequence[Source],
                  agencies: Iterable[Agency]) -> ArticleMeta:
    """ArticleTitle, PubDate (the record's date) and ContentSource: the first source's
    publisher, or the record's agencies when no source names one."""
    publisher = next((s.publisher for s in sources if s.publisher), None)
    source = publisher or "、".join(a.name for a in agencies)
    return ArticleMeta(title, str(date), source)


def _relation_keys(entry: CaseEntry) -> frozenset[str]:
    """What makes two cases related: the same campaign, a shared topic."""
    keys = {f"topic:{topic.slug}" for topic in entry.topics}
    if entry.model.campaign:
        keys.add(f"campaign:{entry.model.campaign}")
    return frozenset(keys)


def _published(records: dict[str, E], what: str, record_id: str, referrer: str) -> E:
    """`records[record_id]`, or `ValueError` naming the record that refers to a missing one."""
    try:
        return records[record_id]
    except KeyError:
        raise ValueError(f"{referrer} refers to {what} {record_id!r}, which is not "
                         "in the published data set") from None


@dataclass(frozen=True)
class _Relations:
    """What related cases are found from: each case's relation keys (`_relation_keys`) and
    rank (newest first), and the ids of each key's cases, newest first."""

    keys: dict[str, frozenset[str]]
    rank: dict[str, int]
    by_key: dict[str, list[str]]


def _relations(keys: dict[str, frozenset[str]]) -> _Relations:
    """The relations of the cases whose keys these are, newest first."""
    by_key: dict[str, list[str]] = {}
    for case_id, mine in keys.items():
        for key in mine:
            by_key.setdefault(key, []).append(case_id)
    return _Relations(keys, {case_id: rank for rank, case_id in enumerate(keys)}, by_key)


class RelatedMemo:
    """Each case's related cases (`RecordPages.related`), kept between the preview's rebuilds.

    A case's related cases are a function of its relation keys (`_relation_keys`) and, for
    each of those keys, of the cases that have it: which they are, their own relation keys
    and their order (the newest few are the candidates; every key two cases share counts).
    `update` takes in the cases of a rebuild and marks as touched every case that is new,
    gone, or whose relation keys or date changed, and as dirty every key a touched case has
    or had. It keeps the related cases of a case that is untouched and has no dirty key, so
    long as the untouched cases are in the same order as before (else it forgets them all):
    each of the case's keys then has the same cases, all untouched, so with the same keys and
    in the same order, and the case's related cases are the same. Any other case's are found
    again, when asked for, and kept for the next rebuild. With no case touched and the order
    the same, the relations themselves (`_Relations`) are those of the rebuild before.

    The related cases are kept by id, with their names in a page job's reads; a related
    case's own content (its title on the page) is not part of this: the page job reads it.
    """

    def __init__(self) -> None:
        self._cases: dict[str, tuple[CaseEntry, frozenset[str], PartialDate]] = {}
        self._relations = _relations({})
        self._related: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.generation = 0
        """Counts the `update` calls: a `RecordPages` uses the memo only while it is the last
        one built with it."""
        self.kept = 0
        """How many cases' related cases the last `update` kept."""

    def update(self, cases: Sequence[CaseEntry]) -> _Relations:
        """Take in the cases of a rebuild (newest first): their relations."""
        before = self._cases
        now: dict[str, tuple[CaseEntry, frozenset[str], PartialDate]] = {}
        touched: set[str] = set()
        dirty: set[str] = set()
        for entry in cases:
            kept = before.get(entry.id)
            if kept is not None and kept[0] is entry:
                now[entry.id] = kept
                continue
            found = now[entry.id] = (entry, _relation_keys(entry), case_date(entry))
            if kept is None or kept[1] != found[1] or kept[2] != found[2]:
                touched.add(entry.id)
                dirty.update(found[1])
                if kept is not None:
                    dirty.update(kept[1])
        for gone in before.keys() - now.keys():
            touched.add(gone)
            dirty.update(before[gone][1])
        order, earlier = list(now), list(self._relations.keys)
        if not touched and order == earlier:
            relations = self._relations
        else:
            relations = _relations({case_id: found[1] for case_id, found in now.items()})
            if [i for i in order if i not in touched] != [i for i in earlier if i not in touched]:
                self._related = {}
            else:
                self._related = {case_id: found for case_id, found in self._related.items()
                                 if case_id not in touched and now[case_id][1].isdisjoint(dirty)}
        self._cases, self._relations = now, relations
        self.generation += 1
        self.kept = len(self._related)
        return relations

    def get(self, generation: int, case_id: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The related cases of `case_id` (ids, and names as page jobs read them), when kept."""
        return self._related.get(case_id) if generation == self.generation else None

    def put(self, generation: int, case_id: str, found: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
        """Keep the related cases of `case_id`, found in the rebuild of `generation`."""
        if generation == self.generation:
            self._related[case_id] = found


class RecordPages:
    """The campaign and case pages of one data set, with the lookups they need.

    `related`, given a `RelatedMemo` kept between rebuilds, finds again only the related cases
    an edit may have changed.
    """

    def __init__(self, dataset: Dataset, stats: Stats, related: RelatedMemo | None = None) -> None:
        self.data = dataset
        self.order = stats.order
        self.covered: dict[str, list[str]] = {}  # campaign id -> metrics its ancestor counts
        for item in stats.covered:
            self.covered.setdefault(item.campaign, []).append(item.metric.name)
        self._memo = related
        self._relations = (related.update(self.order.cases) if related is not None
                           else _relations({entry.id: _relation_keys(entry) for entry in self.order.cases}))
        self._generation = related.generation if related is not None else 0

    def related(self, entry: CaseEntry, limit: int = RELATED_LIMIT) -> list[CaseEntry]:
        """Cases of the same campaign first, then those sharing most topics; newest first.

        Only the newest few of each campaign and topic are candidates, so a page costs the
        same at 10,000 cases as at 100.
        """
        if limit != RELATED_LIMIT or not self._memoized(entry):
            found = self._find_related(entry, limit)
        else:
            found = self._kept(entry)[0]
        cases, rank = self.order.cases, self._relations.rank
        return [cases[rank[other]] for other in found]

    def related_keys(self, entry: CaseEntry) -> tuple[str, ...]:
        """The names of `related(entry)` in a page job's reads (`case_key`)."""
        if not self._memoized(entry):
            return tuple(map(case_key, self._find_related(entry, RELATED_LIMIT)))
        return self._kept(entry)[1]

    def _memoized(self, entry: CaseEntry) -> bool:
        """Whether a memo keeps the related cases of `entry`: it is the data set's case of its id."""
        rank = self._relations.rank.get(entry.id)
        return self._memo is not None and rank is not None and self.order.cases[rank] is entry

    def _kept(self, entry: CaseEntry) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """`related(entry)` as ids and as reads, from the memo when it kept them."""
        assert self._memo is not None
        found = self._memo.get(self._generation, entry.id)
        if found is None:
            others = self._find_related(entry, RELATED_LIMIT)
            found = (others, tuple(map(case_key, others)))
            self._memo.put(self._generation, entry.id, found)
        return found

    def _find_related(self, entry: CaseEntry, limit: int) -> tuple[str, ...]:
        """The ids of `related(entry, limit)`."""
        relations = self._relations
        mine = relations.keys[entry.id] if entry.id in relations.keys else _relation_keys(entry)
        campaign = f"campaign:{entry.model.campaign}" if entry.model.campaign else ""
        seen = {entry.id}
        ranked: list[tuple[int, int, str]] = []
        for key in mine:
            for other in relations.by_key[key][: limit + 1]:
                if other in seen:
                    continue
                seen.add(other)
                # Every key the two share counts, not only those whose newest few `other` is among.
                shared = mine & relations.keys[other]
                weight = len(shared) + (_CAMPAIGN_WEIGHT - 1 if campaign in shared else 0)
                ranked.append((-weight, relations.rank[other], other))
        ranked.sort()  # each rank is one case's: the ids are never compared
        return tuple(other for _, _, other in ranked[:limit])

    def campaign(self, campaign_id: str, referrer: str) -> CampaignEntry:
        """The published campaign `campaign_id`; a missing one is a broken data set."""
        return _published(self.data.campaigns, "campaign", campaign_id, referrer)

    def case(self, case_id: str, referrer: str) -> CaseEntry:
        """The published case `case_id`; a missing one is a broken data set."""
        return _published(self.data.cases, "case", case_id, referrer)

    def _crumbs(self, section: str, year: int, here: Address) -> list[Link]:
        """首页 › 典型案例 › 2024年: the list and the year a record is filed under."""
        count = len(self.order.campaigns if section == "campaigns" else self.order.cases)
        return address.crumbs(here, address.section_index(section),
                              address.year_in_list(section, year, is_archived(count), here))

    def campaign_page(self, entry: CampaignEntry) -> RenderedPage:
        """``campaigns/<id>.md``: facts, summary, figures, body, cases, sources."""
        here = address.campaign(entry)
        model = entry.model
        parent = None
        if model.part_of is not None:
            parent = address.campaign(self.campaign(model.part_of, entry.path)).link(here)
        children = newest_first((self.campaign(c, entry.path) for c in entry.children), campaign_date)
        cases = newest_first((self.case(c, entry.path) for c in entry.cases), case_date)
        markdown = render_template(
            "campaign.md.j2",
            title=model.title,
            crumbs=self._crumbs("campaigns", campaign_date(entry).year, here),
            current=model.title,
            description=excerpt(model.summary),
            campaign=model,
            when=date_range(model.start, model.end),
            region=region_name(entry.region),
            agencies=[address.agency(a).link(here) for a in entry.agencies],
            lead=address.agency(entry.lead).link(here) if entry.lead is not None else None,
            joint=len(entry.agencies) if entry.joint else 0,
            shares=any(f.shares for f in entry.figures.values()),
            changed=changed_text(self.data.changed.get(entry.path)),
            topics=[address.topic(t).link(here) for t in entry.topics],
            parent=parent,
            children=Collection(CAMPAIGNS, children, archived=False).items(here),
            figures=_figure_rows(entry.figures),
            covered=self.covered.get(entry.id, []),
            cases=Collection(CASES, cases, archived=False).items(here, CASES.where),
            sources=_source_items(model.sources),
            article=_article_meta(model.title, model.start, model.sources, entry.agencies),
        )
        return RenderedPage(here.path, markdown, entry.path)

    def case_page(self, entry: CaseEntry) -> RenderedPage:
        """``cases/<id>.md``: facts, summary, parties, measures, figures, sections, sources."""
        here = address.case(entry)
        model = entry.model
        campaign = None
        if model.campaign is not None:
            campaign = address.campaign(self.campaign(model.campaign, entry.path)).link(here)
        markdown = render_template(
            "case.md.j2",
            title=model.title,
            crumbs=self._crumbs("cases", case_date(entry).year, here),
            current=model.title,
            description=excerpt(model.summary),
            case=model,
            agency=address.agency(entry.agency).link(here),
            date=model.date.chinese(),
            campaign=campaign,
            laws=_citation_views(entry.citations, here),
            release=_release_view(model.release, self.data.agencies, here),
            changed=changed_text(self.data.changed.get(entry.path)),
            topics=[address.topic(t).link(here) for t in entry.topics],
            parties=list(model.parties.items()),
            figures=_figure_rows(entry.figures),
            sections=list(model.sections.items()),
            related=Collection(CASES, self.related(entry), archived=False).items(here, CASES.where),
            sources=_source_items(model.sources),
            article=_article_meta(model.title, model.date, model.sources, [entry.agency]),
        )
        return RenderedPage(here.path, markdown, entry.path)
