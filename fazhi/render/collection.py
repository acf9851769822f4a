"""Pages over a group of records: one abstraction for every list of campaigns or cases.

A `Collection` is some records of one `RecordKind` (campaigns or cases), newest first: all of
them, one year's, an agency's, a topic's or a region's. It renders the same way wherever it
is shown: as a full list page with filters (``campaigns/index.md``, ``cases/index.md``, the
yearly ``archive/<kind>-<year>.md`` pages) or as a short list of links on another page
(`Collection.items`, `Collection.capped`). What differs between campaigns and cases (names,
units, notes, filters, the row layout) is data in `CAMPAIGNS` and `CASES`.

The one rule for long lists: a list of more than `LIST_LIMIT` records becomes one archive
page per year, each with its own filters, and a group page whose records can be selected in
that archive (by topic or region) lists its newest `SHORT_LIST` and links to the archive,
filtered to them.

List pages carry a filter form (hidden until ``assets/fazhi/filters.js`` shows it) and
``data-*`` filter values on each item. A campaign that is part of another (``part_of``) says
so under its title, linked to its parent; when the parent is in the same year's list, the
campaign follows it there, indented (`nest`), instead of standing as its peer. Each row of a
full list is written on its own (`RecordKind.row_template`), so that the preview keeps it
while its record is unchanged (`RowMemo`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, get_args

from fazhi.dataset import CampaignEntry, CaseEntry
from fazhi.models import CampaignKind, Outcome, PartialDate, Procedure
from fazhi.ordering import Ordering, YearGroup, campaign_date, case_date
from fazhi.render import address
from fazhi.render.address import Address
from fazhi.render.kit import (
    Capped,
    Group,
    Item,
    Link,
    RenderedPage,
    date_range,
    region_name,
    render_fragment,
    render_template,
)
from fazhi.text import Escaped

__all__ = ["CAMPAIGNS", "CASES", "LIST_LIMIT", "SHORT_LIST", "Collection", "ListJob", "RecordKind", "RowMemo",
           "campaign_key", "capped_reads", "case_key", "collection", "is_archived", "list_jobs", "list_pages", "nest"]

#: The most records one list page shows; see the module docstring.
LIST_LIMIT = 300
SHORT_LIST = 100

E = TypeVar("E", CampaignEntry, CaseEntry)


def case_key(record_id: str) -> str:
    """The name of case `record_id` in a page job's reads (cases and campaigns may share ids)."""
    return f"case:{record_id}"


def campaign_key(record_id: str) -> str:
    """The name of campaign `record_id` in a page job's reads."""
    return f"campaign:{record_id}"


def is_archived(count: int) -> bool:
    """Whether a list of `count` records is split into yearly archive pages."""
    return count > LIST_LIMIT


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterField:
    """A select box of a list page's filter form: the ``data-<name>`` it matches, its label,
    and its options as (value, label) pairs."""

    name: str
    label: str
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class Facet(Generic[E]):
    """A filter of a list page: the (value, label) pairs each record has, and option order."""

    name: str
    label: str
    values: Callable[[E], list[tuple[str, str]]]
    order: Callable[[str], Any]

    def tokens(self, entry: E) -> str:
        """The record's values as one ``data-<name>`` attribute (values never contain spaces)."""
        return _tokens(self.values(entry))

    def field(self, entries: Iterable[E]) -> FilterField:
        """A select box offering each value that occurs once, in `order`."""
        return self.field_of(self.values(entry) for entry in entries)

    def field_of(self, values: Iterable[list[tuple[str, str]]]) -> FilterField:
        """`field` of the records whose `values` these are, in order."""
        options = list(dict.fromkeys(pair for pairs in values for pair in pairs))
        options.sort(key=lambda option: self.order(option[0]))
        return FilterField(self.name, self.label, options)


def _tokens(values: Iterable[tuple[str, str]]) -> str:
    return " ".join("".join(value.split()) for value, _ in values)


def _region_tokens(region: str) -> list[tuple[str, str]]:
    """内蒙古自治区/呼伦贝尔市/海拉尔区 and each region above it, as filter values."""
    parts = [part.strip() for part in region.split("/") if part.strip()]
    return [(path, region_name(path)) for path in ("/".join(parts[:n]) for n in range(1, len(parts) + 1))]


def _years(years: Iterable[int]) -> list[tuple[str, str]]:
    return [(str(year), f"{year}年") for year in years]


