"""The pages that browse records by group: agencies, topics and regions, with their indexes.

- ``agencies/<slug>.md`` and ``agencies/index.md`` (grouped by kind): an agency's own work
  (campaigns it ran alone and its shares of joint ones, with totals) apart from the joint
  campaigns it took part in, whose figures are shown as joint; a court's or procuratorate's
  page adds the agencies of its kind below it and their roll-up (`fazhi.stats.AgencyWork`);
- ``topics/<slug>.md`` and ``topics/index.md``;
- ``regions/<slug>.md`` and ``regions/index.md``: one page per province, city and county,
  rolling up everything at or below it (`fazhi.render.address.RegionAddresses` names the pages).

Each group page shows its slice's totals and its campaigns and cases as collections
(`fazhi.render.collection`): a topic's or a region's long case list is capped and links to
the yearly archive filtered to it; the archive has no agency filter, so an agency's is not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

from fazhi.dataset import CampaignEntry, Dataset
from fazhi.models import Agency, Topic
from fazhi.ordering import AGENCY_KINDS
from fazhi.render import address
from fazhi.render.address import Address, RegionAddresses
from fazhi.render.collection import CAMPAIGNS, CASES, campaign_key, capped_reads, case_key, collection, is_archived
from fazhi.render.kit import (
    Group,
    Item,
    Link,
    RenderedPage,
    excerpt,
    rate_rows,
    region_name,
    render_template,
    total_rows,
)
from fazhi.stats import AgencyWork, RegionNode, Slice, Stats
from fazhi.values import format_quantity

__all__ = ["LEVELS", "BrowsePages", "region_addresses", "region_link"]

#: Level names of region nodes, by depth.
LEVELS: dict[int, str] = {1: "省级", 2: "市级", 3: "县级"}


@dataclass(frozen=True)
class TreeRow:
    """A region in the regions index, indented by level."""

    level: int
    item: Item


@dataclass(frozen=True)
class JointRow:
    """A joint campaign on an agency page: its lead, the other agencies (neither the lead nor
    this one), its figures as joint, and the agency's share where the record gives one."""

    item: Item
    lead: Link | None
    led_here: bool
    partners: list[Link]
    figures: str
    share: str


@dataclass(frozen=True)
class RollUpView:
    """A court's or procuratorate's roll-up: the agencies below it and their work together."""

    label: str
    members: list[Item]
    totals: list[Any]
    own: int
    joint: int


def _counts(found: Slice | AgencyWork | None) -> str:
    """行动2项，案例3件: how many records a group has."""
    campaigns, cases = (len(found.campaigns), len(found.cases)) if found else (0, 0)
    return f"行动{campaigns}项，案例{cases}件"


def region_addresses(stats: Stats) -> RegionAddresses:
    """The page address of every region in `stats`."""
    return RegionAddresses(node.path for node in stats.regions)


def region_link(node: RegionNode, here: Address, regions: RegionAddresses) -> Link:
    """A link from `here` to the region's page, showing its name."""
    return regions.region(node.path, node.name).link(here)


