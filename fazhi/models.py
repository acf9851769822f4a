"""The record format as typed models: one model per record kind, one field a line.

These models are the single source of the schema: the checker validates with them and the
JSON Schema for editors is generated from them. Descriptions are Chinese because staff read
them as hover help. Cross-record rules (names that must exist, totals, privacy) live in
`fazhi.validate`; here is only what one record can tell about itself.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

#: An id (a record's file name) or a slug: one part of a page address (`fazhi.render.address`).
#: `index` is reserved: it is the address of the list pages.
ADDRESS_PART = r"^(?!index$)[a-z0-9][a-z0-9-]*$"
#: The name `fazhi.records` reads record ids with.
ID_PATTERN = ADDRESS_PART
REGION_PATTERN = r"^[^/\s]+(/[^/\s]+){0,2}$"
URL_PATTERN = r"^https?://[^\s]+$"
#: Chinese numerals as articles are numbered: 第一百零九条.
_NUMERAL = "[零〇一二三四五六七八九十百千]+"
_ARTICLE = f"第{_NUMERAL}条(?:之{_NUMERAL})?(?:第{_NUMERAL}款)?(?:第{_NUMERAL}项)?"
#: A cited law: its name in 《》 (a title inside it in 〈〉), then optional articles joined by 、.
LAW_PATTERN = re.compile(f"《(?P<law>[^《》]+)》(?P<articles>{_ARTICLE}(?:、{_ARTICLE})*)?")
#: One article of a citation's articles.
ARTICLE_PATTERN = re.compile(_ARTICLE)
#: A court case number (案号): （year）court code, case type, number 号, e.g. （2024）内0702执123号.
CASE_NUMBER_PATTERN = re.compile(
    r"[（(](?P<year>[0-9]{4})[）)](?P<court>[\u4e00-\u9fff]{1,3}[0-9]{0,4})"
    r"(?P<type>[\u4e00-\u9fff]{1,4})(?P<number>[0-9]+)号")

AgencyKind = Literal["法院", "检察院", "司法行政", "公安", "其他"]
CampaignKind = Literal["专项行动", "集中执行", "工作成效", "机制建设"]
Procedure = Literal["执行", "审判", "支持起诉", "调解", "法律援助", "检察监督", "其他"]
Outcome = Literal[
    "执行完毕", "执行和解", "分期履行", "终结本次执行", "调解结案", "判决", "撤诉", "支持起诉", "其他"
]
Status = Literal["draft", "review", "published"]
MetricKind = Literal["count", "money"]

#: The usual sections of a typical case, in the order the press uses; a new case starts with them.
CASE_SECTIONS = ("基本案情", "办理经过", "典型意义")

#: Key of a field's `json_schema_extra` that holds how to fill it in, beyond its description:
#: for the template of a new record (`fazhi.scaffold`); `fazhi.schema` leaves it out.
GUIDE = "guide"


def one_of(choices: Any) -> str:
    """A `Literal`'s values as Chinese prose: ``法院、检察院、司法行政、公安或其他``."""
    values = [str(value) for value in get_args(choices)]
    return "、".join(values[:-1]) + "或" + values[-1]


def some_of(choices: Any, *picked: str) -> str:
    """Some of a `Literal`'s values, joined with ``、``; `ValueError` for one it does not allow."""
    unknown = [value for value in picked if value not in get_args(choices)]
    if unknown:
        raise ValueError(f"not allowed values: {unknown}")
    return "、".join(picked)


def labels_of(choices: Any, labels: dict[str, str]) -> dict[str, str]:
    """`labels` (value -> Chinese label) in the `Literal`'s order; `ValueError` unless it names every value."""
    values = get_args(choices)
    if set(labels) != set(values):
        raise ValueError(f"labels {sorted(labels)} do not match the values {list(values)}")
    return {value: labels[value] for value in values}


def guide(text: str) -> dict[str, Any]:
    """``json_schema_extra`` for a field: `text` tells staff how to fill it in (new-record template)."""
    return {GUIDE: text}


def field_guide(model: type[BaseModel], name: str) -> str:
    """The guidance `guide` gave the field `name` of `model` ("" when none)."""
    extra = model.model_fields[name].json_schema_extra
    return str(extra.get(GUIDE, "")) if isinstance(extra, dict) else ""


STATUS_LABELS = labels_of(Status, {"draft": "草稿", "review": "待审核", "published": "发布"})
METRIC_KIND_LABELS = labels_of(MetricKind, {"count": "计数", "money": "金额"})