def _choice_order(choices: Sequence[str]) -> Callable[[str], int]:
    return choices.index


def _common_facets(ordering: Ordering, years: Callable[[E], Iterable[int]],
                   region: Callable[[E], str]) -> list[Facet[E]]:
    """年份, 地区 and 专题: the filters campaigns and cases share."""
    topic_rank = {topic.slug: rank for rank, topic in enumerate(ordering.topics)}
    return [
        Facet("year", "年份", lambda e: _years(years(e)), lambda value: -int(value)),
        Facet("region", "地区", lambda e: _region_tokens(region(e)), lambda value: value),
        Facet("topic", "专题", lambda e: [(t.slug, t.name) for t in e.topics],
              lambda value: topic_rank.get(value, len(topic_rank))),
    ]


def _campaign_years(entry: CampaignEntry) -> list[int]:
    """Every year a campaign runs in: its start year through its end year."""
    start = entry.model.start.year
    end = entry.model.end.year if entry.model.end is not None else start
    return list(range(start, max(end, start) + 1))


def _campaign_facets(ordering: Ordering) -> list[Facet[CampaignEntry]]:
    kinds: tuple[str, ...] = get_args(CampaignKind)
    return [*_common_facets(ordering, _campaign_years, lambda e: e.region),
            Facet("kind", "类型", lambda e: [(e.model.kind, e.model.kind)], _choice_order(kinds))]


def _case_facets(ordering: Ordering) -> list[Facet[CaseEntry]]:
    procedures: tuple[str, ...] = get_args(Procedure)
    outcomes: tuple[str, ...] = get_args(Outcome)
    return [*_common_facets(ordering, lambda e: [e.model.date.year], lambda e: e.agency.region),
            Facet("procedure", "程序", lambda e: [(e.model.procedure, e.model.procedure)],
                  _choice_order(procedures)),
            Facet("outcome", "结果", lambda e: [(e.model.outcome, e.model.outcome)], _choice_order(outcomes))]


# --- the two kinds of record --------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    """A campaign in a campaign list page."""

    link: Link
    when: str
    kind: str
    agencies: list[Link]
    summary: str
    data: list[tuple[str, str]] = field(default_factory=list)
    """Filter values, written as ``data-<name>`` attributes: (name, space-separated tokens)."""
    parent: Link | None = None
    """The campaign this one is part of (属于 …)."""
    depth: int = 0
    """How deep it sits under its parent in the list: 0 unless its parent is listed above it."""


@dataclass(frozen=True)
class CaseRow:
    """A case in a case list page."""

    link: Link
    date: str
    agency: Link
    procedure: str
    outcome: str
    topics: list[Link]
    data: list[tuple[str, str]] = field(default_factory=list)
    """Filter values, written as ``data-<name>`` attributes: (name, space-separated tokens)."""


def _campaign_row(entry: CampaignEntry, here: Address, data: list[tuple[str, str]]) -> CampaignRow:
    return CampaignRow(
        link=address.campaign(entry).link(here),
        when=date_range(entry.model.start, entry.model.end),
        kind=entry.model.kind,
        agencies=[address.agency(a).link(here) for a in entry.agencies],
        summary=entry.model.summary,
        data=data,
    )


def _case_row(entry: CaseEntry, here: Address, data: list[tuple[str, str]]) -> CaseRow:
    return CaseRow(
        link=address.case(entry).link(here),
        date=entry.model.date.chinese(),
        agency=address.agency(entry.agency).link(here),
        procedure=entry.model.procedure,
        outcome=entry.model.outcome,
        topics=[address.topic(t).link(here) for t in entry.topics],
        data=data,
    )


@dataclass(frozen=True)
class RecordKind(Generic[E]):
    """Campaigns or cases: everything a list of them needs that differs between the two."""

    section: str
    """The folder of the record pages and of the full list: ``campaigns``, ``cases``."""
    label: str
    """专项行动, 典型案例."""
    unit: str
    """What one record is counted in: 项, 件."""
    intro: str
    """The list page's description, before its ending."""
    rows_template: str
    """The partial that writes a year's rows on a list page."""
    row_template: str
    """The partial that writes one row (`row`), for `rows_template` to write as it is."""
    address: Callable[[E], Address]
    date: Callable[[E], PartialDate]
    """The date the record is sorted and filed by."""
    entries: Callable[[Ordering], Sequence[E]]
    years: Callable[[Ordering], Sequence[YearGroup]]
    when: Callable[[E], str]
    """The record's date as a reader writes it (a campaign's date range)."""
    what: Callable[[E], str]
    """Its type: a campaign's kind, a case's procedure."""
    where: Callable[[E], str]
    """Who or where: a campaign's region, a case's agency."""
    row: Callable[[E, Address, list[tuple[str, str]]], Any]
    facets: Callable[[Ordering], list[Facet[E]]]
    key: Callable[[str], str]
    """The name of a record of this kind in a page job's reads (`case_key`, `campaign_key`)."""
    parent: Callable[[E], str | None] = lambda e: None
    """The id of the record this one is part of (a campaign's ``part_of``)."""


