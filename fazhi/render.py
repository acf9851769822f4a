"""Render the published data set as Markdown pages for MkDocs.

`render_pages` is pure: it takes a `Dataset` (already the published-only view) and returns
the pages' Markdown with their paths under the docs directory. Nothing here imports MkDocs;
the build hook adds the pages to the site.

Data never becomes template source. The templates in ``fazhi/templates`` are rendered with
views built here, and every value they output goes through an escaping filter from
`fazhi.text` (``t``, ``md``, ``fm``, ``link``, ``links``); the environment's ``finalize``
refuses any output that did not, so forgetting a filter fails loudly.

Pages (paths relative to the docs directory; MkDocs serves ``x/<id>.md`` at ``/x/<id>/``):

- ``campaigns/<id>.md`` and ``campaigns/index.md`` (grouped by year, newest first)
- ``cases/<id>.md`` and ``cases/index.md`` (grouped by year, newest first)

The two lists carry a filter form (hidden until ``assets/fazhi/filters.js`` shows it) and
``data-*`` filter values on each item; record pages add ``article_title``, ``pub_date`` and
``content_source`` to their front matter for the theme's ``<meta>`` tags (overrides/main.html).
- ``agencies/<slug>.md`` and ``agencies/index.md`` (grouped by kind)
- ``topics/<slug>.md`` and ``topics/index.md``

Links between pages are relative links to the ``.md`` files, so ``mkdocs build --strict``
checks them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset, Figure
from fazhi.models import Agency, CampaignKind, Outcome, PartialDate, Procedure, Source, Topic
from fazhi.text import Escaped, escape_front_matter, escape_text, link_target, markdown_block
from fazhi.values import format_quantity

if TYPE_CHECKING:  # fazhi.stats imports this module's helpers; only the types are needed here
    from fazhi.stats import Slice, Stats, Total

__all__ = ["RenderedPage", "render_pages"]

TEMPLATES = Path(__file__).parent / "templates"

#: Agency kinds in the order the agencies index lists them.
AGENCY_KINDS: tuple[str, ...] = ("法院", "检察院", "司法行政", "公安", "其他")

#: Option order of the list filters: the order of the record format's lists.
_CAMPAIGN_KINDS: tuple[str, ...] = get_args(CampaignKind)
_PROCEDURES: tuple[str, ...] = get_args(Procedure)
_OUTCOMES: tuple[str, ...] = get_args(Outcome)

_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DESCRIPTION_LIMIT = 120


@dataclass(frozen=True)
class RenderedPage:
    """One generated file: a Markdown page, or a download (CSV, JSON, feed) served as is."""

    src_uri: str
    """Path under the docs directory, POSIX, e.g. ``campaigns/2024-hlbe-xinchun.md``."""
    content: str
    """A page's Markdown, starting with YAML front matter (``title``, ``description``),
    or the text of any other file."""
    source: str | None
    """The data file the page comes from (for edit links); None for list pages."""


# --- views: what templates see ------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link to show: its text (raw data) and its destination (checked when written)."""

    text: str
    href: str


@dataclass(frozen=True)
class Item:
    """A linked record in a list, with a short note (date, agency…)."""

    link: Link
    note: str = ""


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
class CampaignRow:
    """A campaign in the campaigns index."""

    link: Link
    when: str
    kind: str
    agencies: list[Link]
    summary: str
    data: list[tuple[str, str]] = field(default_factory=list)
    """Filter values, written as ``data-<name>`` attributes: (name, space-separated tokens)."""


@dataclass(frozen=True)
class CaseRow:
    """A case in the cases index."""

    link: Link
    date: str
    agency: Link
    procedure: str
    outcome: str
    topics: list[Link]
    data: list[tuple[str, str]] = field(default_factory=list)
    """Filter values, written as ``data-<name>`` attributes: (name, space-separated tokens)."""


