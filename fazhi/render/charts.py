"""Bar charts as inline SVG, drawn with pygal when the site is built.

A `Chart` holds labels and series of `Quantity` values; `chart_svg` draws it and
`render_stats` writes the same values as a Markdown table right after it, so every number in
a chart is also in text. The SVG is made safe and self-contained here:

- no JavaScript: pygal's tooltip script (``js``) is off and the configuration ``<script>`` it
  always writes is removed, as are its comments (which carry web addresses and the date);
- no external CSS or fonts: pygal's own CSS is inlined, scoped to the chart's id, which is
  derived from the chart's content so that the same data draws the same SVG;
- labels from the data are normalised to one line of text and escaped by the XML serializer,
  so a metric or region name cannot become markup;
- the characters that Markdown preprocessors act on even in raw HTML (`` ` ``, ``~``, ``{``,
  ``}``) are written as character references, which the browser's HTML parser resolves
  inside inline SVG (also in its ``<style>``);
- ``role="img"``, an ``aria-label`` and a ``<title>`` name the chart for screen readers;
- no id repeats between charts on a page (pygal's legend ids are dropped);
- a zero prints as 0 where its bar would start, rather than leaving its label alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pygal
from pygal.etree import etree
from pygal.style import Style

from fazhi.text import Escaped, normalize_text
from fazhi.values import Quantity, format_quantity

__all__ = ["Chart", "Series", "chart_svg"]

XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"

#: Bar colours, each with a contrast of at least 4.5:1 against the white plot (WCAG 1.4.11
#: asks 3:1 for graphics): dark blue, dark orange, dark green, purple.
COLOURS: tuple[str, ...] = ("#1f5fa8", "#b34700", "#2e7d32", "#6a3d9a")

_FONTS = ('system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
          '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
          "sans-serif")
_FONT_SIZE = 15
_WIDTH = 440
_BAR_HEIGHT = 30
#: The SVG scales to its container; beyond this width its text would grow too large.
_MAX_WIDTH = "560px"
_NEUTRAL = {"`": "&#96;", "~": "&#126;", "{": "&#123;", "}": "&#125;"}

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#555555",
    font_family=_FONTS,
    label_font_size=_FONT_SIZE,
    major_label_font_size=_FONT_SIZE,
    value_font_size=_FONT_SIZE,
    legend_font_size=_FONT_SIZE,
    tooltip_font_size=_FONT_SIZE,
    guide_stroke_color="#bbbbbb",
    major_guide_stroke_color="#888888",
    opacity="1",
    opacity_hover="1",
    transition="0s",
    colors=COLOURS,
)


@dataclass(frozen=True)
class Series:
    """One set of bars: its name (shown in the legend) and a value per label (None: no bar)."""

    name: str
    values: tuple[Quantity | None, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart and the table that repeats it.

    `title` describes the chart in a sentence fragment (各年份收录的专项行动和典型案例); it is
    the SVG's accessible name. `heading` is the table's first column heading (年份, 地区).
    Long labels read better as horizontal bars (`horizontal`).
    """

    title: str
    heading: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(f"series {series.name!r} has {len(series.values)} values "
                                 f"for {len(self.labels)} labels")

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: each label with its values in press style ("" where there is none)."""
        return [(label, [format_quantity(s.values[i]) if s.values[i] is not None else ""
                         for s in self.series])
                for i, label in enumerate(self.labels)]


# --- drawing ------------------------------------------------------------------------------


def _chart_id(chart: Chart) -> str:
    """A stable id for the SVG's scoped CSS, from everything the chart shows."""
    text = repr((chart.title, chart.labels,
                 [(s.name, [format_quantity(v) if v is not None else "" for v in s.values])
                  for s in chart.series],
                 chart.horizontal))
    return "fazhi-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _bar(value: Quantity | None) -> dict[str, Any] | None:
    """A pygal value that prints in press style (逾570件, 101.2万元).

    A zero draws no bar but still prints its value (0件) at the axis, so that a label is
    never followed by empty space; None (no value) draws nothing.
    """
    if value is None:
        return None
    shown = format_quantity(value)
    return {"value": float(value.amount), "formatter": lambda _x, text=shown: text}


