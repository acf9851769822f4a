"""Charts: self-contained, accessible, deterministic inline SVG, with data labels kept inert."""

from __future__ import annotations

import re
from decimal import Decimal

import markdown
import pytest
from bs4 import BeautifulSoup

from fazhi.render.charts import COLOURS, Chart, Series, chart_svg
from fazhi.text import Escaped
from fazhi.values import Qualifier, Quantity

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">{{ x }}`~'


def count(n: int, unit: str = "件") -> Quantity:
    return Quantity(Decimal(n), unit)


def yuan(amount: str, qualifier: Qualifier = Qualifier.EXACT, marker: str = "") -> Quantity:
    return Quantity(Decimal(amount), "元", qualifier, marker)


def year_chart() -> Chart:
    return Chart(
        title="各年份收录的专项行动和典型案例数",
        heading="年份",
        labels=("2023年", "2024年"),
        series=(Series("专项行动", (count(6, "项"), count(1, "项"))),
                Series("典型案例", (count(7), count(0)))),
    )


def money_chart(label: str = "呼伦贝尔市", metric: str = "执结标的") -> Chart:
    return Chart(
        title=f"各市级地区的{metric}",
        heading="地区",
        labels=(label, "黔南布依族苗族自治州"),
        series=(Series(metric, (yuan("1012000"), yuan("3600000", Qualifier.AT_LEAST, "余"))),),
        horizontal=True,
    )


def svg_of(block: str) -> str:
    match = re.fullmatch(r'<div class="fazhi-chart">(<svg .*</svg>)</div>', block)
    assert match, block[:200]
    return match.group(1)


@pytest.mark.parametrize("chart", [year_chart(), money_chart()])
def test_svg_is_self_contained(chart: Chart) -> None:
    block = chart_svg(chart)
    assert isinstance(block, Escaped)
    svg = svg_of(block)
    assert re.findall(r"https?://[^\"'\s<>]+", svg) == ["http://www.w3.org/2000/svg"]
    assert "<?xml" not in svg and "<!--" not in svg
    assert "<script" not in svg and "javascript" not in svg.lower()
    assert "\n" not in block
    assert "@import" not in svg and "url(" not in svg


def test_svg_is_named_for_assistive_technology() -> None:
    soup = BeautifulSoup(svg_of(chart_svg(year_chart())), "html.parser")
    svg = soup.find("svg")
    assert svg["role"] == "img"
    assert "各年份收录的专项行动和典型案例数" in svg["aria-label"]
    first = next(child for child in svg.children if getattr(child, "name", None))
    assert first.name == "title" and first.get_text() == "各年份收录的专项行动和典型案例数"


def test_values_are_printed_in_press_style() -> None:
    svg = svg_of(chart_svg(money_chart()))
    assert "101.2万元" in svg and "360余万元" in svg
    assert svg.count('class="value') >= 2


def test_colours_contrast_with_white() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in COLOURS:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour


def test_rendering_is_deterministic_and_ids_differ_between_charts() -> None:
    assert chart_svg(money_chart()) == chart_svg(money_chart())
    ids = {re.search(r'id="([^"]+)"', chart_svg(c)).group(1)  # type: ignore[union-attr]
           for c in (year_chart(), money_chart(), money_chart("海拉尔区"))}
    assert len(ids) == 3


def test_table_rows_repeat_the_chart_values() -> None:
    assert year_chart().rows() == [("2023年", ["6项", "7件"]), ("2024年", ["1项", "0件"])]
    assert money_chart().rows() == [("呼伦贝尔市", ["101.2万元"]),
                                    ("黔南布依族苗族自治州", ["360余万元"])]


def test_series_must_match_labels() -> None:
    with pytest.raises(ValueError):
        Chart("t", "h", ("a", "b"), (Series("s", (count(1),)),))


def test_a_metric_or_label_containing_script_stays_inert() -> None:
    block = chart_svg(money_chart(label=EVIL, metric=f"执结标的{EVIL}"))
    svg = svg_of(block)
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg
    assert "{{" not in svg and "`" not in svg and "~" not in svg
    html = markdown.markdown(f"text\n\n{block}\n\nmore", extensions=["md_in_html", "tables"])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert all(not name.startswith("on") for tag in soup.find_all(True) for name in tag.attrs)
    assert "<script>alert(1)</script>" in soup.get_text()
    assert block in html  # passed through as one raw HTML block


def test_a_zero_prints_its_value_rather_than_leaving_the_label_alone() -> None:
    svg = svg_of(chart_svg(year_chart()))  # 典型案例 in 2024: 0
    values = re.findall(r'class="value[^"]*"[^>]*>([^<]*)<', svg)
    assert "0件" in values
    horizontal = Chart(title="各地区的案例数", heading="地区", labels=("甲市", "乙市"),
                       series=(Series("典型案例", (count(3), count(0))),), horizontal=True)
    assert "0件" in re.findall(r'class="value[^"]*"[^>]*>([^<]*)<', svg_of(chart_svg(horizontal)))


def test_two_charts_on_a_page_share_no_id() -> None:
    page = chart_svg(year_chart()) + chart_svg(money_chart()) + chart_svg(money_chart("包头市"))
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    assert "activate-serie" not in " ".join(ids)