# ASCII digits only (`\d` would take full-width and other scripts' digits), matched in full.
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as the source gives it: a year, a month or a day."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How precise the source was."""
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def chinese(self) -> str:
        """The date as a Chinese reader writes it: 2024年1月14日, 2024年1月, 2024年."""
        text = f"{self.year}年"
        if self.month:
            text += f"{self.month}月"
        if self.day:
            text += f"{self.day}日"
        return text


def parse_date(value: Any) -> PartialDate:
    """Read `2024-01-14`, `2024-01` or `2024` (an int when YAML read a bare year).

    A month or day written as 00 is an error (rule 9), not a less precise date: an unknown
    month is left out (`2024`), never written as `2024-00`.
    """
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999:
        value = str(value)
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise PydanticCustomError("fazhi_date", "日期无法识别", {"value": _shown(value)})
    year, month, day = (int(part) if part is not None else None for part in match.groups())
    if month == 0 or day == 0:
        part = "月份" if month == 0 else "日"
        raise PydanticCustomError("fazhi_date_zero", "日期的月或日是 00", {"value": str(value), "part": part})
    try:
        datetime.date(year or 0, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise PydanticCustomError("fazhi_date", "日期不存在", {"value": str(value)}) from None
    return PartialDate(year or 0, month or 0, day or 0)


def _shown(value: Any) -> str:
    text = str(value) if not isinstance(value, int) or abs(value) < 10**40 else "很大的数"
    return text if len(text) <= 40 else text[:40] + "…"


DateField = Annotated[
    PartialDate,
    PlainValidator(parse_date),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
            {"type": "integer", "minimum": 1949, "maximum": 2100},
        ],
        "examples": ["2024-01-14", "2024-01", "2024"],
    }),
]


def check_scalar_value(value: Any) -> int | Decimal | str:
    """A metric value as written: a whole number, a decimal or press-style text."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise PydanticCustomError(
            "fazhi_metric_value", "指标的值应为数字或文字", {"found": type(value).__name__})
    return value


ScalarValue = Annotated[
    int | Decimal | str,
    PlainValidator(check_scalar_value),
    WithJsonSchema({
        "anyOf": [{"type": "number"}, {"type": "string"}],
        "description": "数字，或按报道写法：49件、101.2万元、8万余元、近30万元、约5万元",
        "examples": [49, "49件", "101.2万元", "300余人", "近30万元"],
    }),
]


_LABEL_END = re.compile(r"[，：；（(]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def field_title(name: str, info: FieldInfo) -> str:
    """A field's Chinese title for hover help: its description up to the first comma, colon or bracket.

    Used for the fields that set no `title`; one whose description starts with no Chinese
    label (``draft 草稿、…``) sets its own.
    """
    label = _LABEL_END.split(info.description or "", maxsplit=1)[0].strip()
    return name if not label or _ASCII_LETTER.search(label) else label


class Model(BaseModel):
    """Base for every record model: unknown fields are errors, types are not coerced.

    Each model's Chinese `title` (in its config) heads its hover help; so does each field's
    (`field_title`).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re",
                              field_title_generator=field_title)


Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=ADDRESS_PART)]
Slug = Id
Region = Annotated[str, Field(pattern=REGION_PATTERN)]


# --- Registries ---------------------------------------------------------------------------


class Agency(Model):
    """一个在记录中出现的机关。"""

    model_config = ConfigDict(title="机关")

    name: Text = Field(description="机关全称，全表唯一，例如 呼伦贝尔市中级人民法院")
    aliases: list[Text] = Field(default=[], description="简称，全表唯一，例如 [呼伦贝尔中院]")
    kind: AgencyKind = Field(description=f"机关类别：{one_of(AgencyKind)}")
    region: Region = Field(description="所在地区：省[/市[/县]]，例如 内蒙古自治区/呼伦贝尔市")
    slug: Slug = Field(description="网址用的英文短名：小写字母、数字、连字符，例如 hlbe-court")


class Topic(Model):
    """一个专题。"""

    model_config = ConfigDict(title="专题")

    name: Text = Field(description="专题名称，全表唯一，例如 根治欠薪")
    slug: Slug = Field(description="网址用的英文短名，例如 wage-arrears")
    description: Text = Field(description="一句话说明这个专题包括什么")