CAMPAIGNS: RecordKind[CampaignEntry] = RecordKind(
    section="campaigns", label="专项行动", unit="项",
    intro="各地政法机关开展的专项行动、集中执行、工作成效和机制建设",
    rows_template="_campaign_rows.md.j2",
    row_template="_campaign_row.md.j2",
    address=address.campaign,
    date=campaign_date,
    entries=lambda ordering: ordering.campaigns,
    years=lambda ordering: ordering.campaign_years,
    when=lambda e: date_range(e.model.start, e.model.end),
    what=lambda e: e.model.kind,
    where=lambda e: region_name(e.region) or "跨地区",
    row=_campaign_row,
    facets=_campaign_facets,
    key=campaign_key,
    parent=lambda e: e.model.part_of,
)

CASES: RecordKind[CaseEntry] = RecordKind(
    section="cases", label="典型案例", unit="件",
    intro="各地政法机关发布的典型案例",
    rows_template="_case_rows.md.j2",
    row_template="_case_row.md.j2",
    address=address.case,
    date=case_date,
    entries=lambda ordering: ordering.cases,
    years=lambda ordering: ordering.case_years,
    when=lambda e: e.model.date.chinese(),
    what=lambda e: e.model.procedure,
    where=lambda e: e.agency.name,
    row=_case_row,
    facets=_case_facets,
    key=case_key,
)


# --- collections --------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection(Generic[E]):
    """Some records of one kind, newest first, and how the yearly archive selects them."""

    kind: RecordKind[E]
    entries: Sequence[E]
    archived: bool
    """Whether the kind's full list is split into yearly archive pages."""
    selector: tuple[str, str] | None = None
    """The archive filter (name, value) that selects exactly these records; None when the
    archive cannot (it has no agency filter)."""

    def items(self, here: Address, detail: Callable[[E], str] | None = None,
              limit: int | None = None) -> list[Item]:
        """The records as links from `here`, noted with their date and `detail`."""
        return [Item(self.kind.address(e).link(here),
                     f"{self.kind.when(e)}，{detail(e)}" if detail else self.kind.when(e))
                for e in self.entries[:limit]]

    def capped(self, here: Address, detail: Callable[[E], str]) -> Capped:
        """All the records, or, when the archive can show them, the newest `SHORT_LIST` and
        links to each archive year, filtered to them."""
        total = len(self.entries)
        if self.selector is None or not self.archived or total <= SHORT_LIST:
            return Capped(self.items(here, detail), total)
        return Capped(self.items(here, detail, SHORT_LIST), total, self.archive_links(here))

    def reads(self, limit: int | None = None) -> tuple[str, ...]:
        """What `items` with `limit` shows, as a page job's reads: the records listed, in order."""
        return tuple(self.kind.key(e.id) for e in self.entries[:limit])

    def capped_reads(self) -> tuple[Hashable, ...]:
        """What `capped` shows, as a page job's reads: the records listed and, when the list is
        capped, how many there are and how many each archive year has."""
        years = {e.id: self.kind.date(e).year for e in self.entries}
        return capped_reads(self.kind, [e.id for e in self.entries], years, self.archived, self.selector)

    def archive_links(self, here: Address) -> list[Link]:
        """One link per year (newest first) to the archive page, filtered by the selector,
        labelled with the year and how many of these records it has."""
        assert self.selector is not None
        query = address.filter_query(*self.selector)
        counts = Counter(self.kind.date(e).year for e in self.entries)
        return [address.archive(self.kind.section, year).link(here, f"{year}年（{count}{self.kind.unit}）", query)
                for year, count in counts.items()]


