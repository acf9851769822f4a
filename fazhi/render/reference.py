"""The staff guide's format reference, generated from the record models.

`render_format_page` is pure: it turns the models of `fazhi.models` (through their JSON Schema,
the same one `fazhi.schema` gives editors) into the page ``guide/format.md``, served at
``/guide/format/``. For every record kind (典型案例, 专项行动), every registry (机关, 专题, 指标,
法律法规) and every nested part (来源报道, 带分项的指标值, 发布信息, 复核豁免) it lists each
field: its key, Chinese name, whether it is required, its type, its allowed values, an example
and the rules it obeys (the field's description and its guidance for staff). Then come the
value rules (dates, counts, money, approximations, read from `fazhi.values` and the date
parser), the privacy rules (what rule 8 refuses: the checker's own messages) and a link to
the error table (`fazhi.render.guide`), which is not repeated.

Because the page is generated, a new field or allowed value appears in the guide the moment
it exists in the models (tests/test_reference.py checks every field is on the page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from fazhi.models import (
    ADDRESS_PART,
    GUIDE,
    OPTIONAL_REGISTRIES,
    RECORD_MODELS,
    REGION_PATTERN,
    REGISTRY_MODELS,
    URL_PATTERN,
)
from fazhi.problems import CATALOGUE
from fazhi.render import address
from fazhi.render.guide import RULES, describe_template
from fazhi.render.kit import RenderedPage
from fazhi.text import Escaped, escape_front_matter, escape_text
from fazhi.values import LIMITS, MARKERS, UNIT_SYNONYMS, Qualifier

__all__ = ["KINDS", "Kind", "field_rows", "render_format_page"]


class Kind:
    """One table of the page: a record kind, a registry or a nested part of a record."""

    def __init__(self, key: str, model: type[BaseModel], where: str, anchor: str) -> None:
        self.key = key
        self.model = model
        self.where = where
        """Where staff write it (a file or folder of ``data/``, or the field that holds it)."""
        self.anchor = anchor

    @property
    def title(self) -> str:
        """The model's Chinese title."""
        return str(self.model.model_config.get("title", self.model.__name__))


_CASE, _CAMPAIGN = RECORD_MODELS["cases"], RECORD_MODELS["campaigns"]

#: The tables, in the order of the page.
KINDS: tuple[Kind, ...] = (
    Kind("cases", _CASE, "data/cases/〈编号〉.yaml，一个案例一个文件", "case"),
    Kind("campaigns", _CAMPAIGN, "data/campaigns/〈编号〉.yaml，一个行动一个文件", "campaign"),
    Kind("agencies", REGISTRY_MODELS["agencies"], "data/agencies.yaml，每个机关一项的列表", "agencies"),
    Kind("topics", REGISTRY_MODELS["topics"], "data/topics.yaml，每个专题一项的列表", "topics"),
    Kind("metrics", REGISTRY_MODELS["metrics"], "data/metrics.yaml，每个指标一项的列表", "metrics"),
    Kind("laws", REGISTRY_MODELS["laws"], "data/laws.yaml，每部法律法规一项的列表；可以没有这个文件", "laws"),
)


def _nested_kinds() -> tuple[Kind, ...]:
    from fazhi.models import Breakdown, Release, Source, Waiver

    return (
        Kind("Source", Source, "sources 的每一项", "source"),
        Kind("Breakdown", Breakdown, "metrics 中一个指标的值写成 total、parts……时", "breakdown"),
        Kind("Release", Release, "典型案例的 release", "release"),
        Kind("Waiver", Waiver, "privacy_reviewed 的每一项", "waiver"),
    )


NESTED: tuple[Kind, ...] = _nested_kinds()
_BY_DEF = {kind.key: kind for kind in NESTED}

_PATTERN_NAMES = {
    ADDRESS_PART: "编号：小写字母、数字和连字符，以字母或数字开头，不能是 index",
    REGION_PATTERN: "地区：省、省/市 或 省/市/县，用 / 分隔",
    URL_PATTERN: "网址：以 http:// 或 https:// 开头",
}


def _ref(ref: str) -> str:
    kind = _BY_DEF[ref.rsplit("/", 1)[-1]]
    return f"{kind.title}（见本页“{kind.title}”一节）"