class Law(Model):
    """一部在典型案例中引用的法律、法规或司法解释。"""

    model_config = ConfigDict(title="法律法规")

    name: Text = Field(description="正式全称，不带书名号，全表唯一，例如 中华人民共和国民事诉讼法")
    aliases: list[Text] = Field(default=[], description="简称，不带书名号，全表唯一，例如 [民事诉讼法]")
    slug: Slug = Field(description="网址用的英文短名：小写字母、数字、连字符，例如 civil-procedure-law")


class Metric(Model):
    """一个记录可以报告的数字指标。"""

    model_config = ConfigDict(title="指标")

    name: Text = Field(description="指标名称，全表唯一，记录中按这个名称填写，例如 执结案件")
    slug: Slug = Field(description="网址和数据下载用的英文短名，例如 cases-closed")
    kind: MetricKind = Field(title="类别", description="，".join(
        f"{value} 表示{label}" for value, label in METRIC_KIND_LABELS.items()) + "（单位一律为元）")
    unit: Text = Field(description="计数的单位（件、人、人次、场、次……）；金额写 元")
    description: str | None = Field(default=None, description="指标的准确含义")

    @model_validator(mode="after")
    def _money_in_yuan(self) -> Metric:
        if self.kind == "money" and self.unit != "元":
            raise PydanticCustomError(
                "fazhi_money_unit", "金额指标的单位必须是元", {"value": self.unit})
        return self


# --- Records ------------------------------------------------------------------------------


class Source(Model):
    """一篇报道或文件。"""

    model_config = ConfigDict(title="来源报道")

    title: Text = Field(description="报道或文件的标题")
    publisher: Text | None = Field(default=None, description="刊发的媒体或机关，例如 法治报")
    author: Text | None = Field(default=None, description="作者或记者")
    date: DateField | None = Field(default=None, description="刊发日期：2024-01-14、2024-01 或 2024")
    url: Annotated[str, Field(pattern=URL_PATTERN)] | None = Field(
        default=None, description="网址，只能以 http:// 或 https:// 开头")


class Breakdown(Model):
    """带分项的指标值。"""

    model_config = ConfigDict(title="带分项的指标值")

    total: ScalarValue = Field(description="合计，例如 121件")
    parts: dict[Text, ScalarValue] = Field(
        default={}, description="分项：名称 -> 数值，例如 {劳资纠纷: 6, 其他纠纷: 112}")
    by_agency: dict[Text, ScalarValue] = Field(
        default={}, title="各机关的份额",
        description="联合行动中各机关的份额：机关名称 -> 数值，例如 {海拉尔区人民法院: 61.2万元}；机关须是本行动的机关")
    complete: bool = Field(
        default=False, title="分项是否齐全",
        description="true 表示分项（或各机关的份额）齐全，其和必须等于合计")

    @model_validator(mode="after")
    def _has_items(self) -> Breakdown:
        if not self.parts and not self.by_agency:
            raise PydanticCustomError("fazhi_breakdown_empty", "分项和份额都没有填写", {})
        return self


MetricValue = ScalarValue | Breakdown


class Release(Model):
    """把案例作为典型案例发布的机关和批次。"""

    model_config = ConfigDict(title="发布信息")

    by: Text = Field(description="发布者：登记的机关名称（全称或简称），或其他发布单位的名称")
    title: Text | None = Field(default=None, description="发布的标题或批次，例如 2024年涉民生执行典型案例")
    date: DateField = Field(description="发布日期：2024-03-14、2024-03 或 2024")


def check_law(value: Any) -> str:
    """A cited law as written: 《name》 and optional articles in Chinese numerals."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "应为文字", {})
    if not LAW_PATTERN.fullmatch(value.strip()):
        raise PydanticCustomError("fazhi_law", "法条格式不对", {"value": _shown(value)})
    return value.strip()


def check_case_number(value: Any) -> str:
    """A case number (案号) as published: （2024）内0702执123号."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "应为文字", {})
    if not CASE_NUMBER_PATTERN.fullmatch(value.strip()):
        raise PydanticCustomError("fazhi_case_number", "案号格式不对", {"value": _shown(value)})
    return value.strip()


LawCitation = Annotated[str, PlainValidator(check_law), WithJsonSchema({
    "type": "string", "pattern": "^《[^《》]+》(第[零〇一二三四五六七八九十百千]+条.*)?$",
    "examples": ["《中华人民共和国民事诉讼法》第一百零九条", "《保障农民工工资支付条例》"],
})]
CaseNumber = Annotated[str, PlainValidator(check_case_number), WithJsonSchema({
    "type": "string", "pattern": "^[（(][0-9]{4}[）)].+[0-9]+号$", "examples": ["（2024）内0702执123号"],
})]


