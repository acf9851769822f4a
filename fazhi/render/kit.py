"""The page kit every renderer stands on: the page type, the link views and the templates.

Data never becomes template source. The templates in ``fazhi/templates`` are rendered with
views built by the renderers, and every value they output goes through an escaping filter
from `fazhi.text` (``t``, ``md``, ``fm``, ``link``, ``links``; ``a`` and ``anchors`` for links
in raw HTML); the environment's ``finalize`` refuses any output that did not, so forgetting a
filter fails loudly. Shared
pieces of markup are partials (``_link_list.md.j2``, ``_preview.md.j2`` …) included with
``{% with %}``: a Jinja macro's output would be a plain string, which ``finalize`` refuses.
"""

from __future__ import annotations

import functools
import html
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from fazhi.models import PartialDate
from fazhi.stats import Slice, Total
from fazhi.text import Escaped, escape_front_matter, escape_text, link_target, markdown_block
from fazhi.values import format_quantity

__all__ = [
    "HTML_READY_END",
    "HTML_READY_START",
    "Capped",
    "Group",
    "Item",
    "Link",
    "RateRow",
    "RenderedPage",
    "TotalRow",
    "date_range",
    "environment",
    "excerpt",
    "put_back",
    "rate_rows",
    "region_name",
    "render_fragment",
    "render_template",
    "served_href",
    "served_url",
    "set_aside",
    "total_rows",
]

TEMPLATES = Path(__file__).parent.parent / "templates"
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


@dataclass(frozen=True)
class RateRow:
    """A rate with the sums it comes from."""

    name: str
    value: str
    basis: str


def _percent(value: Decimal) -> str:
    """0.302325… → 30.2%."""
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def rate_rows(slice_: Slice) -> list[RateRow]:
    """Table rows for a slice's rates, each with the sums it divides."""
    rows = []
    for rate in slice_.rates:
        basis = (f"{rate.numerator.metric.name}{format_quantity(rate.numerator.value)} ÷ "
                 f"{rate.denominator.metric.name}{format_quantity(rate.denominator.value)}，"
                 f"{len(rate.numerator.records)}项行动")
        if rate.excluded:
            basis += f"；另有{len(rate.excluded)}项行动的数字为约数，未计入"
        rows.append(RateRow(rate.pair.name, _percent(rate.value), basis))
    return rows


# --- text shared by several pages ---------------------------------------------------------


def date_range(start: PartialDate, end: PartialDate | None) -> str:
    """A campaign's time as a reader writes it.

    One day (`end` equal to `start`): 2024年1月14日. No end (ongoing, or not reported):
    2022年11月7日起. A range leaves out what the end shares with the start: 2023年1月—12月,
    2024年1月14日—20日, 2024年1月14日—2月3日; across years, or when the end is less precise
    than the start's month, the end is written in full: 2023年11月—2024年2月.
    """
    if end == start:
        return start.chinese()
    if end is None:
        return f"{start.chinese()}起"
    return f"{start.chinese()}—{_range_end(start, end)}"


def _range_end(start: PartialDate, end: PartialDate) -> str:
    """The end of a range without the parts it shares with the start."""
    if end.year != start.year or not start.month or not end.month:
        return end.chinese()
    if end.month == start.month and start.day and end.day:
        return f"{end.day}日"
    return f"{end.month}月" + (f"{end.day}日" if end.day else "")


def region_name(region: str) -> str:
    """内蒙古自治区/呼伦贝尔市 as a reader writes it: 内蒙古自治区呼伦贝尔市."""
    return "".join(part.strip() for part in region.split("/"))


