"""Data downloads: the published records as CSV and JSON, with a data dictionary page.

`render_exports` is pure, like `fazhi.render.render_pages`: it takes the published-only
`Dataset` and returns files under ``data/`` in the docs directory, which the build hook adds
to the site as they are:

- ``data/campaigns.csv`` and ``data/campaigns.json``: one row per campaign;
- ``data/cases.csv`` and ``data/cases.json``: one row per typical case;
- ``data/figures.csv`` and ``data/figures.json``: one row per reported figure (long format),
  the exact value in plain decimal digits with its unit and qualifier;
- ``data/index.md``: the data dictionary (every column explained, the metric registry).

The columns are defined once, here, with their Chinese descriptions, so the dictionary page
cannot drift from the files; a column that holds a field's allowed values takes them (or the
field's description) from `fazhi.models`. A JSON file holds the same rows with the same keys in the same
order as its CSV file; list-valued columns are arrays in JSON and joined with ``|`` in CSV.

Number columns (`Column.number`: a figure's ``value``) are JSON numbers (`json_number`),
written with exactly the digits of the CSV cell: an integer for a whole value (counts, whole
yuan), a decimal such as ``8584.6`` otherwise. Only a value that a reader's double-precision
parser could not give back exactly (a whole number beyond 2^53, a decimal of more than 15
significant digits) stays a string of the same digits, so nothing is silently rounded.

CSV files are UTF-8 with a byte order mark (Excel on Windows then reads the Chinese text) and
CRLF line ends, written by the `csv` module. A CSV cell that a spreadsheet could run as a
formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe; the JSON files keep the values unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fazhi.dataset import CampaignEntry, CaseEntry, Changed, Dataset, Figure
from fazhi.models import (
    METRIC_KIND_LABELS,
    Agency,
    AgencyKind,
    Campaign,
    Case,
    Metric,
    Outcome,
    Source,
    one_of,
    some_of,
)
from fazhi.render import address
from fazhi.render.kit import Link, RenderedPage, render_template
from fazhi.text import is_web_url, normalize_text
from fazhi.values import Quantity, format_quantity

__all__ = [
    "CAMPAIGN_COLUMNS",
    "CASE_COLUMNS",
    "FIGURE_COLUMNS",
    "FORMULA_PREFIXES",
    "LIST_SEPARATOR",
    "Column",
    "ExportMemo",
    "csv_cell",
    "json_number",
    "normalize_site_url",
    "plain_decimal",
    "render_exports",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: What joins the values of a list-valued column in a CSV cell.
LIST_SEPARATOR = "|"
_FULLWIDTH_SEPARATOR = "｜"
_BOM = "\ufeff"

Value = str | list[str]
JsonValue = str | list[str] | int | float
Row = dict[str, Value]


@dataclass(frozen=True)
class Column:
    """A column of a download: its key, whether it holds a list, and what it means (Chinese)."""

    key: str
    description: str
    multiple: bool = False
    number: bool = False
    """A number column: a JSON number in the JSON file (`json_number`), plain digits in CSV."""


_SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("source_titles", "来源报道或文件的标题，按记录中填写的顺序", multiple=True),
    Column("source_publishers", "各来源的刊发媒体或机关，与 source_titles 一一对应，未填写为空",
           multiple=True),
    Column("source_authors", "各来源的作者或记者，与 source_titles 一一对应，未填写为空",
           multiple=True),
    Column("source_dates", "各来源的刊发日期，与 source_titles 一一对应，未填写为空",
           multiple=True),
    Column("source_urls", "各来源的网址，与 source_titles 一一对应，没有网址为空",
           multiple=True),
)

CAMPAIGN_COLUMNS: tuple[Column, ...] = (
    Column("id", "行动编号，即数据文件名，也是网页地址的一部分，发布后不变"),
    Column("url", "本站该行动页面的完整网址"),
    Column("title", "行动名称"),
    Column("kind", str(Campaign.model_fields["kind"].description)),
    Column("start", "开始日期"),
    Column("end", "结束日期；与 start 相同表示只进行了一天，为空表示仍在进行或报道未说明"),
    Column("region", "地区，省、市、县之间用“/”分隔，如 内蒙古自治区/呼伦贝尔市"),
    Column("agencies", "参与机关的全称", multiple=True),
    Column("agency_slugs", "参与机关的英文短名，与 agencies 一一对应", multiple=True),
    Column("joint", "true 表示联合行动（参与机关不止一个），其数字属于各机关共同，不能归于其中某一机关；"
                    "否则为 false"),
    Column("lead", "牵头机关的全称；为空表示记录未写明"),
    Column("topics", "所属专题的名称", multiple=True),
    Column("topic_slugs", "所属专题的英文短名，与 topics 一一对应", multiple=True),
    Column("part_of", "上级行动的编号；为空表示没有上级行动"),
    Column("children", "下级行动的编号（只列已发布的）", multiple=True),
    Column("cases", "属于该行动的典型案例编号（只列已发布的）", multiple=True),
    Column("summary", "一段话摘要"),
    *_SOURCE_COLUMNS,
    Column("updated", "记录最后修改的日期（数据文件最后一次提交的日期，北京时间）"),
)

CASE_COLUMNS: tuple[Column, ...] = (
    Column("id", "案例编号，即数据文件名，也是网页地址的一部分，发布后不变"),
    Column("url", "本站该案例页面的完整网址"),
    Column("title", "案例标题"),
    Column("date", "日期"),
    Column("agency", "办理机关的全称"),
    Column("agency_slug", "办理机关的英文短名"),
    Column("agency_kind", f"办理机关的类别：{one_of(AgencyKind)}"),
    Column("region", "办理机关所在地区，省、市、县之间用“/”分隔"),
    Column("campaign", "所属专项行动的编号；为空表示不属于任何行动"),
    Column("procedure", str(Case.model_fields["procedure"].description)),
    Column("cause", "案由；为空表示未填写"),
    Column("case_number", "案号，按发布时的写法；为空表示发布时未公布"),
    Column("outcome", f"结果，如 {some_of(Outcome, '执行完毕', '执行和解', '调解结案', '判决', '支持起诉')}"),
    Column("topics", "所属专题的名称", multiple=True),
    Column("topic_slugs", "所属专题的英文短名，与 topics 一一对应", multiple=True),
    Column("measures", "采取的措施，如 拘传、拘留、罚款、限制高消费", multiple=True),
    Column("keywords", "关键词", multiple=True),
    Column("summary", "一段话摘要"),
    Column("gist", "要旨：裁判要点或典型意义的核心；为空表示未填写"),
    Column("laws", "相关法条，按记录中的写法，如 《中华人民共和国民事诉讼法》第一百零九条", multiple=True),
    Column("law_names", "相关法条所属法律的正式全称（简称已统一），与 laws 一一对应", multiple=True),
    Column("law_slugs", "相关法条所属法律的英文短名，与 laws 一一对应，对应本站“法律法规”页面的地址",
           multiple=True),
    Column("release_by", "把本案作为典型案例发布的机关或单位；为空表示未填写"),
    Column("release_title", "发布的标题或批次；为空表示未填写"),
    Column("release_date", "发布日期"),
    *_SOURCE_COLUMNS,
    Column("updated", "记录最后修改的日期（数据文件最后一次提交的日期，北京时间）"),
)

FIGURE_COLUMNS: tuple[Column, ...] = (
    Column("record_kind", "记录类别：campaign 表示专项行动，case 表示典型案例"),
    Column("record_id", "记录编号，对应 campaigns 或 cases 文件的 id 列"),
    Column("metric", "指标名称，含义见下方“指标一览”"),
    Column("metric_slug", "指标的英文短名"),
    Column("part", "分项名称；为空表示这一行是指标的总数或某一机关的份额"),
    Column("agency", "只用于联合行动中某一机关的份额：该机关的全称；其他行为空"),
    Column("agency_slug", "份额所属机关的英文短名；其他行为空"),
    Column("value", "数值，按元（金额）或指标单位（计数）换算后的精确十进制数，"
                    "不用科学记数法、不含千位分隔符，如 1012000、8584.6；JSON 文件中是数字"
                    "（整数或小数，见上方“数值”一条）", number=True),
    Column("unit", "单位：金额一律为 元，计数为指标的单位（件、人、人次……）"),
    Column("qualifier", "约数性质：exact 精确；at_least 不少于（报道写“余”“多”“逾”）；"
                        "at_most 不到（写“近”）；about 大约（写“约”）"),
    Column("marker", "报道中写的约数标记：余、多、逾、近、约；精确数为空"),
    Column("text", "按报道写法写出的数值，与网页上显示的一致，如 101.2万元、8万余元"),
    Column("parts_complete", "只用于有分项或份额的指标：true 表示分项（份额）齐全、之和等于总数，"
                             "false 表示不全；没有分项和份额为空"),
)


@dataclass(frozen=True)
class DownloadView:
    """A table of the dictionary page: its files, row count and columns (key, meaning, list?)."""

    name: str
    label: str
    count: int
    csv: Link
    json: Link
    columns: list[tuple[str, str, bool]]


# --- helpers ------------------------------------------------------------------------------


def normalize_site_url(site_url: str) -> str:
    """The site's base address, ending with ``/``; `ValueError` unless it is http(s)."""
    base = site_url.strip()
    if not is_web_url(base):
        raise ValueError(f"site URL must be an http(s) address, not {site_url!r}")
    return base if base.endswith("/") else base + "/"


