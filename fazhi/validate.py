"""Rules that need more than one record: names, values, totals, links and personal data.

`validate` takes what `fazhi.records` read and returns the resolved `Dataset` together with
every problem found (contract rules 2 and 4–8); it never stops at the first one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fazhi.dataset import CampaignEntry, CaseEntry, Citation, Dataset, Figure, Waived
from fazhi.loader import Document, Loc, Pos
from fazhi.markup import find_html
from fazhi.models import ARTICLE_PATTERN, LAW_PATTERN, Agency, Breakdown, Campaign, Case, Law, Metric, Record, Topic
from fazhi.privacy import Finding, check_party_name, place_names, prime_names, scan_text
from fazhi.problems import Problem, make_problem
from fazhi.records import Loaded, RawData, gc_paused
from fazhi.values import Quantity, ValueProblem, format_quantity, parse_quantity, sum_quantities


@dataclass
class _Context:
    """Registries by name, and the problems collected so far."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)

    def report(self, item: Loaded, loc: Loc, code: str, *, key: bool = False,
               **params: Any) -> None:
        at = item.doc.where((*item.loc, *loc), key=key)
        name = ".".join(str(part) for part in loc if isinstance(part, str))
        self.problems.append(make_problem(code, item.doc.path, at.line, at.column,
                                          field_name=name, **params))


class PrivacyMemo:
    """What rules 8 and 9 found in each record, reused while the record is the one read before.

    For a process that checks the data again after each edit (the preview) with a
    `fazhi.records.RecordCache`, which gives the very same parsed record for a file whose bytes
    are unchanged: the scan of such a record finds what it found before (its problems and the
    waivers it used), as long as the place names the party check accepts are the same. Only
    edited records are scanned again.
    """

    def __init__(self) -> None:
        self._places: frozenset[str] = frozenset()
        self._found: dict[str, tuple[Loaded, list[Problem], list[Waived]]] = {}

    def _begin(self, places: frozenset[str], items: list[Loaded]) -> list[Loaded]:
        """Start a check with `places`; return the records of `items` not scanned before."""
        if places != self._places:
            self._places = places
            self._found.clear()
        paths = {item.doc.path for item in items}
        for path in self._found.keys() - paths:
            del self._found[path]
        return [item for item in items if self._kept(item) is None]

    def _kept(self, item: Loaded) -> tuple[list[Problem], list[Waived]] | None:
        found = self._found.get(item.doc.path)
        return (found[1], found[2]) if found is not None and found[0] is item else None

    def _keep(self, item: Loaded, problems: list[Problem], waived: list[Waived]) -> None:
        self._found[item.doc.path] = (item, problems, waived)