def capped_reads(kind: RecordKind[E], ids: Sequence[str], year: Mapping[str, int], archived: bool,
                 selector: tuple[str, str] | None) -> tuple[Hashable, ...]:
    """`Collection.capped_reads` of the records `ids` (newest first), given the year of each
    (at least of these) by id: for a group page's reads, without looking up the records."""
    total = len(ids)
    if selector is None or not archived or total <= SHORT_LIST:
        return tuple(map(kind.key, ids))
    counts = tuple(Counter(map(year.__getitem__, ids)).items())
    return (*map(kind.key, ids[:SHORT_LIST]), ("capped", selector, total, counts))


#: How far a nested campaign is indented under its parent at most.
_MAX_DEPTH = 2


def nest(entries: Sequence[E], parent: Callable[[E], str | None], key: Callable[[E], str]) -> list[tuple[E, int]]:
    """`entries` in their order, except that a record whose parent is among them follows its
    parent (and the parent's earlier children), one level deeper: (entry, depth) pairs."""
    present = {key(e) for e in entries}
    children: dict[str, list[E]] = {}
    for entry in entries:
        above = parent(entry)
        if above is not None and above in present and above != key(entry):
            children.setdefault(above, []).append(entry)
    placed: set[str] = set()
    result: list[tuple[E, int]] = []

    def place(entry: E, depth: int) -> None:
        if key(entry) in placed:
            return
        placed.add(key(entry))
        result.append((entry, min(depth, _MAX_DEPTH)))
        for child in children.get(key(entry), []):
            place(child, depth + 1)

    for entry in entries:
        above = parent(entry)
        if above is None or above not in present or above == key(entry):
            place(entry, 0)
    for entry in entries:  # a cycle of part_of (the checker refuses one): as listed
        place(entry, 0)
    return result


@dataclass(frozen=True)
class _Row:
    """A row of a list page as written, and what it was written from."""

    entry: Any
    parent: Link | None
    depth: int
    values: list[list[tuple[str, str]]]
    """The record's filter values, one list per facet of its kind."""
    text: Escaped


class RowMemo:
    """The rows of the full list pages as written, kept between the preview's rebuilds.

    A row is a function of the record (equal entries write equal rows: the filter values, the
    links and their text all come from the entry), the page it is on (links are relative to
    it), and, for a campaign, the link to its parent and how deep it is nested under it; a
    row is written again only when one of those changed. An edit then writes one row of a
    year's thousand, not the thousand. Each page keeps only the rows it wrote last.
    """

    def __init__(self) -> None:
        self._pages: dict[str, dict[str, _Row]] = {}

    def rows(self, page: str) -> dict[str, _Row]:
        """The rows the list page `page` wrote last, by record id."""
        return self._pages.get(page, {})

    def keep(self, page: str, rows: dict[str, _Row]) -> None:
        """Keep the rows `page` has just written (and no others of it)."""
        self._pages[page] = rows


def _list_page(kind: RecordKind[E], ordering: Ordering, page: Address, title: str, description: str,
               groups: Sequence[YearGroup], up: Link | None = None, current: str = "",
               memo: RowMemo | None = None) -> RenderedPage:
    """A full list: the records by year, each with its filter values, and the filters that
    offer the values that occur (no year filter on a year's archive page). A record that is
    part of another names it, and follows it when both are in the same year. `memo` keeps
    the rows written (`RowMemo`)."""
    facets = kind.facets(ordering)
    entries = [entry for group in groups for entry in group.entries]
    by_id = {e.id: e for e in kind.entries(ordering)}
    kept = memo.rows(page.path) if memo is not None else {}
    written: dict[str, _Row] = {}

    def row(entry: E, depth: int) -> Escaped:
        above = kind.parent(entry)
        parent = kind.address(by_id[above]).link(page) if above is not None and above in by_id else None
        depth = depth if parent is not None else 0
        found = kept.get(entry.id)
        if found is None or found.parent != parent or found.depth != depth or not (
                found.entry is entry or found.entry == entry):
            values = [f.values(entry) for f in facets]
            made = kind.row(entry, page, [(f.name, _tokens(v)) for f, v in zip(facets, values, strict=True)])
            if parent is not None:
                made = replace(made, parent=parent, depth=depth)
            found = _Row(entry, parent, depth, values, render_fragment(kind.row_template, row=made, here=page.path))
        written[entry.id] = found
        return found.text

    rows = [Group(f"{group.year}年", [row(e, depth) for e, depth in nest(group.entries, kind.parent,
                                                                        lambda e: e.id)])
            for group in groups]
    if memo is not None:
        memo.keep(page.path, written)
    filters = [f.field_of(written[e.id].values[n] for e in entries) for n, f in enumerate(facets)
               if not (up and f.name == "year")]
    return _render_list(kind, page, title, description, len(entries), up=up, groups=rows, current=current,
                        filters=filters)