def excerpt(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    """The first `limit` characters of one-line text, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


# --- template environment -----------------------------------------------------------------


def _only_escaped(value: object) -> Escaped:
    """Jinja's finalize hook: every output must have gone through an escaping filter."""
    if isinstance(value, Escaped):
        return value
    raise TypeError(
        f"template output of type {type(value).__name__} was not escaped; "
        "use the t, md, fm, link, links, a or anchors filter")


def _link(link: Link) -> Escaped:
    """``[text](href)`` with the text escaped and the destination checked."""
    return Escaped(f"[{escape_text(link.text)}]({link_target(link.href)})")


def _links(links: Iterable[Link], separator: str = "、") -> Escaped:
    """Several links, joined by a Chinese enumeration comma."""
    return Escaped(escape_text(separator).join(_link(link) for link in links))


def served_url(path: str) -> str:
    """Where the site serves `path` (POSIX, under the docs folder), relative to the site root.

    Pages are served at directory addresses (mkdocs.yml: ``use_directory_urls: true``):
    ``x/<id>.md`` at ``x/<id>/``, ``x/index.md`` at ``x/``; other files as they are.
    """
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"


@functools.lru_cache(maxsize=1 << 16)  # a table links the same agencies and topics on every row
def served_href(href: str, here: str) -> str:
    """A link destination as the published page holds it: `href`, a checked destination
    relative to the page file `here` (``../cases/x.md?topic=y``), made relative to the address
    the page is served at (``../../cases/x/?topic=y``), as MkDocs rewrites a Markdown link.
    Web addresses pass unchanged."""
    checked = str(link_target(href))
    if "://" in checked:
        return checked
    path, mark, query = checked.partition("?")
    target = served_url(posixpath.normpath(posixpath.join(posixpath.dirname(here), path)))
    base = [part for part in served_url(here).split("/") if part]
    parts = [part for part in target.split("/") if part]
    common = 0
    for a, b in zip(base, parts, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    return relative + ("/" if target.endswith("/") or not target else "") + mark + query


#: Around raw HTML that needs no Markdown conversion (the case tables, a thousand rows a year):
#: a Markdown converter passes it through as it is, but only after parsing every tag to find
#: where the block ends. The MkDocs glue sets such blocks aside before the conversion and puts
#: them back after (`set_aside`, `put_back`). Comments, so the Markdown is whole without the glue.
HTML_READY_START = "<!-- fazhi:html -->\n"
HTML_READY_END = "\n<!-- /fazhi:html -->"
_SET_ASIDE = "<!-- fazhi:html {} -->"


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each block between `HTML_READY_START` and `HTML_READY_END` replaced by a
    numbered comment, and those blocks, in order (for `put_back`)."""
    if HTML_READY_START not in markdown:
        return markdown, []
    parts = markdown.split(HTML_READY_START)
    kept, blocks = [parts[0]], []
    for part in parts[1:]:
        block, end, rest = part.partition(HTML_READY_END)
        if not end:  # no end marker: leave the rest to the converter
            kept.append(HTML_READY_START + part)
            continue
        kept.append(_SET_ASIDE.format(len(blocks)) + rest)
        blocks.append(block)
    return "".join(kept), blocks


def put_back(html: str, blocks: Sequence[str]) -> str:
    """The converted `html` of a page with the blocks `set_aside` took out in their places."""
    for number, block in enumerate(blocks):
        html = html.replace(_SET_ASIDE.format(number), block, 1)
    return html


def _anchor(link: Link, here: str) -> Escaped:
    """``<a href="…">text</a>`` for raw HTML, from the page file `here`: the text escaped, the
    destination checked and made relative to the served page (`served_href`).

    For long tables: MkDocs neither converts nor checks links in raw HTML, which saves the
    Markdown conversion of every cell."""
    return Escaped(f'<a href="{html.escape(served_href(link.href, here))}">{escape_text(link.text)}</a>')


def _anchors(links: Iterable[Link], here: str, separator: str = "、") -> Escaped:
    """Several `_anchor` links, joined by a Chinese enumeration comma."""
    return Escaped(escape_text(separator).join(_anchor(link, here) for link in links))


@functools.cache
def environment() -> Environment:
    """The one Jinja environment: templates from ``fazhi/templates``, escaping enforced."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_only_escaped,
    )
    env.globals.update(html_ready_start=Escaped(HTML_READY_START), html_ready_end=Escaped(HTML_READY_END))
    env.filters.update({
        "t": escape_text,
        "md": markdown_block,
        "fm": escape_front_matter,
        "link": _link,
        "links": _links,
        "a": _anchor,
        "anchors": _anchors,
    })
    return env


def render_template(template: str, **context: Any) -> str:
    """The Markdown of `template` with `context`, ending with exactly one newline."""
    text = environment().get_template(template).render(**context)
    return text.rstrip("\n") + "\n"


def render_fragment(template: str, **context: Any) -> Escaped:
    """A partial's output with `context`, without its last line break, for another template
    to write as it is (a list page's rows, each rendered once and kept by the preview)."""
    return Escaped(environment().get_template(template).render(**context).removesuffix("\n"))