@dataclass(frozen=True)
class FilterField:
    """A select box of a list page's filter form: the ``data-<name>`` it matches, its label,
    and its options as (value, label) pairs."""

    name: str
    label: str
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class ArticleMeta:
    """What a record page puts in its front matter for the government-site ``<meta>`` tags."""

    title: str
    date: str
    source: str


@dataclass(frozen=True)
class Capped:
    """The newest items of a long list, and links to the rest in the yearly archive."""

    items: list[Item]
    total: int
    more: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    """A headed group of rows: a year, or an agency kind."""

    label: str
    rows: list[Any] = field(default_factory=list)
    key: str = ""
    """What the group is of, for a page name (a year: ``2024``)."""


# --- template environment -----------------------------------------------------------------


def _only_escaped(value: object) -> Escaped:
    """Jinja's finalize hook: every output must have gone through an escaping filter."""
    if isinstance(value, Escaped):
        return value
    raise TypeError(
        f"template output of type {type(value).__name__} was not escaped; "
        "use the t, md, fm, link or links filter")


def _link(link: Link) -> Escaped:
    """``[text](href)`` with the text escaped and the destination checked."""
    return Escaped(f"[{escape_text(link.text)}]({link_target(link.href)})")


def _links(links: Iterable[Link], separator: str = "、") -> Escaped:
    """Several links, joined by a Chinese enumeration comma."""
    return Escaped(escape_text(separator).join(_link(link) for link in links))


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_only_escaped,
    )
    env.filters.update({
        "t": escape_text,
        "md": markdown_block,
        "fm": escape_front_matter,
        "link": _link,
        "links": _links,
    })
    return env


def _render(template: str, **context: Any) -> str:
    text = _environment().get_template(template).render(**context)
    return text.rstrip("\n") + "\n"


# --- helpers ------------------------------------------------------------------------------

T = TypeVar("T")


def _segment(value: str) -> str:
    """An id or slug used in a page path; refuse anything that is not a plain ASCII name."""
    if not _SEGMENT.match(value) or value == "index":
        raise ValueError(f"cannot use {value!r} as a page name (ids and slugs are "
                         "lowercase ASCII letters, digits and hyphens, and not 'index')")
    return value


def _href(here: str, section: str, name: str) -> str:
    """Relative path from a page in directory `here` to ``<section>/<name>.md``."""
    target = f"{_segment(name)}.md"
    return target if here == section else f"../{section}/{target}"


def _date_range(start: PartialDate, end: PartialDate | None) -> str:
    """2024年1月14日, or 2024年1月14日—2024年2月 when the end differs."""
    if end is None or end == start:
        return start.chinese()
    return f"{start.chinese()}—{end.chinese()}"


def _region(region: str) -> str:
    """内蒙古自治区/呼伦贝尔市 as a reader writes it: 内蒙古自治区呼伦贝尔市."""
    return "".join(part.strip() for part in region.split("/"))