def plain_decimal(amount: Decimal) -> str:
    """An exact amount as plain digits: no exponent, no trailing zeros (1.012E+6 → 1012000)."""
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


#: The largest whole number a double-precision parser (JavaScript's, most JSON readers')
#: reads exactly: 2^53 - 1.
_SAFE_INTEGER = 2**53 - 1


def json_number(digits: str) -> int | float | str:
    """A number column's cell (plain decimal digits, `plain_decimal`) as a JSON value.

    An integer when whole and within ±(2^53 - 1); a float when the float's shortest form is
    exactly `digits` (so the JSON text has the same digits, and a reader gets them back);
    otherwise `digits` itself, a string. "" (no value) stays "".
    """
    if not digits:
        return digits
    amount = Decimal(digits)
    if amount == amount.to_integral_value():
        whole = int(amount)
        return whole if abs(whole) <= _SAFE_INTEGER else digits
    number = float(amount)
    return number if repr(number) == digits else digits


def csv_cell(value: Value) -> str:
    """A value as a CSV cell: lists joined with ``|`` and formula-like text defused.

    A list item that itself contains ``|`` has it replaced by the full-width ``｜`` so that the
    cell still splits into the right items. A cell starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.
    """
    if isinstance(value, list):
        text = LIST_SEPARATOR.join(item.replace(LIST_SEPARATOR, _FULLWIDTH_SEPARATOR)
                                   for item in value)
    else:
        text = value
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _text(value: object) -> str:
    """Record text on one line, without control characters; "" for a missing value."""
    return "" if value is None else normalize_text(value)