class Waiver(Model):
    """对一处个人信息检查结果的人工复核豁免。"""

    model_config = ConfigDict(title="个人信息复核豁免")

    match: Text = Field(description="检查器报告的原文片段，逐字照抄")
    reason: Text = Field(description="可以公开的理由，例如 公开的机关服务电话")


# Campaigns and cases share these fields. Each kind declares them among its own fields in the
# contract's order (records.md), which is also the order of a new record's template: pydantic
# would put fields inherited from a base class first.
_AGENCY_GUIDE = "写 data/agencies.yaml 中登记的全称或简称；新的机关先在那里登记。"

Title = Annotated[Text, Field(description="标题")]
Topics = Annotated[list[Text], Field(
    min_length=1, description="所属专题（按 topics.yaml 中的名称），至少一个",
    json_schema_extra=guide("写成 [根治欠薪, 涉民生执行] 这样的列表。"))]
Summary = Annotated[Text, Field(
    description="一段话摘要，纯文字", json_schema_extra=guide("写在同一行；当事人一律匿名。"))]
Metrics = Annotated[dict[Text, MetricValue], Field(
    description="数字指标：指标名称 -> 数值，例如 执结案件: 49件",
    json_schema_extra=guide(
        "把 {} 换成每个指标一行，例如：\n  执结案件: 49件\n  执行到位金额: 101.2万元\n"
        "金额一律以元为单位，可写 4865元、101.2万元；约数照报道写 8万余元、近30万元、约5万元。\n"
        "几个机关联合开展的行动，报道写明各机关的份额时（只写报道写明的）：\n"
        "  执结标的:\n    total: 101.2万元\n    by_agency: {甲法院: 40万元, 乙法院: 61.2万元}\n"
        "    complete: true"))]
Sources = Annotated[list[Source], Field(
    min_length=1, description="来源报道，至少一篇",
    json_schema_extra=guide("每篇报道以“- title:”开头；有几篇就写几项。"))]
PublicationStatus = Annotated[Status, Field(
    title="发布状态", description="、".join(f"{value} {label}" for value, label in STATUS_LABELS.items()),
    json_schema_extra=guide(
        "新记录保持 draft；写完请人审核时改为 review；审核通过后改为 published 才会出现在网站上。"))]
PrivacyReviewed = Annotated[list[Waiver], Field(
    description="经人工复核可以公开的检查结果，每项写明原文和理由",
    json_schema_extra=guide(
        "只在检查器把可以公开的内容（如机关的服务电话）误报为个人信息时使用。"
        "把 [] 换成：\n  - match: 检查器报告的原文，逐字照抄\n    reason: 可以公开的理由"))]


class Record(Model):
    """专项行动和典型案例共有的字段（标题、专题、摘要、指标、来源、状态、复核豁免）。"""


class Campaign(Record):
    """一个专项行动、集中执行、年度工作成效或机制建设。"""

    model_config = ConfigDict(title="专项行动")

    title: Title
    kind: CampaignKind = Field(description=f"类型：{one_of(CampaignKind)}")
    agencies: list[Text] = Field(min_length=1, description="参与的机关（全称或简称），至少一个",
                                 json_schema_extra=guide(_AGENCY_GUIDE))
    region: Region | None = Field(default=None, description="地区；不填则取各机关共同的地区")
    start: DateField = Field(description="开始日期：2024-01-14、2024-01 或 2024")
    end: DateField | None = Field(
        default=None, description="结束日期；只进行一天的行动写与开始日期相同的日期；不填表示仍在进行或报道未说明",
        json_schema_extra=guide(
            "一天的行动写与 start 相同的日期；还在进行或不知道何时结束就留空（网站显示为“……起”）。"))
    lead: Text | None = Field(
        default=None, description="牵头机关：agencies 中的一个（全称或简称）",
        json_schema_extra=guide("只在报道写明由哪个机关牵头、组织时填写；不知道就留空。"))
    topics: Topics
    part_of: Id | None = Field(default=None, description="所属的上级行动的编号（文件名）",
                               json_schema_extra=guide("没有上级行动就留空。"))
    summary: Summary
    metrics: Metrics = {}
    body: str | None = Field(default=None, description="正文，可用 Markdown", json_schema_extra=guide(
        "不需要就留空。要写时，冒号后写 |，正文从下一行开始，缩进两个空格，可以分多段：\n"
        "  body: |\n    行动于1月14日清晨展开……"))
    sources: Sources
    status: PublicationStatus
    privacy_reviewed: PrivacyReviewed = []

    @model_validator(mode="after")
    def _end_after_start(self) -> Campaign:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "fazhi_date_order", "结束日期早于开始日期",
                {"start": str(self.start), "end": str(self.end)})
        return self