class CaseMemo:
    """Each case and campaign as resolved before, reused while it is the record read before
    and the registries are the same.

    For the preview, like `PrivacyMemo`: resolving a record looks up its agencies, topics,
    metrics and laws and reads its figures; the very same parsed record (`fazhi.records.RecordCache`
    gives it for a file whose bytes are unchanged), against equal registries, resolves to the
    same entry with the same problems. Equal registries are swapped for those of the check
    before, so every entry, old or new, refers to the same registry objects. A campaign's
    children and cases are linked afresh on every check (`_link`); where they come out as
    before, the campaign's entry of the check before is kept (`keep_campaigns`), so that an
    unchanged record is the same object from one check to the next. What rule 7 found for a
    campaign is kept while the campaign and its cases are the very same entries.
    """

    def __init__(self) -> None:
        self._registries: tuple[dict[str, Any], ...] = ()
        self._broken: frozenset[str] = frozenset()
        self._found: dict[str, tuple[Loaded, Any, list[Problem]]] = {}
        self._campaigns: dict[str, CampaignEntry] = {}  # the entries the last check gave, by id
        self._totals: dict[str, tuple[CampaignEntry, tuple[CaseEntry, ...], list[Problem]]] = {}  # rule 7

    def _begin(self, ctx: _Context, items: list[Loaded]) -> None:
        registries = (ctx.agencies, ctx.topics, ctx.metrics, ctx.laws)
        broken = frozenset(ctx.broken)
        if registries == self._registries and broken == self._broken:
            ctx.agencies, ctx.topics, ctx.metrics, ctx.laws = self._registries
        else:
            self._registries, self._broken = registries, broken
            self._found.clear()
            self._campaigns.clear()
            self._totals.clear()
        for path in self._found.keys() - {item.doc.path for item in items}:
            del self._found[path]

    def _resolve(self, ctx: _Context, item: Loaded) -> CaseEntry:
        return self._reuse(ctx, item, _resolve_case)  # type: ignore[no-any-return]

    def _resolve_campaign(self, ctx: _Context, item: Loaded) -> CampaignEntry:
        """The campaign as resolved, its children and cases not linked yet."""
        entry: CampaignEntry = self._reuse(ctx, item, _resolve_campaign)
        return replace(entry, children=[], cases=[])

    def _reuse(self, ctx: _Context, item: Loaded, resolve: Any) -> Any:
        found = self._found.get(item.doc.path)
        if found is not None and found[0] is item:
            ctx.problems.extend(found[2])
            return found[1]
        start = len(ctx.problems)
        entry = resolve(ctx, item)
        self._found[item.doc.path] = (item, entry, ctx.problems[start:])
        return entry

    def totals_checked(self, entry: CampaignEntry, members: tuple[CaseEntry, ...]) -> list[Problem] | None:
        """What rule 7 found for `entry` last time, if it and its cases are the very same."""
        found = self._totals.get(entry.id)
        if found is None or found[0] is not entry or len(found[1]) != len(members):
            return None
        return found[2] if all(a is b for a, b in zip(found[1], members, strict=True)) else None

    def keep_totals_check(self, entry: CampaignEntry, members: tuple[CaseEntry, ...], problems: list[Problem]) -> None:
        self._totals[entry.id] = (entry, members, problems)

    def keep_campaigns(self, campaigns: dict[str, CampaignEntry]) -> None:
        """Swap each linked campaign equal to the last check's entry for that entry."""
        for key, entry in campaigns.items():
            before = self._campaigns.get(key)
            if (before is not None and before.model is entry.model and before.children == entry.children
                    and before.cases == entry.cases):
                campaigns[key] = before
        self._campaigns = dict(campaigns)


def validate(raw: RawData, privacy: PrivacyMemo | None = None,
             resolved: CaseMemo | None = None) -> tuple[Dataset, list[Problem]]:
    """Resolve and check everything `raw` holds; return the data set and all problems.

    `privacy` and `resolved`, kept between checks of the same folder read with one
    `RecordCache`, skip the personal-data scan and the resolving of records read from unchanged
    files; the result is the same.
    """
    with gc_paused():  # like reading: many objects kept, no cycles (see `gc_paused`)
        ctx = _Context(broken=raw.broken)
        _register(ctx, raw.registries)
        resolved = resolved or CaseMemo()
        resolved._begin(ctx, [*raw.records["campaigns"], *raw.records["cases"]])
        campaigns = {item.id: resolved._resolve_campaign(ctx, item) for item in raw.records["campaigns"]}
        cases = {item.id: resolved._resolve(ctx, item) for item in raw.records["cases"]}
        sources = {item.id: item for item in (*raw.records["campaigns"], *raw.records["cases"])}
        _link(ctx, campaigns, cases, sources)
        resolved.keep_campaigns(campaigns)
        _check_totals(ctx, campaigns, cases, sources, resolved)
        places = place_names([a.region for a in ctx.agencies.values()])
        waived = _check_all_privacy(ctx, list(sources.values()), places, privacy or PrivacyMemo())
        dataset = Dataset(ctx.agencies, ctx.topics, ctx.metrics, campaigns, cases, waived, laws=ctx.laws)
    return dataset, ctx.problems


# --- registries ---------------------------------------------------------------------------


def _register(ctx: _Context, registries: dict[str, list[Loaded]]) -> None:
    for name, table in (("agencies", ctx.agencies), ("topics", ctx.topics),
                        ("metrics", ctx.metrics), ("laws", ctx.laws)):
        seen: dict[str, int] = {}
        for item in registries.get(name, []):
            for loc, value in _unique_values(item.model):
                at = item.doc.where((*item.loc, *loc))
                if value in seen:
                    ctx.report(item, loc, "registry.duplicate", value=value,
                               first_line=seen[value])
                    continue
                seen[value] = at.line
            table.setdefault(item.model.name, item.model)
            for alias in getattr(item.model, "aliases", []):
                table.setdefault(alias, item.model)