def _texts(values: Iterable[object]) -> list[str]:
    return [_text(value) for value in values]


def _sources(sources: Sequence[Source]) -> Row:
    return {
        "source_titles": _texts(s.title for s in sources),
        "source_publishers": _texts(s.publisher for s in sources),
        "source_authors": _texts(s.author for s in sources),
        "source_dates": [str(s.date) if s.date is not None else "" for s in sources],
        "source_urls": _texts(s.url for s in sources),
    }


def _check_row(row: Row, columns: Sequence[Column]) -> Row:
    """`row` in column order; a key mismatch is a programming error."""
    keys = [column.key for column in columns]
    if set(row) != set(keys):
        raise ValueError(f"row keys {sorted(row)} do not match the columns {keys}")
    return {key: row[key] for key in keys}


# --- rows ---------------------------------------------------------------------------------


def _updated(dataset: Dataset, path: str) -> str:
    found = dataset.changed.get(path)
    return found.moment.date().isoformat() if found is not None else ""


def _campaign_row(dataset: Dataset, entry: CampaignEntry, base: str) -> Row:
    model = entry.model
    return _check_row({
        "id": entry.id,
        "url": address.campaign(entry).absolute(base),
        "title": _text(model.title),
        "kind": model.kind,
        "start": str(model.start),
        "end": str(model.end) if model.end is not None else "",
        "region": _text(entry.region),
        "agencies": _texts(a.name for a in entry.agencies),
        "agency_slugs": [a.slug for a in entry.agencies],
        "joint": "true" if entry.joint else "false",
        "lead": _text(entry.lead.name) if entry.lead is not None else "",
        "topics": _texts(t.name for t in entry.topics),
        "topic_slugs": [t.slug for t in entry.topics],
        "part_of": model.part_of or "",
        "children": sorted(entry.children),
        "cases": sorted(entry.cases),
        "summary": _text(model.summary),
        **_sources(model.sources),
        "updated": _updated(dataset, entry.path),
    }, CAMPAIGN_COLUMNS)