def _label_margin(labels: tuple[str, ...]) -> int:
    """Extra left margin for horizontal bar labels: pygal sizes text for Latin letters
    (0.6 em), Chinese characters are a full em wide."""
    longest = max((len(label) for label in labels), default=0)
    return int(longest * _FONT_SIZE * 0.45) + 10


def _height(chart: Chart) -> int:
    """Vertical bars get a fixed height; horizontal bars a row per label and series."""
    if not chart.horizontal:
        return 320
    legend = 40 if len(chart.series) > 1 else 0
    return 40 + _BAR_HEIGHT * max(len(chart.labels), 1) * max(len(chart.series), 1) + legend


def _value_range(chart: Chart) -> tuple[float, float] | None:
    """For horizontal bars, room on the right of the longest bar for its printed value."""
    amounts = [float(v.amount) for s in chart.series for v in s.values if v is not None]
    if not chart.horizontal or not amounts or max(amounts) <= 0:
        return None
    return (0.0, max(amounts) * 1.8)


def _pygal_chart(chart: Chart) -> Any:
    kind = pygal.HorizontalBar if chart.horizontal else pygal.Bar
    labels = [normalize_text(label) for label in chart.labels]
    series = [(normalize_text(s.name), list(s.values)) for s in chart.series]
    if chart.horizontal:  # pygal draws the first label at the bottom; the table starts at the top
        labels.reverse()
        series = [(name, values[::-1]) for name, values in series]
    chart_id = _chart_id(chart)
    drawn = kind(
        style=_STYLE,
        css=["file://style.css", "file://graph.css",
             f"inline:#chart-{chart_id}{{max-width:{_MAX_WIDTH};display:block}}"],
        width=_WIDTH,
        height=_height(chart),
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(len(series), 1),
        print_values=True,
        print_values_position="top",
        # Values are printed on the bars; the value axis only adds clutter. pygal names the
        # axes of a horizontal chart as if it were vertical.
        show_x_labels=not chart.horizontal,
        show_y_labels=chart.horizontal,
        truncate_label=-1,
        truncate_legend=-1,
        range=_value_range(chart),
        margin=12,
        margin_left=12 + (_label_margin(tuple(labels)) if chart.horizontal else 0),
        no_data_text="暂无数据",
        zero=0,
    )
    drawn.uuid = chart_id
    drawn.x_labels = labels
    for name, values in series:
        drawn.add(name, [_bar(v) for v in values])
    drawn.add_xml_filter(lambda root: _clean(root, normalize_text(chart.title), chart.horizontal))
    return drawn


def _local_name(node: Any) -> str:
    """An element's tag without namespace; "" for comments and processing instructions."""
    return node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""


def _clean(root: Any, title: str, horizontal: bool) -> Any:
    """Drop scripts and comments, start horizontal bars' values at the bar's end, and name
    the chart for assistive technology.

    pygal's legend carries ids for its interactive script (``activate-serie-0``), the same in
    every chart: with several charts on a page they would be duplicate ids. The charts have
    no script, so the ids go.
    """
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("id", "").startswith("activate-serie"):
            del node.attrib["id"]
    for parent in list(root.iter()):
        for child in list(parent):
            if _local_name(child) in ("", "script"):
                parent.remove(child)
            elif horizontal and _local_name(child) == "text" and "value" in child.get("class", "").split():
                child.set("text-anchor", "start")
    for child in list(root):
        if _local_name(child) == "title":
            root.remove(child)
    root.set("role", "img")
    root.set("aria-label", f"条形图：{title}。图中数据见下表。")
    name = etree.Element("title")
    name.text = title
    root.insert(0, name)
    return root


def chart_svg(chart: Chart) -> Escaped:
    """`chart` as one line of inline SVG in a ``<div class="fazhi-chart">`` block."""
    svg = _pygal_chart(chart).render(is_unicode=True)
    if "xlink:" not in svg.replace(f'xmlns:xlink="{XLINK_NAMESPACE}"', ""):
        svg = svg.replace(f' xmlns:xlink="{XLINK_NAMESPACE}"', "")
    svg = " ".join(svg.split("\n"))
    svg = "".join(_NEUTRAL.get(ch, ch) for ch in svg)
    return Escaped(f'<div class="fazhi-chart">{svg}</div>')