def _unique_values(model: Agency | Topic | Metric | Law) -> Iterator[tuple[Loc, str]]:
    yield ("name",), model.name
    for index, alias in enumerate(getattr(model, "aliases", [])):
        yield ("aliases", index), alias
    yield ("slug",), "slug:" + model.slug


# What an unknown name refers to: its registry, and the codes without and with close names.
_REFERENCES = {
    "agency": ("ref.agency", "ref.agency_close"),
    "topic": ("ref.topic", "ref.topic_close"),
    "metric": ("ref.metric", "ref.metric_close"),
    "law": ("ref.law", "ref.law_close"),
}


# What a Chinese input method types between list items instead of YAML's comma.
_LIST_SEPARATORS = re.compile("[、，；;]")


def _lookup(ctx: _Context, item: Loaded, loc: Loc, value: str, kind: str) -> Any:
    table = {"agency": ctx.agencies, "topic": ctx.topics, "metric": ctx.metrics, "law": ctx.laws}[kind]
    if value in table:
        return table[value]
    if value in ctx.broken:
        return None  # its own entry is already reported
    parts = _LIST_SEPARATORS.split(value)
    if len(parts) > 1 and all(part.strip() in table for part in parts):  # [根治欠薪、涉民生执行]
        separator = next(ch for ch in value if _LIST_SEPARATORS.match(ch))
        ctx.report(item, loc, "ref.list_separator", value=value, separator=separator,
                   fixed=", ".join(part.strip() for part in parts))
        return None
    plain, with_close = _REFERENCES[kind]
    close = difflib.get_close_matches(value, list(table), n=3, cutoff=0.3)
    if close:
        ctx.report(item, loc, with_close, key=kind == "metric", value=value, close="、".join(close))
    else:
        ctx.report(item, loc, plain, key=kind == "metric", value=value)
    return None


# --- records ------------------------------------------------------------------------------


def _resolve_common(ctx: _Context, item: Loaded, agencies: list[Agency] | None
                    ) -> tuple[list[Topic], dict[str, Figure]]:
    """Topics and figures of a record; `agencies` are a campaign's (None for a case)."""
    record: Record = item.model
    topics = [t for i, name in enumerate(record.topics)
              if (t := _lookup(ctx, item, ("topics", i), name, "topic")) is not None]
    figures = {}
    for name, raw in record.metrics.items():
        metric = _lookup(ctx, item, ("metrics", name), name, "metric")
        if metric is not None and (figure := _figure(ctx, item, metric, raw, agencies)) is not None:
            figures[name] = figure
    return topics, figures


def _resolve_campaign(ctx: _Context, item: Loaded) -> CampaignEntry:
    model: Campaign = item.model
    agencies = [a for i, name in enumerate(model.agencies)
                if (a := _lookup(ctx, item, ("agencies", i), name, "agency")) is not None]
    topics, figures = _resolve_common(ctx, item, agencies)
    region = model.region or _common_region([a.region for a in agencies])
    lead = None
    if model.lead is not None:
        lead = _member(ctx, item, ("lead",), model.lead, agencies, "ref.lead")
    return CampaignEntry(item.id, item.doc.path, model, agencies, region, topics, figures, lead=lead)


def _member(ctx: _Context, item: Loaded, loc: Loc, name: str, agencies: list[Agency], code: str,
            *, key: bool = False) -> Agency | None:
    """The registered agency `name`, when it is one of the campaign's `agencies`; else report `code`."""
    found = _lookup(ctx, item, loc, name, "agency")
    if found is None:
        return None
    if all(found.slug != agency.slug for agency in agencies):
        ctx.report(item, loc, code, key=key, value=name, agencies="、".join(a.name for a in agencies))
        return None
    return found


def _resolve_case(ctx: _Context, item: Loaded) -> CaseEntry:
    model: Case = item.model
    agency = _lookup(ctx, item, ("agency",), model.agency, "agency")
    topics, figures = _resolve_common(ctx, item, None)
    placeholder = Agency(name=model.agency, kind="其他", region="未知", slug="unknown")
    citations = tuple(c for i, text in enumerate(model.laws) if (c := _citation(ctx, item, i, text)) is not None)
    return CaseEntry(item.id, item.doc.path, model, agency or placeholder, topics, figures, citations)