class Case(Record):
    """一个典型案例。"""

    model_config = ConfigDict(title="典型案例")

    title: Title
    agency: Text = Field(description="办理机关（全称或简称）", json_schema_extra=guide(_AGENCY_GUIDE))
    campaign: Id | None = Field(default=None, description="所属专项行动的编号（文件名）",
                                json_schema_extra=guide("不属于任何行动就留空。"))
    date: DateField = Field(description="日期：2024-01-14、2024-01 或 2024")
    procedure: Procedure = Field(description=f"程序：{one_of(Procedure)}")
    cause: Text | None = Field(default=None, description="案由，例如 劳务合同纠纷")
    case_number: CaseNumber | None = Field(
        default=None, title="案号", description="案号，按发布时的写法，例如 （2024）内0702执123号",
        json_schema_extra=guide("只在发布的案例写明案号时填写，照抄；没有公布案号就留空。"))
    topics: Topics
    parties: dict[Text, list[Text]] = Field(
        default={}, description="当事人：角色 -> 匿名后的名称列表，例如 被执行人: [包某]",
        json_schema_extra=guide(
            "把 {} 换成每个角色一行，例如：\n  申请执行人: [徐某]\n  被执行人: [包某]\n"
            "自然人只写姓加“某”（张某、覃某某），单位写“某公司”“甲公司”；"
            "不写身份证号、电话、银行卡号、住址。没有当事人可写就保留 {}。"))
    measures: list[Text] = Field(
        default=[], description="采取的措施，例如 拘传、拘留、罚款、限制高消费、纳入失信、查封、冻结",
        json_schema_extra=guide("例如 [拘传, 限制高消费]；没有就保留 []。"))
    outcome: Outcome = Field(description=f"结果：{'、'.join(get_args(Outcome)[:4])}等")
    metrics: Metrics = {}
    summary: Summary
    gist: Text | None = Field(
        default=None, title="要旨", description="要旨：一两句话概括裁判要点或典型意义的核心，纯文字",
        json_schema_extra=guide("写在同一行；发布的案例没有要旨可以留空。"))
    sections: dict[Text, Text] = Field(
        min_length=1, description=f"正文各节：标题 -> Markdown，按填写顺序显示，例如 {'、'.join(CASE_SECTIONS)}",
        json_schema_extra=guide(
            "把 \"\" 换成这一节的正文。正文较长时写成下面这样：冒号后写 |，"
            "正文从下一行开始，比小标题多缩进两个空格，可以分多段：\n"
            "  基本案情: |\n    某公司拖欠19名农民工工资……\n\n    （第二段）\n"
            "不需要的小节整行删除，也可以增加小节。"))
    laws: list[LawCitation] = Field(
        default=[], title="相关法条",
        description="相关法条：每项是书名号中的法律名称，可接条、款、项，例如 《中华人民共和国民事诉讼法》第一百零九条",
        json_schema_extra=guide(
            "只写发布的案例列明的法条，每项一行：\n  - 《中华人民共和国民事诉讼法》第一百零九条\n"
            "条、款、项用中文数字；法律须在 data/laws.yaml 中登记（全称或简称）。没有就保留 []。"))
    keywords: list[Text] = Field(default=[], description="关键词",
                                 json_schema_extra=guide("例如 [拘传, 劳务费]；没有就保留 []。"))
    release: Release | None = Field(
        default=None, title="发布信息", description="谁在何时把本案作为典型案例发布：by 发布者、title 批次、date 日期",
        json_schema_extra=guide(
            "只在案例经机关作为典型案例发布时填写，写成：\n  release:\n    by: 呼伦贝尔市中级人民法院\n"
            "    title: 2024年涉民生执行典型案例\n    date: 2024-03\n没有就留空。"))
    sources: Sources
    status: PublicationStatus
    privacy_reviewed: PrivacyReviewed = []


RECORD_MODELS: dict[str, type[Record]] = {"campaigns": Campaign, "cases": Case}
REGISTRY_MODELS: dict[str, type[Model]] = {
    "agencies": Agency, "topics": Topic, "metrics": Metric, "laws": Law}
#: Registries a data folder may leave out: a folder written before they existed stays valid.
OPTIONAL_REGISTRIES = frozenset({"laws"})