def _type(prop: dict[str, Any]) -> str:
    """A field's type as staff read it."""
    if "$ref" in prop:
        return _ref(prop["$ref"])
    options = [option for option in prop.get("anyOf", []) if option.get("type") != "null"]
    if options:
        if {option.get("type") for option in options} == {"string", "integer"}:
            return "日期"
        if {option.get("type") for option in options} == {"number", "string"}:
            return "数值：数字，或照报道写的文字"
        if len(options) == 1:
            return _type(options[0])
        return "，或".join(_type(option) for option in options)
    kind = prop.get("type")
    if "enum" in prop:
        return "文字，从可选值中选一个"
    if kind == "array":
        return f"列表，每项是{_type(prop.get('items', {}))}"
    if kind == "object":
        return f"对应表：名称 → {_type(prop.get('additionalProperties', {}))}"
    if kind == "boolean":
        return "true 或 false"
    if kind == "integer":
        return "整数"
    if kind == "number":
        return "数字"
    pattern = prop.get("pattern")
    if pattern in _PATTERN_NAMES:
        return _PATTERN_NAMES[pattern]
    if pattern and pattern.startswith("^《"):
        return "法条：书名号中的法律名称，可接条、款、项（中文数字）"
    if pattern and pattern.startswith("^[（("):
        return "案号：（年份）法院代字、类型代字和序号，以“号”结尾"
    return "文字"


def _plain(prop: dict[str, Any]) -> dict[str, Any]:
    options = [option for option in prop.get("anyOf", []) if option.get("type") != "null"]
    return options[0] if len(options) == 1 and "$ref" not in options[0] else prop


def _allowed(prop: dict[str, Any]) -> str:
    values = _plain(prop).get("enum")
    return "、".join(str(value) for value in values) if values else ""


_EXAMPLE = re.compile(r"例如\s*(?P<example>.+)$")


def _example(prop: dict[str, Any]) -> str:
    plain = _plain(prop)
    for holder in (plain, plain.get("items", {}), plain.get("additionalProperties", {})):
        if isinstance(holder, dict) and holder.get("examples"):
            return "、".join(str(value) for value in holder["examples"])
    match = _EXAMPLE.search(prop.get("description", ""))
    if match:
        return match.group("example")
    values = plain.get("enum")
    return str(values[0]) if values else ""


def _rules(prop: dict[str, Any]) -> str:
    parts = [prop.get("description", "")]
    plain = _plain(prop)
    if plain.get("minItems"):
        parts.append(f"至少 {plain['minItems']} 项")
    if plain.get("minProperties"):
        parts.append(f"至少 {plain['minProperties']} 项")
    guide = prop.get(GUIDE)
    if guide:
        parts.append("填写：" + " ".join(line.strip() for line in str(guide).splitlines() if line.strip()))
    return "。".join(part.rstrip("。") for part in parts if part) + "。"