def _citation(ctx: _Context, item: Loaded, index: int, text: str) -> Citation | None:
    """A `laws` entry (its form checked by the model) with its law found in the registry."""
    match = LAW_PATTERN.fullmatch(text)
    if match is None:
        return None
    law = _lookup(ctx, item, ("laws", index), match["law"].strip(), "law")
    if law is None:
        return None
    return Citation(law, tuple(ARTICLE_PATTERN.findall(match["articles"] or "")), text)


def _common_region(regions: list[str]) -> str:
    """The longest province/city/county prefix that all regions share."""
    if not regions:
        return ""
    parts = [r.split("/") for r in regions]
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common)


def _figure(ctx: _Context, item: Loaded, metric: Metric, raw: Any, agencies: list[Agency] | None
            ) -> Figure | None:
    loc: Loc = ("metrics", metric.name)
    if not isinstance(raw, Breakdown):
        value = _quantity(ctx, item, loc, raw, metric)
        return Figure(metric, value) if value else None
    total = _quantity(ctx, item, (*loc, "total"), raw.total, metric)
    parts = [(name, _quantity(ctx, item, (*loc, "parts", name), v, metric))
             for name, v in raw.parts.items()]
    shares = _shares(ctx, item, metric, raw, agencies)
    if total is None or any(q is None for _, q in parts) or shares is None:
        return None
    found = [(n, q) for n, q in parts if q is not None]
    if raw.complete and found:
        _check_sum(ctx, item, (*loc, "total"), "breakdown.sum", [q for _, q in found], total)
    if raw.complete and shares:
        _check_sum(ctx, item, (*loc, "total"), "breakdown.share_sum", [q for _, q in shares], total)
    return Figure(metric, total, tuple(found), raw.complete, tuple(shares))


def _shares(ctx: _Context, item: Loaded, metric: Metric, raw: Breakdown, agencies: list[Agency] | None
            ) -> list[tuple[Agency, Quantity]] | None:
    """The `by_agency` shares, each of an agency of the campaign; None when one is wrong."""
    loc: Loc = ("metrics", metric.name, "by_agency")
    if raw.by_agency and agencies is None:
        ctx.report(item, loc, "breakdown.share_case", key=True)
        return None
    shares: list[tuple[Agency, Quantity]] = []
    wrong = False
    for name, value in raw.by_agency.items():
        agency = _member(ctx, item, (*loc, name), name, agencies or [], "breakdown.share_agency", key=True)
        amount = _quantity(ctx, item, (*loc, name), value, metric)
        if agency is None or amount is None:
            wrong = True
        else:
            shares.append((agency, amount))
    return None if wrong else shares


def _check_sum(ctx: _Context, item: Loaded, loc: Loc, code: str, values: list[Quantity], total: Quantity) -> None:
    """Report `code` when the exact `values` do not add up to `total` (rule 6)."""
    summed = sum_quantities(values)
    if summed is not None and summed.amount != total.amount:
        ctx.report(item, loc, code, parts=format_quantity(summed), total=format_quantity(total))


def _quantity(ctx: _Context, item: Loaded, loc: Loc, raw: Any, metric: Metric
              ) -> Quantity | None:
    try:
        return parse_quantity(raw, kind=metric.kind, unit=metric.unit)
    except ValueProblem as problem:
        ctx.report(item, loc, problem.code, **problem.params)
        return None


# --- links between records ----------------------------------------------------------------


def _link(ctx: _Context, campaigns: dict[str, CampaignEntry], cases: dict[str, CaseEntry],
          sources: dict[str, Loaded]) -> None:
    for entry in campaigns.values():
        parent = entry.model.part_of
        if parent is None:
            continue
        if _check_target(ctx, sources[entry.id], ("part_of",), parent, entry.published,
                         campaigns):
            campaigns[parent].children.append(entry.id)
    for entry in cases.values():
        target = entry.model.campaign
        if target and _check_target(ctx, sources[entry.id], ("campaign",), target,
                                    entry.published, campaigns):
            campaigns[target].cases.append(entry.id)
    _check_cycles(ctx, campaigns, sources)


def _check_target(ctx: _Context, item: Loaded, loc: Loc, target: str, published: bool,
                  campaigns: dict[str, CampaignEntry]) -> bool:
    if target not in campaigns:
        if target in ctx.broken:
            return False
        close = difflib.get_close_matches(target, list(campaigns), n=3, cutoff=0.5)
        if close:
            ctx.report(item, loc, "ref.campaign_close", value=target, close="、".join(close))
        else:
            ctx.report(item, loc, "ref.campaign", value=target)
        return False
    status = campaigns[target].model.status
    if published and status != "published":
        ctx.report(item, loc, "ref.unpublished", value=target, status=status)
    return True