def _case_row(dataset: Dataset, entry: CaseEntry, base: str) -> Row:
    model = entry.model
    return _check_row({
        "id": entry.id,
        "url": address.case(entry).absolute(base),
        "title": _text(model.title),
        "date": str(model.date),
        "agency": _text(entry.agency.name),
        "agency_slug": entry.agency.slug,
        "agency_kind": entry.agency.kind,
        "region": _text(entry.agency.region),
        "campaign": model.campaign or "",
        "procedure": model.procedure,
        "cause": _text(model.cause),
        "case_number": _text(model.case_number),
        "outcome": model.outcome,
        "topics": _texts(t.name for t in entry.topics),
        "topic_slugs": [t.slug for t in entry.topics],
        "measures": _texts(model.measures),
        "keywords": _texts(model.keywords),
        "summary": _text(model.summary),
        "gist": _text(model.gist),
        "laws": _texts(c.text for c in entry.citations),
        "law_names": _texts(c.law.name for c in entry.citations),
        "law_slugs": [c.law.slug for c in entry.citations],
        "release_by": _text(model.release.by if model.release else None),
        "release_title": _text(model.release.title if model.release else None),
        "release_date": str(model.release.date) if model.release else "",
        **_sources(model.sources),
        "updated": _updated(dataset, entry.path),
    }, CASE_COLUMNS)


def _figure_row(kind: str, record_id: str, figure: Figure, part: str, value: Quantity,
                agency: Agency | None = None) -> Row:
    return _check_row({
        "record_kind": kind,
        "record_id": record_id,
        "metric": _text(figure.metric.name),
        "metric_slug": figure.metric.slug,
        "part": _text(part),
        "agency": _text(agency.name) if agency is not None else "",
        "agency_slug": agency.slug if agency is not None else "",
        "value": plain_decimal(value.amount),
        "unit": value.unit,
        "qualifier": value.qualifier.value,
        "marker": value.marker if not value.is_exact else "",
        "text": format_quantity(value),
        "parts_complete": ("true" if figure.complete else "false") if figure.parts or figure.shares else "",
    }, FIGURE_COLUMNS)


def _figure_rows(kind: str, record_id: str, figures: dict[str, Figure]) -> list[Row]:
    """A record's figures in the order the record lists them, each followed by its parts,
    then its agencies' shares."""
    rows = []
    for figure in figures.values():
        rows.append(_figure_row(kind, record_id, figure, "", figure.value))
        rows.extend(_figure_row(kind, record_id, figure, name, value)
                    for name, value in figure.parts)
        rows.extend(_figure_row(kind, record_id, figure, "", value, agency)
                    for agency, value in figure.shares)
    return rows


# --- files --------------------------------------------------------------------------------