def _excerpt(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    """The first `limit` characters of one-line text, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def _newest_first(entries: Iterable[T], date_of: Callable[[T], PartialDate],
                  id_of: Callable[[T], str]) -> list[T]:
    """Sorted by date, newest first (a coarser date after finer ones of the same period),
    then by id."""
    def key(entry: T) -> tuple[int, int, int, str]:
        date = date_of(entry)
        return (-date.year, -date.month, -date.day, id_of(entry))
    return sorted(entries, key=key)


def _campaign_date(entry: CampaignEntry) -> PartialDate:
    return entry.model.start


def _case_date(entry: CaseEntry) -> PartialDate:
    return entry.model.date


def _entry_id(entry: CampaignEntry | CaseEntry) -> str:
    return entry.id


def _by_year(rows: Sequence[T], date_of: Callable[[T], PartialDate]) -> list[Group]:
    """Rows (already newest first) grouped by year."""
    return [Group(f"{year}年", list(items), str(year))
            for year, items in groupby(rows, key=lambda row: date_of(row).year)]


def _list_path(here: str, kind: str, groups: list[Group], year: bool) -> str:
    """``<kind>/index.md``, or ``archive/<kind>-<year>.md`` for one year's archive page."""
    return f"archive/{kind}-{groups[0].key}.md" if year else f"{here}/index.md"


def _unique(values: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Registry entries once each (the data set also files agencies under their aliases)."""
    seen: set[str] = set()
    unique = []
    for value in values:
        if key(value) not in seen:
            seen.add(key(value))
            unique.append(value)
    return unique


def _agency_link(agency: Agency, here: str) -> Link:
    return Link(agency.name, _href(here, "agencies", agency.slug))


def _topic_link(topic: Topic, here: str) -> Link:
    return Link(topic.name, _href(here, "topics", topic.slug))


def _campaign_link(entry: CampaignEntry, here: str) -> Link:
    return Link(entry.model.title, _href(here, "campaigns", entry.id))


def _case_link(entry: CaseEntry, here: str) -> Link:
    return Link(entry.model.title, _href(here, "cases", entry.id))


def _campaign_when(entry: CampaignEntry) -> str:
    return _date_range(entry.model.start, entry.model.end)


def _campaign_years(entry: CampaignEntry) -> list[int]:
    """Every year a campaign runs in: its start year through its end year."""
    end = entry.model.end.year if entry.model.end is not None else entry.model.start.year
    return list(range(entry.model.start.year, max(end, entry.model.start.year) + 1))


def _article_meta(title: str, date: PartialDate, sources: Sequence[Source],
                  agencies: Iterable[Agency]) -> ArticleMeta:
    """ArticleTitle, PubDate (the record's date) and ContentSource: the first source's
    publisher, or the record's agencies when no source names one."""
    publisher = next((s.publisher for s in sources if s.publisher), None)
    source = publisher or "、".join(a.name for a in agencies)
    return ArticleMeta(title, str(date), source)


def _region_tokens(region: str) -> list[str]:
    """内蒙古自治区/呼伦贝尔市/海拉尔区 and each region above it, as filter values."""
    parts = [part.strip() for part in region.split("/") if part.strip()]
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _tokens(values: Iterable[object]) -> str:
    """Filter values as one space-separated attribute value (values never contain spaces)."""
    return " ".join("".join(str(value).split()) for value in values)


def _filter_field(name: str, label: str, values: Iterable[tuple[str, str]],
                  order: Callable[[tuple[str, str]], Any] | None = None) -> FilterField:
    """A select box offering each distinct (value, label) once, in first-seen or `order` order."""
    options = list(dict.fromkeys(values))
    if order is not None:
        options.sort(key=order)
    return FilterField(name, label, options)


def _figure_rows(figures: dict[str, Figure]) -> list[FigureRow]:
    """The figures table: each metric, then its breakdown's parts as indented rows."""
    rows = []
    for figure in figures.values():
        note = figure.metric.description or ""
        if figure.parts and figure.complete:
            note = f"{note}（分项合计与总数一致）" if note else "分项合计与总数一致"
        rows.append(FigureRow(figure.metric.name, format_quantity(figure.value), note))
        rows.extend(FigureRow(name, format_quantity(value), "", part=True)
                    for name, value in figure.parts)
    return rows


def _source_items(sources: Sequence[Source]) -> list[SourceItem]:
    items = []
    for source in sources:
        details = [text for text in (source.publisher, source.author) if text]
        if source.date is not None:
            details.append(source.date.chinese())
        link = None
        if source.url is not None:
            try:
                link_target(source.url)
            except ValueError:
                link = None
            else:
                link = Link(source.title, source.url)
        items.append(SourceItem(source.title, link, "，".join(details)))
    return items


# --- pages --------------------------------------------------------------------------------


RELATED_LIMIT = 5

#: The most records one list page shows. Longer case and campaign lists become one archive
#: page per year (``archive/cases-<year>.md``), each with its own filters; topic and region
#: pages then list their newest `SHORT_LIST` cases and link to the archive, filtered to them.
LIST_LIMIT = 300
SHORT_LIST = 100


def is_archived(count: int) -> bool:
    """Whether a list of `count` records is split into yearly archive pages."""
    return count > LIST_LIMIT


def archive_links(years: Iterable[int], kind: str, here: str, name: str, value: str) -> list[Link]:
    """Links to the yearly archive pages of `kind` (cases, campaigns), filtered by
    ``name=value`` (the list filters read it from the address), one per year in `years`
    (records newest first), labelled with the year and how many records it has."""
    counts = Counter(years)
    query = f"?{name}={quote(value, safe='')}"
    return [Link(f"{year}年（{count}{'件' if kind == 'cases' else '项'}）",
                 _href(here, "archive", f"{kind}-{year}") + query)
            for year, count in counts.items()]


@dataclass(frozen=True)
class TotalRow:
    """A metric's total, as the press writes it, with how many records it adds up."""

    name: str
    value: str
    records: str


def total_rows(totals: Sequence[Total], unit: str) -> list[TotalRow]:
    """Table rows for totals; `unit` counts the records (项行动, 件案例)."""
    return [TotalRow(t.metric.name, format_quantity(t.value), f"{len(t.records)}{unit}")
            for t in totals]


def _relation_keys(entry: CaseEntry) -> set[str]:
    """What makes two cases related: the same campaign, a shared topic."""
    keys = {f"topic:{topic.slug}" for topic in entry.topics}
    if entry.model.campaign:
        keys.add(f"campaign:{entry.model.campaign}")
    return keys


class _Site:
    """The data set with the lookups the pages need."""

    def __init__(self, dataset: Dataset, stats: Stats) -> None:
        self.data = dataset
        self.agency_slices = {found.key: found for found in stats.agencies}
        self.covered: dict[str, list[str]] = {}  # campaign id -> metrics its ancestor counts
        for item in stats.covered:
            self.covered.setdefault(item.campaign, []).append(item.metric.name)
        self.topic_slices = {found.key: found for found in stats.topics}
        self.agencies = _unique(dataset.agencies.values(), lambda a: a.slug)
        self.topics = _unique(dataset.topics.values(), lambda t: t.slug)
        self.campaigns = _newest_first(dataset.campaigns.values(), _campaign_date, _entry_id)
        self.cases = _newest_first(dataset.cases.values(), _case_date, _entry_id)
        self.case_order = {case.id: index for index, case in enumerate(self.cases)}
        self.cases_by_key: dict[str, list[CaseEntry]] = {}
        for entry in self.cases:  # newest first within each key
            for key in _relation_keys(entry):
                self.cases_by_key.setdefault(key, []).append(entry)

    def related(self, entry: CaseEntry, limit: int = RELATED_LIMIT) -> list[CaseEntry]:
        """Cases of the same campaign first, then those sharing most topics; newest first.

        Only the newest few of each campaign and topic are candidates, so a page costs the
        same at 10,000 cases as at 100.
        """
        mine = _relation_keys(entry)
        candidates: dict[str, CaseEntry] = {}
        for key in mine:
            for other in self.cases_by_key[key][: limit + 1]:
                if other.id != entry.id:
                    candidates.setdefault(other.id, other)

        def rank(other: CaseEntry) -> tuple[int, int]:
            shared = mine & _relation_keys(other)
            weight = sum(3 if key.startswith("campaign:") else 1 for key in shared)
            return -weight, self.case_order[other.id]

        return sorted(candidates.values(), key=rank)[:limit]

    def campaign(self, campaign_id: str, referrer: str) -> CampaignEntry:
        """The published campaign `campaign_id`; a missing one is a broken data set."""
        try:
            return self.data.campaigns[campaign_id]
        except KeyError:
            raise ValueError(f"{referrer} refers to campaign {campaign_id!r}, which is not "
                             "in the published data set") from None

    def case(self, case_id: str, referrer: str) -> CaseEntry:
        """The published case `case_id`; a missing one is a broken data set."""
        try:
            return self.data.cases[case_id]
        except KeyError:
            raise ValueError(f"{referrer} refers to case {case_id!r}, which is not "
                             "in the published data set") from None

    # --- record pages

    def campaign_page(self, entry: CampaignEntry) -> RenderedPage:
        """``campaigns/<id>.md``: facts, summary, figures, body, cases, sources."""
        here = "campaigns"
        model = entry.model
        parent = None
        if model.part_of is not None:
            parent = _campaign_link(self.campaign(model.part_of, entry.path), here)
        children = _newest_first((self.campaign(c, entry.path) for c in entry.children),
                                 _campaign_date, _entry_id)
        cases = _newest_first((self.case(c, entry.path) for c in entry.cases),
                              _case_date, _entry_id)
        markdown = _render(
            "campaign.md.j2",
            title=model.title,
            description=_excerpt(model.summary),
            campaign=model,
            when=_campaign_when(entry),
            region=_region(entry.region),
            agencies=[_agency_link(a, here) for a in entry.agencies],
            topics=[_topic_link(t, here) for t in entry.topics],
            parent=parent,
            children=[Item(_campaign_link(c, here), _campaign_when(c)) for c in children],
            figures=_figure_rows(entry.figures),
            covered=self.covered.get(entry.id, []),
            cases=[Item(_case_link(c, here), f"{c.model.date.chinese()}，{c.agency.name}")
                   for c in cases],
            sources=_source_items(model.sources),
            article=_article_meta(model.title, model.start, model.sources, entry.agencies),
        )
        return RenderedPage(f"{here}/{_segment(entry.id)}.md", markdown, entry.path)

    def case_page(self, entry: CaseEntry) -> RenderedPage:
        """``cases/<id>.md``: facts, summary, parties, measures, figures, sections, sources."""
        here = "cases"
        model = entry.model
        campaign = None
        if model.campaign is not None:
            campaign = _campaign_link(self.campaign(model.campaign, entry.path), here)
        markdown = _render(
            "case.md.j2",
            title=model.title,
            description=_excerpt(model.summary),
            case=model,
            agency=_agency_link(entry.agency, here),
            date=model.date.chinese(),
            campaign=campaign,
            topics=[_topic_link(t, here) for t in entry.topics],
            parties=list(model.parties.items()),
            figures=_figure_rows(entry.figures),
            sections=list(model.sections.items()),
            related=[Item(_case_link(c, here), f"{c.model.date.chinese()}，{c.agency.name}")
                     for c in self.related(entry)],
            sources=_source_items(model.sources),
            article=_article_meta(model.title, model.date, model.sources, [entry.agency]),
        )
        return RenderedPage(f"{here}/{_segment(entry.id)}.md", markdown, entry.path)

    # --- lists

    def campaigns_index(self) -> list[RenderedPage]:
        """``campaigns/index.md``: every campaign by year, newest first; or, for a long list,
        the years, each linking to its ``archive/campaigns-<year>.md`` page."""
        groups = _by_year(self.campaigns, _campaign_date)
        intro = "各地政法机关开展的专项行动、集中执行、工作成效和机制建设"
        if not is_archived(len(self.campaigns)):
            return [self._campaigns_list("campaigns", "专项行动", f"{intro}，按年份排列。", groups)]
        pages = [self._campaigns_list("archive", f"{group.label}专项行动",
                                      f"{group.label}{intro}。", [group], year=True)
                 for group in groups]
        return [self._year_overview("campaigns", "专项行动", f"{intro}，按年份分页。", groups,
                                    "campaigns_index.md.j2"), *pages]

    def _campaigns_list(self, here: str, title: str, description: str, groups: list[Group],
                        year: bool = False) -> RenderedPage:
        entries = [entry for group in groups for entry in group.rows]
        markdown = _render(
            "campaigns_index.md.j2",
            title=title,
            description=description,
            total=len(entries),
            years=[],
            up=Link("全部年份", "../campaigns/index.md") if year else None,
            groups=[Group(g.label, [self._campaign_row(e, here) for e in g.rows]) for g in groups],
            filters=[f for f in self._campaign_filters(entries) if not (year and f.name == "year")],
        )
        return RenderedPage(_list_path(here, "campaigns", groups, year), markdown, None)

    def _year_overview(self, kind: str, title: str, description: str, groups: list[Group],
                       template: str) -> RenderedPage:
        """A long list's index: how many records each year has, linking to its archive page."""
        unit = "件" if kind == "cases" else "项"
        years = [Item(Link(group.label, _href(kind, "archive", f"{kind}-{group.key}")),
                      f"{len(group.rows)}{unit}") for group in groups]
        markdown = _render(template, title=title, description=description,
                           total=sum(len(group.rows) for group in groups), years=years, up=None,
                           groups=[], filters=[])
        return RenderedPage(f"{kind}/index.md", markdown, None)

    def _campaign_row(self, entry: CampaignEntry, here: str) -> CampaignRow:
        return CampaignRow(
            link=_campaign_link(entry, here),
            when=_campaign_when(entry),
            kind=entry.model.kind,
            agencies=[_agency_link(a, here) for a in entry.agencies],
            summary=entry.model.summary,
            data=[
                ("year", _tokens(_campaign_years(entry))),
                ("region", _tokens(_region_tokens(entry.region))),
                ("topic", _tokens(t.slug for t in entry.topics)),
                ("kind", _tokens([entry.model.kind])),
            ],
        )

    def _campaign_filters(self, entries: list[CampaignEntry]) -> list[FilterField]:
        """年份, 地区, 专题 and 类型 select boxes, offering only values that occur."""
        return [
            _filter_field("year", "年份", ((str(y), f"{y}年") for e in entries
                                           for y in _campaign_years(e)),
                          order=lambda option: -int(option[0])),
            _filter_field("region", "地区", ((r, _region(r)) for e in entries
                                             for r in _region_tokens(e.region)),
                          order=lambda option: option[0]),
            _filter_field("topic", "专题", ((t.slug, t.name) for t in self.topics
                                            if any(t in e.topics for e in entries))),
            _filter_field("kind", "类型", ((k, k) for k in _CAMPAIGN_KINDS
                                           if any(e.model.kind == k for e in entries))),
        ]

    def cases_index(self) -> list[RenderedPage]:
        """``cases/index.md``: every case in a table per year, newest first; or, for a long
        list, the years, each linking to its ``archive/cases-<year>.md`` page."""
        groups = _by_year(self.cases, _case_date)
        intro = "各地政法机关发布的典型案例"
        if not is_archived(len(self.cases)):
            return [self._cases_list("cases", "典型案例", f"{intro}，按年份排列。", groups)]
        pages = [self._cases_list("archive", f"{group.label}典型案例", f"{group.label}{intro}。",
                                  [group], year=True)
                 for group in groups]
        return [self._year_overview("cases", "典型案例", f"{intro}，按年份分页。", groups,
                                    "cases_index.md.j2"), *pages]

    def _cases_list(self, here: str, title: str, description: str, groups: list[Group],
                    year: bool = False) -> RenderedPage:
        entries = [entry for group in groups for entry in group.rows]
        markdown = _render(
            "cases_index.md.j2",
            title=title,
            description=description,
            total=len(entries),
            years=[],
            up=Link("全部年份", "../cases/index.md") if year else None,
            groups=[Group(g.label, [self._case_row(e, here) for e in g.rows]) for g in groups],
            filters=[f for f in self._case_filters(entries) if not (year and f.name == "year")],
        )
        return RenderedPage(_list_path(here, "cases", groups, year), markdown, None)

    def _case_row(self, entry: CaseEntry, here: str) -> CaseRow:
        return CaseRow(
            link=_case_link(entry, here),
            date=entry.model.date.chinese(),
            agency=_agency_link(entry.agency, here),
            procedure=entry.model.procedure,
            outcome=entry.model.outcome,
            topics=[_topic_link(t, here) for t in entry.topics],
            data=[
                ("year", _tokens([entry.model.date.year])),
                ("region", _tokens(_region_tokens(entry.agency.region))),
                ("topic", _tokens(t.slug for t in entry.topics)),
                ("procedure", _tokens([entry.model.procedure])),
                ("outcome", _tokens([entry.model.outcome])),
            ],
        )

    def _case_filters(self, entries: list[CaseEntry]) -> list[FilterField]:
        """年份, 地区, 专题, 程序 and 结果 select boxes, offering only values that occur."""
        return [
            _filter_field("year", "年份", ((str(e.model.date.year), f"{e.model.date.year}年")
                                           for e in entries),
                          order=lambda option: -int(option[0])),
            _filter_field("region", "地区", ((r, _region(r)) for e in entries
                                             for r in _region_tokens(e.agency.region)),
                          order=lambda option: option[0]),
            _filter_field("topic", "专题", ((t.slug, t.name) for t in self.topics
                                            if any(t in e.topics for e in entries))),
            _filter_field("procedure", "程序", ((p, p) for p in _PROCEDURES
                                                if any(e.model.procedure == p for e in entries))),
            _filter_field("outcome", "结果", ((o, o) for o in _OUTCOMES
                                              if any(e.model.outcome == o for e in entries))),
        ]

    def _records_of(self, found: Slice | None, here: str) -> tuple[list[Item], list[Item]]:
        """The linked campaigns and cases of a slice (none when it has no records)."""
        if found is None:
            return [], []
        campaigns = [self.data.campaigns[i] for i in found.campaigns]
        cases = [self.data.cases[i] for i in found.cases]
        return ([Item(_campaign_link(e, here), f"{_campaign_when(e)}，{e.model.kind}")
                 for e in campaigns],
                [Item(_case_link(e, here), f"{e.model.date.chinese()}，{e.model.procedure}")
                 for e in cases])

    def _short_cases(self, cases: list[Item], found: Slice | None, here: str, name: str,
                     value: str) -> Capped:
        """A topic's cases: all of them, or, when the case list is archived by year, the
        newest `SHORT_LIST` and links to the yearly archive filtered by ``name=value``."""
        if found is None or not is_archived(len(self.cases)) or len(cases) <= SHORT_LIST:
            return Capped(cases, len(cases))
        years = (self.data.cases[i].model.date.year for i in found.cases)
        return Capped(cases[:SHORT_LIST], len(cases), archive_links(years, "cases", here, name, value))

    @staticmethod
    def _slice_totals(found: Slice | None) -> list[TotalRow]:
        return total_rows(found.totals, "项行动") if found else []

    def _agency_records(self, agency: Agency, here: str) -> tuple[list[Item], list[Item]]:
        return self._records_of(self.agency_slices.get(agency.slug), here)

    def _topic_records(self, topic: Topic, here: str) -> tuple[list[Item], list[Item]]:
        return self._records_of(self.topic_slices.get(topic.slug), here)

    def agency_page(self, agency: Agency) -> RenderedPage:
        """``agencies/<slug>.md``: the agency and the records it takes part in."""
        here = "agencies"
        campaigns, cases = self._agency_records(agency, here)
        region = _region(agency.region)
        markdown = _render(
            "agency.md.j2",
            title=agency.name,
            description=f"{agency.name}参与的专项行动和办理的典型案例。",
            agency=agency,
            region=region,
            campaigns=campaigns,
            cases=Capped(cases, len(cases)),  # the archive has no agency filter
            totals=self._slice_totals(self.agency_slices.get(agency.slug)),
        )
        return RenderedPage(f"{here}/{_segment(agency.slug)}.md", markdown, None)

    def agencies_index(self) -> RenderedPage:
        """``agencies/index.md``: agencies by kind, in registry order within a kind."""
        here = "agencies"
        groups = []
        for kind in AGENCY_KINDS:
            rows = []
            for agency in self.agencies:
                if agency.kind != kind:
                    continue
                campaigns, cases = self._agency_records(agency, here)
                note = f"{_region(agency.region)}，行动{len(campaigns)}项，案例{len(cases)}件"
                rows.append(Item(_agency_link(agency, here), note))
            if rows:
                groups.append(Group(kind, rows))
        markdown = _render(
            "agencies_index.md.j2",
            title="机关",
            description="发布专项行动和典型案例的各级政法机关，按类别排列。",
            total=len(self.agencies),
            groups=groups,
        )
        return RenderedPage(f"{here}/index.md", markdown, None)

    def topic_page(self, topic: Topic) -> RenderedPage:
        """``topics/<slug>.md``: the topic's description and its records."""
        here = "topics"
        campaigns, cases = self._topic_records(topic, here)
        markdown = _render(
            "topic.md.j2",
            title=topic.name,
            description=_excerpt(topic.description),
            topic=topic,
            campaigns=campaigns,
            cases=self._short_cases(cases, self.topic_slices.get(topic.slug), here, "topic",
                                    topic.slug),
            totals=self._slice_totals(self.topic_slices.get(topic.slug)),
        )
        return RenderedPage(f"{here}/{_segment(topic.slug)}.md", markdown, None)

    def topics_index(self) -> RenderedPage:
        """``topics/index.md``: topics in registry order, with their counts."""
        here = "topics"
        rows = []
        for topic in self.topics:
            campaigns, cases = self._topic_records(topic, here)
            note = f"行动{len(campaigns)}项，案例{len(cases)}件"
            rows.append((Item(_topic_link(topic, here), note), topic.description))
        markdown = _render(
            "topics_index.md.j2",
            title="专题",
            description="按专题浏览专项行动和典型案例。",
            total=len(rows),
            topics=rows,
        )
        return RenderedPage(f"{here}/index.md", markdown, None)


def page_jobs(dataset: Dataset, stats: Stats) -> list[Callable[[], list[RenderedPage]]]:
    """The work of `render_pages` as independent jobs, in page order (see `fazhi.parallel`)."""
    site = _Site(dataset, stats)
    return [
        *(functools.partial(_one, site.campaign_page, entry) for entry in site.campaigns),
        site.campaigns_index,
        *(functools.partial(_one, site.case_page, entry) for entry in site.cases),
        site.cases_index,
        *(functools.partial(_one, site.agency_page, agency) for agency in site.agencies),
        functools.partial(_one, site.agencies_index),
        *(functools.partial(_one, site.topic_page, topic) for topic in site.topics),
        functools.partial(_one, site.topics_index),
    ]


def _one(render: Callable[..., RenderedPage], *args: Any) -> list[RenderedPage]:
    return [render(*args)]


def check_unique(pages: list[RenderedPage]) -> list[RenderedPage]:
    """`pages`, after checking that no two share a path (raises `ValueError`)."""
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:
            raise ValueError(f"two generated pages share the path {page.src_uri}")
        seen.add(page.src_uri)
    return pages


def render_pages(dataset: Dataset, stats: Stats | None = None) -> list[RenderedPage]:
    """Every generated page for `dataset`, which must be the published-only view.

    `stats` is `fazhi.stats.aggregate(dataset)` (computed here when not given): agency and
    topic pages list its records and totals.

    Returns, in this order: the campaign pages (newest first), ``campaigns/index.md`` (and
    the campaigns' yearly archive pages), the case pages (newest first), ``cases/index.md``
    (and the yearly archive), the agency pages and ``agencies/index.md``, the topic pages and
    ``topics/index.md``. The output depends only on `dataset`: rendering the same data twice
    gives the same pages. Raises `ValueError` when a record refers to a campaign or case that
    is not in `dataset`, or when an id or slug cannot be a page name.
    """
    if stats is None:
        from fazhi.stats import aggregate  # fazhi.stats builds on this module's helpers

        stats = aggregate(dataset)
    return check_unique([page for job in page_jobs(dataset, stats) for page in job()])