def field_rows(model: type[BaseModel]) -> Iterator[tuple[str, str, str, str, str, str, str]]:
    """For each field of `model`: key, Chinese name, required, type, allowed values, example, rules."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    for key, prop in schema["properties"].items():
        yield (key, str(prop.get("title", key)), "必填" if key in required else "选填", _type(prop),
               _allowed(prop), _example(prop), _rules(prop))


def _cell(text: str) -> Escaped:
    return escape_text(text) if text else Escaped("")


def _table(kind: Kind) -> list[str]:
    lines = [
        f'<a id="{kind.anchor}"></a>',
        "",
        f"### {escape_text(kind.title)}",
        "",
        escape_text(f"写在：{kind.where}。"),
        "",
        "| 字段 | 中文名 | 必填 | 类型 | 可选值 | 例子 | 规则 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, *cells in field_rows(kind.model):
        lines.append("| " + " | ".join([f"`{key}`", *(_cell(cell) for cell in cells)]) + " |")
    return [*lines, ""]


def _value_rules() -> list[str]:
    at_least = "、".join(m for m, q in MARKERS.items() if q is Qualifier.AT_LEAST)
    at_most = "、".join(m for m, q in MARKERS.items() if q is Qualifier.AT_MOST)
    about = "、".join(m for m, q in MARKERS.items() if q is Qualifier.ABOUT)
    synonyms = "；".join(f"“{word}”等同于“{unit}”" for word, unit in UNIT_SYNONYMS.items())
    items = [
        "日期写成 2024-01-14、2024-01 或 2024：报道写到哪一天就写到哪一天，只知道月份写到月，只知道年份写年份。"
        "月或日不能写成 00（规则 9）；日期必须真实存在；行动的结束日期不能早于开始日期。",
        "数字写在 metrics 里，指标名称必须是 data/metrics.yaml 中登记的名称（全称）。",
        "金额（类别为 money 的指标）一律以元为单位：4865元、101.2万元、1.5万元、3亿元，或只写数字 4865。"
        "带小数的数字要加引号写成文字（\"101.2万元\"），或写成整数。",
        f"计数（类别为 count 的指标）写数字和指标的单位：49件、42人，或只写整数 49；"
        f"不能有小数，不能是负数。{synonyms}。"
        "也可以用中文数字：十余次、千余件、两千余人、三千五百人。",
        f"约数照报道写，每个数最多一个约数标记：{at_least}表示不少于（8万余元、800多万元、逾101.2万元）；"
        f"{at_most}表示不到（近30万元）；{about}表示大约（约5万元）。合计里有约数时，合计也标明是约数。",
        "不认可的写法会被检查器指出并给出改法：左右、上下（改用“约”）；以上、超过（改用“逾”或“余”）；"
        "将近、接近（改用“近”）；大约（改用“约”）；若干（写具体的数）。",
        f"金额不能超过 10 万亿元（{LIMITS['money']} 位数），数量不能超过 10 亿（{LIMITS['count']} 位数）。",
        "单位必须与指标一致：金额指标不能写“件”，计数指标不能写“元”，也不能写成别的计数单位。",
        "一个数字有分项时写成 total（合计）加 parts（分项）或 by_agency（各机关的份额）；写 complete: true 时，"
        "检查器核对分项（或份额）之和等于合计（规则 6）。",
        "专项行动的数字不能小于其中已发布案例的同一指标之和（规则 7）。",
        "YAML 会悄悄改掉意思的写法一律报错（规则 3）：12:30 这样的时间、单独的 yes/no/on/off、以 0 开头的数字；"
        "需要时加引号写成文字。",
    ]
    return [f"- {escape_text(item)}" for item in items]


def _privacy_rules() -> list[str]:
    lines = [
        escape_text(
            "每条记录（草稿、待审核和已发布的都一样）的每一处文字都要检查个人信息（规则 8）："
            "标题、摘要、正文各节、当事人、关键词、措施、分项名称、地区、来源的标题、媒体和网址。"
            "当事人只写匿名形式：自然人写姓加“某”或“某某”（张某、覃某某），单位写“某公司”“修文某公司”“甲公司”，"
            "或“19名农民工”这样不指向具体的人的写法。"
            "可以写姓名的只有以职务身份出现的公职人员（“执行局局长王建军”）和来源的作者（sources 的 author）。"
            "检查器拦下下面这些内容："),
        "",
    ]
    seen: set[str] = set()
    for code, message in CATALOGUE.items():
        if message.rule != 8 or code == "privacy.unused_waiver":
            continue
        text = describe_template(message.text)
        if text in seen:
            continue
        seen.add(text)
        example = f"（例如 {message.example}）" if message.example else ""
        lines.append(f"- {escape_text(text + example + '：' + describe_template(message.hint))}")
    lines += [
        "",
        escape_text(
            "检查器把可以公开的内容（如法院公布的诉讼服务电话）误报为个人信息时，在记录的 privacy_reviewed 中"
            "逐字照抄报告的内容并写明理由（见上面的复核豁免）；当事人的姓名、电话、住址不能这样放行。"),
    ]
    return lines


def render_format_page() -> RenderedPage:
    """``guide/format.md``: every field of every record kind and registry, the value and privacy rules."""
    title = address.FORMAT.text
    errors = address.ERRORS.path.rsplit("/", 1)[-1]
    lines = [
        "---",
        f"title: {escape_front_matter(title)}",
        f"description: {escape_front_matter('data/ 中每种记录和登记表的每个字段、数值的写法和个人信息的规则。')}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        escape_text(
            "网站的全部内容来自 data/ 文件夹里的 YAML 文件：典型案例在 data/cases/，专项行动在 data/campaigns/，"
            "一条记录一个文件，文件名（不含 .yaml）就是记录的编号和网址，只能用小写字母、数字和连字符。"
            "记录里用到的机关、专题、指标和法律法规，先在 data/ 下的登记表中登记。"
            "本页由程序根据检查器使用的记录格式生成，始终与检查器一致。"),
        "",
        "[← 返回填报指南](../guide.md)",
        "",
        "## 字段",
        "",
        escape_text("“必填”的字段必须写；“选填”的可以整行省略或留空。没有列出的字段一律报错（规则 2）。"),
        "",
        "## 记录",
        "",
    ]
    for kind in KINDS[:2]:
        lines += _table(kind)
    lines += ["## 登记表", ""]
    optional = "、".join(f"{name}.yaml" for name in sorted(OPTIONAL_REGISTRIES))
    lines += [escape_text(f"登记表中的名称、简称和英文短名全表唯一；{optional} 以外的登记表必须有。"), ""]
    for kind in KINDS[2:]:
        lines += _table(kind)
    lines += ["## 记录中的组成部分", ""]
    for kind in NESTED:
        lines += _table(kind)
    lines += ["## 数值的写法", "", *_value_rules(), "", "## 个人信息", "", *_privacy_rules(), ""]
    lines += [
        "## 规则和报错",
        "",
        escape_text("检查器按下面的规则检查，任何一条不满足都是错误，网站不会生成："),
        "",
        *[f"{number}. {escape_text(text)}" for number, text in sorted(RULES.items())],
        "",
        escape_text("检查器可能给出的每一种问题及改法见") + f"[{escape_text(address.ERRORS.text)}]({errors})。",
        "",
    ]
    return RenderedPage(address.FORMAT.path, "\n".join(lines), None)