def _check_cycles(ctx: _Context, campaigns: dict[str, CampaignEntry],
                  sources: dict[str, Loaded]) -> None:
    """Report each `part_of` cycle once, at its smallest id, in linear time.

    Each campaign has at most one parent, so following `part_of` from a campaign not seen yet
    either ends, joins a path walked before, or comes back onto the path being walked: a cycle.
    """
    done: set[str] = set()
    for start in sorted(campaigns):
        path: dict[str, int] = {}  # the walk in progress: id -> position (dicts keep order)
        current: str | None = start
        while current in campaigns and current not in done and current not in path:
            path[current] = len(path)
            current = campaigns[current].model.part_of
        if current in path:
            chain = list(path)[path[current]:]
            first = chain.index(min(chain))
            chain = chain[first:] + chain[:first]
            ctx.report(sources[chain[0]], ("part_of",), "ref.cycle", cycle=" → ".join([*chain, chain[0]]))
        done.update(path)


# --- rule 7: a campaign is at least the sum of its cases ----------------------------------


def _check_totals(ctx: _Context, campaigns: dict[str, CampaignEntry],
                  cases: dict[str, CaseEntry], sources: dict[str, Loaded],
                  resolved: CaseMemo | None = None) -> None:
    for entry in campaigns.values():
        members = tuple(cases[c] for c in entry.cases)
        kept = resolved.totals_checked(entry, members) if resolved is not None else None
        if kept is not None:
            ctx.problems.extend(kept)
            continue
        start = len(ctx.problems)
        _check_campaign_total(ctx, entry, members, sources[entry.id])
        if resolved is not None:
            resolved.keep_totals_check(entry, members, ctx.problems[start:])


def _check_campaign_total(ctx: _Context, entry: CampaignEntry, members: tuple[CaseEntry, ...], item: Loaded) -> None:
    for name, figure in entry.figures.items():
        if not figure.value.is_exact:
            continue
        reported = [(case.id, case.figures[name].value) for case in members
                    if case.published and name in case.figures and case.figures[name].value.is_exact]
        total = sum_quantities(q for _, q in reported)
        if total is not None and figure.value.amount < total.amount:
            ctx.report(item, ("metrics", name), "campaign.below_cases",
                       metric=name, campaign_value=format_quantity(figure.value),
                       cases_value=format_quantity(total),
                       cases=_name_some([c for c, _ in reported]))


def _name_some(ids: list[str], limit: int = 5) -> str:
    """At most `limit` ids, then how many more: a message stays one readable line."""
    shown = "、".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} 等 {len(ids)} 个案例"


# --- rule 8: personal data, and rule 9: HTML, in every string of every record ----------------

# Field names whose values cannot hold personal data by rule: the status, dates, and the
# waivers themselves (they quote findings). Field names are the model's ASCII keys.
_NOT_TEXT = frozenset({"status", "date", "start", "end", "privacy_reviewed"})
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_MEMO_LENGTH = 40


def _texts(data: Any) -> Iterator[tuple[Loc, str | int, str, bool]]:
    """Every string of a record, keys and values, in file order: (parent, last, text, is_key).

    The string stands at ``(*parent, last)``. A walk over the data the YAML gave, so that every
    field is covered, including fields added later; only field names and the values of
    `_NOT_TEXT` fields are left out.
    """
    stack: list[tuple[Loc, str | int, Any]] = [((), "", data)]
    while stack:
        parent, last, value = stack.pop()
        if isinstance(value, str):
            yield parent, last, value, False
            continue
        loc = (*parent, last) if parent or last != "" else ()
        if isinstance(value, dict):
            children: list[tuple[Loc, str | int, Any]] = []
            for key, child in value.items():
                is_field = isinstance(key, str) and _FIELD_NAME.match(key) is not None
                if isinstance(key, str) and not is_field:
                    yield loc, key, key, True
                if not (is_field and key in _NOT_TEXT) and not isinstance(child, int | float | bool):
                    children.append((loc, key, child))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(loc, i, child) for i, child in enumerate(value)]))


