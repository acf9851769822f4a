"""The staff guide's format reference (``guide/format.md``), generated from the record models."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from fazhi.models import RECORD_MODELS, REGISTRY_MODELS, Breakdown, Release, Source, Waiver
from fazhi.render import address
from fazhi.render.reference import KINDS, NESTED, field_rows, render_format_page
from tests.conftest import ROOT, DataDir
from tests.rendering import to_html, visible_text

MODELS: list[type[BaseModel]] = [*RECORD_MODELS.values(), *REGISTRY_MODELS.values(), Source, Breakdown, Release,
                                 Waiver]


@pytest.fixture(scope="module")
def page() -> str:
    return render_format_page().content


def _rows(page: str, title: str) -> dict[str, list[str]]:
    """The field table under the heading `title`: key -> the other cells (visible text)."""
    html = to_html(page)
    section = re.split(rf"<h3[^>]*>{title}</h3>", html, maxsplit=1)[1]
    section = re.split(r"<h[23][ >]", section, maxsplit=1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.DOTALL)[1:]:
        cells = [visible_text(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]
        rows[cells[0]] = cells[1:]
    return rows


def test_every_kind_and_part_has_a_table() -> None:
    assert {kind.model for kind in (*KINDS, *NESTED)} == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_on_the_page_with_its_name_and_whether_it_is_required(page: str, model: type[BaseModel]) -> None:
    rows = _rows(page, str(model.model_config["title"]))
    assert set(rows) == set(model.model_fields)
    for name, field in model.model_fields.items():
        title, required, kind, *_ = rows[name]
        assert title and kind, name
        assert required == ("必填" if field.is_required() else "选填"), name


def test_allowed_values_come_from_the_models(page: str) -> None:
    case = _rows(page, "典型案例")
    assert case["procedure"][3] == "执行、审判、支持起诉、调解、法律援助、检察监督、其他"
    assert case["status"][3] == "draft、review、published"
    assert _rows(page, "指标")["kind"][3] == "count、money"
    assert _rows(page, "机关")["kind"][3] == "法院、检察院、司法行政、公安、其他"


def test_examples_and_rules_are_filled_in(page: str) -> None:
    case = _rows(page, "典型案例")
    assert "2024-01-14" in case["date"][4]
    assert "（2024）内0702执123号" in case["case_number"][4]
    assert "data/agencies.yaml" in case["agency"][5]  # the field's guidance for staff
    assert all(row[5].endswith("。") for row in case.values())


def test_field_rows_cover_every_field_in_model_order() -> None:
    for model in MODELS:
        assert [row[0] for row in field_rows(model)] == list(model.model_fields)


def test_value_and_privacy_rules_and_the_error_table(page: str) -> None:
    text = visible_text(to_html(page))
    for needle in ("2024-01-14、2024-01 或 2024", "一律以元为单位", "8万余元", "近30万元", "约5万元", "左右",
                   "身份证号码", "手机号码", "银行卡号", "电子邮箱", "门牌", "privacy_reviewed"):
        assert needle in text, needle
    assert "](errors.md)" in page  # linked, not repeated
    assert "| 代码 |" not in page


def test_the_page_links_nowhere_outside_the_site(page: str) -> None:
    targets = re.findall(r"\]\(([^)]+)\)", page)
    assert targets == ["../guide.md", "errors.md"]
    assert "shared" not in page and not re.search(r"https?://[a-z]", page)


def test_the_page_is_generated_and_linked_from_the_guide_and_the_readme(data_dir: DataDir) -> None:
    from fazhi.pipeline import generate

    pages = {page.src_uri: page for page in generate(data_dir(), workers=1)}
    assert pages[address.FORMAT.path].content == render_format_page().content
    guide = (ROOT / "content" / "guide.md").read_text(encoding="utf-8")
    assert f"]({address.FORMAT.path})" in guide
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"content/{address.FORMAT.path}" in readme or "/guide/format/" in readme