def _year_overview(kind: RecordKind[E], page: Address, description: str,
                   groups: Sequence[YearGroup]) -> RenderedPage:
    """A long list's index: how many records each year has, linking to its archive page."""
    years = [Item(address.archive(kind.section, group.year).link(page), f"{len(group.entries)}{kind.unit}")
             for group in groups]
    return _render_list(kind, page, kind.label, description, sum(len(group.entries) for group in groups),
                        years=years)


def _render_list(kind: RecordKind[E], page: Address, title: str, description: str, total: int, *,
                 up: Link | None = None, years: list[Item] | None = None, groups: list[Group] | None = None,
                 filters: list[FilterField] | None = None, current: str = "") -> RenderedPage:
    crumbs = address.crumbs(page, address.section_index(kind.section)) if current else []
    markdown = render_template(
        "record_list.md.j2", title=title, description=description, unit=kind.unit, label=kind.label,
        crumbs=crumbs, current=current, here=page.path,
        rows_template=kind.rows_template, total=total, up=up, years=years or [], groups=groups or [],
        filters=filters or [])
    return RenderedPage(page.path, markdown, None)


@dataclass(frozen=True)
class ListJob:
    """One page of a full list, to render on its own: its name, how to render it and what it
    reads (`fazhi.render.PageJob`)."""

    key: str
    run: Callable[[], RenderedPage]
    reads: tuple[Hashable, ...]


def list_jobs(kind: RecordKind[E], ordering: Ordering, memo: RowMemo | None = None) -> list[ListJob]:
    """The pages of `list_pages`, in its order, each as a job with what it shows.

    The full list reads every record of the kind; a long list's index, each year's count; a
    year's archive page, that year's records and the campaigns they are part of (linked by
    title), so an edit renders again only the archive page of the record's year. `memo`, the
    preview's, keeps the rows written (`RowMemo`).
    """
    index = address.section_index(kind.section)
    groups = kind.years(ordering)
    entries = kind.entries(ordering)
    if not is_archived(len(entries)):
        return [ListJob(f"lists:{kind.section}", lambda: _list_page(
            kind, ordering, index, kind.label, f"{kind.intro}，按年份排列。", groups, memo=memo),
            ("all", *(kind.key(e.id) for e in entries)))]
    jobs = [ListJob(f"lists:{kind.section}",
                    lambda: _year_overview(kind, index, f"{kind.intro}，按年份分页。", groups),
                    ("years", *((group.year, len(group.entries)) for group in groups)))]
    for group in groups:
        parents = dict.fromkeys(above for e in group.entries if (above := kind.parent(e)) is not None)
        jobs.append(ListJob(f"lists:{kind.section}:{group.year}",
                            functools.partial(_archive_page, kind, ordering, group, memo),
                            (*(kind.key(e.id) for e in group.entries), "parents",
                             *(kind.key(above) for above in parents))))
    return jobs


def _archive_page(kind: RecordKind[E], ordering: Ordering, group: YearGroup, memo: RowMemo | None = None
                  ) -> RenderedPage:
    """``archive/<section>-<year>.md``: one year of a long list."""
    index = address.section_index(kind.section)
    page = address.archive(kind.section, group.year)
    return _list_page(kind, ordering, page, f"{group.year}年{kind.label}", f"{group.year}年{kind.intro}。", [group],
                      up=index.link(page, "全部年份"), current=f"{group.year}年", memo=memo)


def list_pages(kind: RecordKind[E], ordering: Ordering) -> list[RenderedPage]:
    """``<section>/index.md``: every record by year, newest first; or, for a long list, the
    years, each linking to its ``archive/<section>-<year>.md`` page."""
    return [job.run() for job in list_jobs(kind, ordering)]


def collection(kind: RecordKind[E], ordering: Ordering, entries: Sequence[E],
               selector: tuple[str, str] | None = None) -> Collection[E]:
    """`entries` (newest first) as a collection of `kind` in the data set `ordering` holds."""
    return Collection(kind, entries, is_archived(len(kind.entries(ordering))), selector)