def _findings(parent: Loc, last: str | int, text: str, is_key: bool, places: frozenset[str],
              memo: dict[tuple[str, str], list[Finding]]) -> list[Finding]:
    """What rule 8 finds in one string, by where it stands.

    A party entry (`parties.<role>[i]`) must be exactly an anonymised form, and holds no
    number or address; a source's author may be named (a journalist), but not given a
    number; everything else, role keys included, is scanned in full. Short strings repeat
    from record to record (topics, agencies, measures, headings, metric names): `memo`
    keeps what they gave.
    """
    kind = _kind(parent, last, is_key)
    short = len(text) <= _MEMO_LENGTH
    if short and (kind, text) in memo:
        return memo[kind, text]
    if kind == "party":
        party = check_party_name(text, places)
        found = ([party] if party else []) + scan_text(text, names=False)
    else:
        found = scan_text(text, names=kind == "text")
    if short:
        memo[kind, text] = found
    return found


def _kind(parent: Loc, last: str | int, is_key: bool) -> str:
    """How rule 8 reads a string: a party entry, a source's author, or any other text."""
    if not is_key and len(parent) == 2 and isinstance(last, int) and parent[0] == "parties":
        return "party"
    if not is_key and last == "author" and len(parent) == 2 and parent[0] == "sources":
        return "author"
    return "text"


def _position(doc: Document, loc: Loc, is_key: bool, offset: int) -> Pos:
    """Where character `offset` of the key or value at `loc` stands in the file."""
    if not is_key:
        return doc.where_in_text(loc, offset)
    at = doc.where(loc, key=True)
    key = str(loc[-1])
    line = doc.lines[at.line - 1] if 0 < at.line <= len(doc.lines) else ""
    column = at.column - 1
    if line[column:column + 1] in ("'", '"'):
        column += 1
    if "\n" not in key and line[column:].startswith(key):
        return Pos(at.line, column + offset + 1)
    return at


def _check_all_privacy(ctx: _Context, items: list[Loaded], places: frozenset[str],
                       privacy: PrivacyMemo) -> list[Waived]:
    """Rules 8 and 9 over every record, in order, taking from `privacy` what records read
    before gave; return the waivers used."""
    fresh = privacy._begin(places, items)
    memo: dict[tuple[str, str], list[Finding]] = {}
    prime_names([text for item in fresh for parent, last, text, is_key in _texts(item.doc.get(item.loc))
                 if _kind(parent, last, is_key) == "text"])
    waived: list[Waived] = []
    for item in items:
        kept = privacy._kept(item)
        if kept is None:
            start = len(ctx.problems)
            found = list(_check_privacy(ctx, item, places, memo))
            kept = (ctx.problems[start:], found)
            privacy._keep(item, *kept)
        else:
            ctx.problems.extend(kept[0])
        waived.extend(kept[1])
    return waived


def _check_privacy(ctx: _Context, item: Loaded, places: frozenset[str],
                   memo: dict[tuple[str, str], list[Finding]]) -> Iterator[Waived]:
    """Rules 8 and 9 over every string of a record, whatever its status; yield the waivers used."""
    record: Record = item.model
    doc = item.doc
    waivers = {w.match: w.reason for w in record.privacy_reviewed}
    used: set[str] = set()
    for parent, last, text, is_key in _texts(doc.get(item.loc)):
        findings = _findings(parent, last, text, is_key, places, memo)
        tags = find_html(text) if "<" in text else []
        if not (findings or tags):
            continue
        loc = (*parent, last)
        where = (*item.loc, *loc)
        name = ".".join(str(p) for p in loc)
        for finding in findings:
            at = _position(doc, where, is_key, finding.start)
            if finding.match in waivers:
                used.add(finding.match)
                yield Waived(doc.path, at.line, finding.match, waivers[finding.match])
                continue
            ctx.problems.append(make_problem(finding.code, doc.path, at.line, at.column,
                                             field_name=name, match=finding.match, **finding.params))
        if tags:  # the first tag of a value, with how many there are: a pasted page has hundreds
            at = _position(doc, where, is_key, tags[0].start)
            code = "markup.html_many" if len(tags) > 1 else "markup.html"
            ctx.problems.append(make_problem(code, doc.path, at.line, at.column,
                                             field_name=name, tag=tags[0].text, count=len(tags)))
    for i, waiver in enumerate(record.privacy_reviewed):
        if waiver.match not in used:
            ctx.report(item, ("privacy_reviewed", i, "match"), "privacy.unused_waiver",
                       value=waiver.match)