class BrowsePages:
    """The group pages of one data set and its statistics."""

    def __init__(self, dataset: Dataset, stats: Stats) -> None:
        self.data = dataset
        self.stats = stats
        self.order = stats.order
        self.agency_work = {found.key: found for found in stats.agencies}
        self.roll_ups = {found.key: found for found in stats.roll_ups}
        self.topic_slices = {found.key: found for found in stats.topics}
        self.regions = region_addresses(stats)
        self.region_paths = tuple(node.path for node in stats.regions)
        self.region_nodes = {node.path: node for node in stats.regions}

    def _lists(self, found: Slice | None, here: Address, detail: Literal["what", "where"],
               selector: tuple[str, str] | None) -> dict[str, Any]:
        """A group's campaigns (all) and cases (capped), noted by `detail` (what or where)."""
        campaigns = [self.data.campaigns[i] for i in found.campaigns] if found else []
        cases = [self.data.cases[i] for i in found.cases] if found else []
        campaign_note: Callable[[Any], str] = getattr(CAMPAIGNS, detail)
        case_note: Callable[[Any], str] = getattr(CASES, detail)
        return {
            "campaigns": collection(CAMPAIGNS, self.order, campaigns).items(here, campaign_note),
            "cases": collection(CASES, self.order, cases, selector).capped(here, case_note),
        }

    @functools.cached_property
    def _case_years(self) -> dict[str, int]:
        """The year of every case, by id: what a capped case list counts (`capped_reads`)."""
        cases = self.order.cases
        return {entry.id: date.year for entry, date in zip(cases, map(CASES.date, cases), strict=True)}

    def _lists_reads(self, found: Slice | None, selector: tuple[str, str] | None) -> tuple[Hashable, ...]:
        """What `_lists` shows, as a page job's reads (`fazhi.render.PageJob`): the campaigns
        and what `Collection.capped_reads` reads of the cases, from their ids."""
        if not found:
            return ()
        archived = is_archived(len(self.order.cases))
        return (*map(campaign_key, found.campaigns),
                *capped_reads(CASES, found.cases, self._case_years, archived, selector))

    # --- agencies

    def agency_page(self, agency: Agency) -> RenderedPage:
        """``agencies/<slug>.md``: the agency's own work, the joint campaigns it took part in,
        its cases and, for a court or procuratorate with agencies below it, their roll-up."""
        here = address.agency(agency)
        work = self.agency_work.get(agency.slug)
        own = [self.data.campaigns[i] for i in work.own] if work else []
        cases = [self.data.cases[i] for i in work.cases] if work else []
        markdown = render_template(
            "agency.md.j2",
            title=agency.name,
            crumbs=address.crumbs(here, address.section_index("agencies")),
            current=agency.name,
            description=f"{agency.name}开展和参与的专项行动、办理的典型案例。",
            agency=agency,
            region=region_name(agency.region),
            totals=total_rows(work.totals, "项行动") if work else [],
            shared=len(work.shared) if work else 0,
            own=collection(CAMPAIGNS, self.order, own).items(here, CAMPAIGNS.what),
            joint=[self._joint_row(self.data.campaigns[i], agency, here) for i in work.joint] if work else [],
            cases=collection(CASES, self.order, cases).capped(here, CASES.what),
            roll_up=self._roll_up(agency, here),
        )
        return RenderedPage(here.path, markdown, None)

    def agency_reads(self, agency: Agency) -> tuple[Hashable, ...]:
        """What `agency_page` shows beyond the registries: the agency's work and its records,
        and for a roll-up its totals and how many records each agency below it has."""
        work = self.agency_work.get(agency.slug)
        roll_up = self.roll_ups.get(agency.slug)
        members = tuple((slug, _counts(self.agency_work.get(slug))) for slug in roll_up.members) if roll_up else ()
        records = (*(campaign_key(i) for i in work.campaigns), *(case_key(i) for i in work.cases)) if work else ()
        return (work, roll_up, members, *records)

    def _joint_row(self, entry: CampaignEntry, agency: Agency, here: Address) -> JointRow:
        item = collection(CAMPAIGNS, self.order, [entry]).items(here, CAMPAIGNS.what)[0]
        lead_slug = entry.lead.slug if entry.lead is not None else None
        partners = [address.agency(a).link(here) for a in entry.agencies if a.slug not in (agency.slug, lead_slug)]
        lead = address.agency(entry.lead).link(here) if entry.lead is not None else None
        figures = "、".join(f"{name}{format_quantity(f.value)}" for name, f in entry.figures.items())
        share = "、".join(f"{name}{format_quantity(value)}" for name, f in entry.figures.items()
                          for member, value in f.shares if member.slug == agency.slug)
        return JointRow(item, lead, lead_slug == agency.slug, partners, figures, share)

    def _roll_up(self, agency: Agency, here: Address) -> RollUpView | None:
        work = self.roll_ups.get(agency.slug)
        if work is None:
            return None
        by_slug = {a.slug: a for a in self.order.agencies}
        members = [Item(address.agency(by_slug[slug]).link(here),
                        f"{region_name(by_slug[slug].region)}，{_counts(self.agency_work.get(slug))}")
                   for slug in work.members]
        label = f"{region_name(agency.region)}{'各级法院' if agency.kind == '法院' else '各级检察院'}"
        return RollUpView(label, members, total_rows(work.totals, "项行动"), len(work.own), len(work.joint))

    def agencies_index_reads(self) -> tuple[Hashable, ...]:
        """What `agencies_index` shows beyond the registries: how many records each agency has."""
        return tuple((agency.slug, _counts(self.agency_work.get(agency.slug))) for agency in self.order.agencies)

    def agencies_index(self) -> RenderedPage:
        """``agencies/index.md``: agencies by kind, in registry order within a kind."""
        here = address.section_index("agencies")
        groups = []
        for kind in AGENCY_KINDS:
            rows = [Item(address.agency(agency).link(here),
                         f"{region_name(agency.region)}，{_counts(self.agency_work.get(agency.slug))}")
                    for agency in self.order.agencies if agency.kind == kind]
            if rows:
                groups.append(Group(kind, rows))
        markdown = render_template(
            "agencies_index.md.j2",
            title="机关",
            description="发布专项行动和典型案例的各级政法机关，按类别排列。",
            total=len(self.order.agencies),
            groups=groups,
        )
        return RenderedPage(here.path, markdown, None)

    # --- topics

    def topic_page(self, topic: Topic) -> RenderedPage:
        """``topics/<slug>.md``: the topic's description and its records."""
        here = address.topic(topic)
        found = self.topic_slices.get(topic.slug)
        markdown = render_template(
            "topic.md.j2",
            title=topic.name,
            crumbs=address.crumbs(here, address.section_index("topics")),
            current=topic.name,
            description=excerpt(topic.description),
            topic=topic,
            totals=total_rows(found.totals, "项行动") if found else [],
            **self._lists(found, here, "what", ("topic", topic.slug)),
        )
        return RenderedPage(here.path, markdown, None)

    def topic_reads(self, topic: Topic) -> tuple[Hashable, ...]:
        """What `topic_page` shows beyond the registries: the topic's totals and records."""
        found = self.topic_slices.get(topic.slug)
        return (found, *self._lists_reads(found, ("topic", topic.slug)))

    def topics_index_reads(self) -> tuple[Hashable, ...]:
        """What `topics_index` shows beyond the registries: how many records each topic has."""
        return tuple(_counts(self.topic_slices.get(topic.slug)) for topic in self.order.topics)

    def topics_index(self) -> RenderedPage:
        """``topics/index.md``: topics in registry order, with their counts."""
        here = address.section_index("topics")
        rows = [(Item(address.topic(topic).link(here), _counts(self.topic_slices.get(topic.slug))),
                 topic.description)
                for topic in self.order.topics]
        markdown = render_template(
            "topics_index.md.j2",
            title="专题",
            description="按专题浏览专项行动和典型案例。",
            total=len(rows),
            topics=rows,
        )
        return RenderedPage(here.path, markdown, None)

    # --- regions

    def region_page(self, node: RegionNode) -> RenderedPage:
        """``regions/<slug>.md``: the region's totals and records, including those below it."""
        here = self.regions.region(node.path, node.name)
        stats = self.stats
        ancestors = []
        parent = node.parent
        while parent is not None:
            found = stats.region(parent)
            ancestors.insert(0, region_link(found, here, self.regions))
            parent = found.parent
        children = [Item(region_link(stats.region(c), here, self.regions), _counts(stats.region(c).slice))
                    for c in node.children]
        slice_ = node.slice
        markdown = render_template(
            "region.md.j2",
            title=node.full_name,
            crumbs=address.crumbs(here, address.REGIONS, *ancestors),
            current=node.name,
            description=f"{node.full_name}（含下辖各地）的专项行动、典型案例和主要数字。",
            node=node,
            level=LEVELS.get(node.level, ""),
            ancestors=ancestors,
            children=children,
            child_level=LEVELS.get(node.level + 1, "下级"),
            totals=total_rows(slice_.totals, "项行动"),
            rates=rate_rows(slice_),
            case_totals=total_rows(slice_.case_totals, "件案例"),
            stats_page=address.STATS.link(here),
            **self._lists(slice_, here, "where", ("region", node.path)),
        )
        return RenderedPage(here.path, markdown, None)

    def region_reads(self, node: RegionNode) -> tuple[Hashable, ...]:
        """What `region_page` shows: the region (its totals, records and place in the tree),
        every region's path (page addresses depend on them all), how many records each region
        below it has, and its records."""
        children = tuple((path, _counts(self.region_nodes[path].slice)) for path in node.children)
        return (node, self.region_paths, children, *self._lists_reads(node.slice, ("region", node.path)))

    def regions_index_reads(self) -> tuple[Hashable, ...]:
        """What `regions_index` shows: every region with how many records it has, and the
        campaigns without a region."""
        return (self.region_paths, tuple((node.level, _counts(node.slice)) for node in self.stats.regions),
                *(campaign_key(i) for i in self.stats.unplaced))

    def regions_index(self) -> RenderedPage:
        """``regions/index.md``: every region as a tree, with its counts."""
        here = address.REGIONS
        rows = [TreeRow(node.level, Item(region_link(node, here, self.regions), _counts(node.slice)))
                for node in self.stats.regions]
        unplaced = [self.data.campaigns[i] for i in self.stats.unplaced]
        markdown = render_template(
            "regions_index.md.j2",
            title="地区",
            description="按省、市、县浏览专项行动和典型案例，每个地区都汇总其下各地的数字。",
            provinces=len(self.stats.regions_at(1)),
            rows=rows,
            unplaced=collection(CAMPAIGNS, self.order, unplaced).items(here, CAMPAIGNS.where),
        )
        return RenderedPage(here.path, markdown, None)