def _csv_text(lines: Iterable[list[str]]) -> str:
    """Lists of cells as CSV lines, CRLF line ends."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(lines)
    return buffer.getvalue()


def _csv_lines(rows: Iterable[Row], columns: Sequence[Column]) -> str:
    """The rows as CSV lines (CRLF ends, cells defused), without header or BOM."""
    return _csv_text([csv_cell(row[column.key]) for column in columns] for row in rows)


def to_csv(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    """The rows as CSV text: BOM, header of column keys, CRLF line ends, cells defused."""
    return _csv_file([_csv_lines(rows, columns)], columns)


def _csv_file(lines: Iterable[str], columns: Sequence[Column]) -> str:
    """A CSV file from rows already written by `_csv_lines` (joined once: a file of megabytes
    copied again for each concatenation costs more than writing it)."""
    return "".join([_BOM + _csv_text([[column.key for column in columns]]), *lines])


def json_row(row: Row, columns: Sequence[Column]) -> dict[str, JsonValue]:
    """A row as the JSON file holds it: number columns as JSON numbers (`json_number`)."""
    numbers = {column.key for column in columns if column.number}
    return {key: json_number(value) if key in numbers and isinstance(value, str) else value
            for key, value in row.items()}


#: What the JSON files are written with: `json.dumps(rows, ensure_ascii=False, indent=2)`.
_JSON = json.JSONEncoder(ensure_ascii=False, indent=2)


def _json_items(rows: Iterable[Row], columns: Sequence[Column]) -> list[str]:
    """Each row as an item of the JSON file's array, indented as `_JSON` indents it there (a
    string value never holds a line break: JSON escapes it)."""
    return ["  " + _JSON.encode(json_row(row, columns)).replace("\n", "\n  ") for row in rows]


def _json_file(items: Sequence[str]) -> str:
    """A JSON file from items written by `_json_items`: exactly `json.dumps(rows, indent=2)`
    (joined once, like `_csv_file`)."""
    if not items:
        return "[]\n"
    parts = list(items)
    parts[0] = "[\n" + parts[0]
    parts[-1] += "\n]\n"
    return ",\n".join(parts)


def to_json(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    """The rows as a JSON array of objects, UTF-8 text, keys in column order; number columns
    are JSON numbers."""
    return _json_file(_json_items(rows, columns))


@dataclass(frozen=True)
class _Written:
    """One record's rows as the download files hold them: its own row and its figures' rows."""

    csv: str
    json: str
    figures_csv: str
    figures_json: list[str]


class ExportMemo:
    """Each record's rows as written in the downloads, and each file, reused while unchanged.

    For a process that writes the downloads again after each edit (the preview): an edit
    changes one record, so only its rows are written again, and only the files holding a row
    that changed are joined again. A record is unchanged when its entry, its last change and
    the site address are equal to those it was written with; the registries the rows show
    (agencies, topics, metrics, laws) are part of the entry. A file is unchanged when it is
    made of the very same row texts, in the same order: a record written again keeps the
    figure rows it had when they read the same.
    """

    def __init__(self) -> None:
        self._written: dict[str, dict[str, tuple[CampaignEntry | CaseEntry, Changed | None, str, _Written]]] = {}
        self._files: dict[str, tuple[list[object], str]] = {}

    def rows(self, dataset: Dataset, kind: str, entries: Iterable[CampaignEntry | CaseEntry],
             base: str) -> list[_Written]:
        """The rows of `entries`, every record of `kind` (``campaign``, ``case``) in the file's
        order, from the memo where unchanged; the memo then forgets the other records of `kind`."""
        before = self._written.get(kind, {})
        now: dict[str, tuple[CampaignEntry | CaseEntry, Changed | None, str, _Written]] = {}
        found: list[_Written] = []
        changed_of = dataset.changed.get
        for entry in entries:
            changed = changed_of(entry.path)
            kept = before.get(entry.id)
            if (kept is None or kept[2] != base or (kept[1] is not changed and kept[1] != changed)
                    or (kept[0] is not entry and kept[0] != entry)):
                kept = (entry, changed, base, _write(dataset, entry, base, kept[3] if kept is not None else None))
            now[entry.id] = kept
            found.append(kept[3])
        self._written[kind] = now
        return found

    def file(self, name: str, parts: list[object], make: Callable[[], str]) -> str:
        """The file `name`, made of `parts` by `make`: the text made before when the parts are
        the very same objects (`_Written` texts, never changed once written) in the same order."""
        kept = self._files.get(name)
        if kept is not None and len(kept[0]) == len(parts) and all(map(operator.is_, kept[0], parts)):
            return kept[1]
        text = make()
        self._files[name] = (parts, text)
        return text


def _write(dataset: Dataset, entry: CampaignEntry | CaseEntry, base: str,
           before: _Written | None = None) -> _Written:
    """`entry`'s own row and its figures' rows, written as the download files hold them; the
    figure rows of `before` (the record's rows written before) when they read the same."""
    if isinstance(entry, CampaignEntry):
        row, columns, figures = _campaign_row(dataset, entry, base), CAMPAIGN_COLUMNS, _figure_rows(
            "campaign", entry.id, entry.figures)
    else:
        row, columns, figures = _case_row(dataset, entry, base), CASE_COLUMNS, _figure_rows(
            "case", entry.id, entry.figures)
    figures_csv, figures_json = _csv_lines(figures, FIGURE_COLUMNS), _json_items(figures, FIGURE_COLUMNS)
    if before is not None and before.figures_csv == figures_csv and before.figures_json == figures_json:
        figures_csv, figures_json = before.figures_csv, before.figures_json
    return _Written(_csv_lines([row], columns), _json_items([row], columns)[0], figures_csv, figures_json)


def _by_id(entries: Iterable[Any]) -> list[Any]:
    return sorted(entries, key=lambda entry: entry.id)


def _metric_rows(metrics: Iterable[Metric]) -> list[tuple[str, str, str, str, str]]:
    """The metric registry in its own order (metrics.yaml), once per metric."""
    seen: set[str] = set()
    rows = []
    for metric in metrics:
        if metric.slug in seen:
            continue
        seen.add(metric.slug)
        rows.append((metric.name, metric.slug, METRIC_KIND_LABELS[metric.kind],
                     metric.unit, metric.description or ""))
    return rows


def render_exports(dataset: Dataset, site_url: str, memo: ExportMemo | None = None) -> list[RenderedPage]:
    """The download files and their dictionary page for `dataset` (the published view).

    Returns ``data/campaigns.csv``, ``data/campaigns.json``, ``data/cases.csv``,
    ``data/cases.json``, ``data/figures.csv``, ``data/figures.json`` and ``data/index.md``.
    Records are ordered by id; figures by record kind (campaigns first), record id, then as
    the record lists them, each metric's breakdown parts after its total. `site_url` is the
    site's base address, used for the ``url`` columns. The output depends only on the
    arguments; `memo`, for a process that writes the downloads again after each edit, only
    saves writing the rows of unchanged records, and the files of unchanged rows, again
    (`ExportMemo`).
    """
    base = normalize_site_url(site_url)
    rows = memo or ExportMemo()
    ours = rows.rows(dataset, "campaign", _by_id(dataset.campaigns.values()), base)
    theirs = rows.rows(dataset, "case", _by_id(dataset.cases.values()), base)
    written = [*ours, *theirs]
    figures = sum(len(w.figures_json) for w in written)

    def files_of(name: str, columns: tuple[Column, ...], lines: list[str], items: list[str]) -> tuple[str, str]:
        return (rows.file(f"{name}.csv", lines, lambda: _csv_file(lines, columns)),
                rows.file(f"{name}.json", items, lambda: _json_file(items)))

    figures_json: list[object] = [w.figures_json for w in written]
    tables: list[tuple[str, str, tuple[Column, ...], int, str, str]] = [
        ("campaigns", "专项行动", CAMPAIGN_COLUMNS, len(ours),
         *files_of("campaigns", CAMPAIGN_COLUMNS, [w.csv for w in ours], [w.json for w in ours])),
        ("cases", "典型案例", CASE_COLUMNS, len(theirs),
         *files_of("cases", CASE_COLUMNS, [w.csv for w in theirs], [w.json for w in theirs])),
        ("figures", "数据指标", FIGURE_COLUMNS, figures,
         rows.file("figures.csv", [w.figures_csv for w in written],
                   lambda: _csv_file([w.figures_csv for w in written], FIGURE_COLUMNS)),
         rows.file("figures.json", figures_json,
                   lambda: _json_file([item for w in written for item in w.figures_json]))),
    ]
    here = address.DATA_INDEX
    files: list[RenderedPage] = []
    for name, _label, _columns, _count, csv_text, json_text in tables:
        files.append(RenderedPage(address.download(name, "csv").path, csv_text, None))
        files.append(RenderedPage(address.download(name, "json").path, json_text, None))
    markdown = render_template(
        "data_index.md.j2",
        title=here.text,
        description="本站已发布的专项行动、典型案例和数据指标，提供 CSV 和 JSON 格式下载，附各列说明。",
        files=[DownloadView(name, label, count, address.download(name, "csv").link(here),
                            address.download(name, "json").link(here),
                            [(c.key, c.description, c.multiple) for c in columns])
               for name, label, columns, count, _csv, _json in tables],
        feed=address.FEED.link(here),
        metrics=_metric_rows(dataset.metrics.values()),
    )
    files.append(RenderedPage(here.path, markdown, None))
    return files
