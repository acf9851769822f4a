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
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

# `index` is reserved: it is the address of the list pages.
ID_PATTERN = r"^(?!index$)[a-z0-9][a-z0-9-]*$"
SLUG_PATTERN = r"^(?!index$)[a-z0-9][a-z0-9-]*$"
REGION_PATTERN = r"^[^/\s]+(/[^/\s]+){0,2}$"
URL_PATTERN = r"^https?://[^\s]+$"

AgencyKind = Literal["法院", "检察院", "司法行政", "公安", "其他"]
CampaignKind = Literal["专项行动", "集中执行", "工作成效", "机制建设"]
Procedure = Literal["执行", "审判", "支持起诉", "调解", "法律援助", "检察监督", "其他"]
Outcome = Literal[
    "执行完毕", "执行和解", "分期履行", "终结本次执行", "调解结案", "判决", "撤诉", "支持起诉", "其他"
]
Status = Literal["draft", "review", "published"]
MetricKind = Literal["count", "money"]

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


class Model(BaseModel):
    """Base for every record model: unknown fields are errors, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, regex_engine="python-re")


Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Region = Annotated[str, Field(pattern=REGION_PATTERN)]


# --- Registries ---------------------------------------------------------------------------


class Agency(Model):
    """一个在记录中出现的机关。"""

    name: Text = Field(description="机关全称，全表唯一，例如 呼伦贝尔市中级人民法院")
    aliases: list[Text] = Field(default=[], description="简称，全表唯一，例如 [呼伦贝尔中院]")
    kind: AgencyKind = Field(description="机关类别：法院、检察院、司法行政、公安或其他")
    region: Region = Field(description="所在地区：省[/市[/县]]，例如 内蒙古自治区/呼伦贝尔市")
    slug: Slug = Field(description="网址用的英文短名：小写字母、数字、连字符，例如 hlbe-court")


class Topic(Model):
    """一个专题。"""

    name: Text = Field(description="专题名称，全表唯一，例如 根治欠薪")
    slug: Slug = Field(description="网址用的英文短名，例如 wage-arrears")
    description: Text = Field(description="一句话说明这个专题包括什么")


class Metric(Model):
    """一个记录可以报告的数字指标。"""

    name: Text = Field(description="指标名称，全表唯一，记录中按这个名称填写，例如 执结案件")
    slug: Slug = Field(description="网址和数据下载用的英文短名，例如 cases-closed")
    kind: MetricKind = Field(description="count 表示计数，money 表示金额（单位一律为元）")
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

    title: Text = Field(description="报道或文件的标题")
    publisher: Text | None = Field(default=None, description="刊发的媒体或机关，例如 法治报")
    author: Text | None = Field(default=None, description="作者或记者")
    date: DateField | None = Field(default=None, description="刊发日期：2024-01-14、2024-01 或 2024")
    url: Annotated[str, Field(pattern=URL_PATTERN)] | None = Field(
        default=None, description="网址，只能以 http:// 或 https:// 开头")


class Breakdown(Model):
    """带分项的指标值。"""

    total: ScalarValue = Field(description="合计，例如 121件")
    parts: dict[Text, ScalarValue] = Field(
        min_length=1, description="分项：名称 -> 数值，例如 {劳资纠纷: 6, 其他纠纷: 112}")
    complete: bool = Field(
        default=False, description="true 表示分项齐全，分项之和必须等于合计")


MetricValue = ScalarValue | Breakdown


class Waiver(Model):
    """对一处个人信息检查结果的人工复核豁免。"""

    match: Text = Field(description="检查器报告的原文片段，逐字照抄")
    reason: Text = Field(description="可以公开的理由，例如 公开的机关服务电话")


class Record(Model):
    """专项行动和典型案例共有的字段。"""

    title: Text = Field(description="标题")
    topics: list[Text] = Field(min_length=1, description="所属专题（按 topics.yaml 中的名称），至少一个")
    summary: Text = Field(description="一段话摘要，纯文字")
    metrics: dict[Text, MetricValue] = Field(
        default={}, description="数字指标：指标名称 -> 数值，例如 执结案件: 49件")
    sources: list[Source] = Field(min_length=1, description="来源报道，至少一篇")
    status: Status = Field(description="draft 草稿、review 待审核、published 发布")
    privacy_reviewed: list[Waiver] = Field(
        default=[], description="经人工复核可以公开的检查结果，每项写明原文和理由")


class Campaign(Record):
    """一个专项行动、集中执行、年度工作成效或机制建设。"""

    kind: CampaignKind = Field(description="类型：专项行动、集中执行、工作成效或机制建设")
    agencies: list[Text] = Field(min_length=1, description="参与的机关（全称或简称），至少一个")
    region: Region | None = Field(default=None, description="地区；不填则取各机关共同的地区")
    start: DateField = Field(description="开始日期：2024-01-14、2024-01 或 2024")
    end: DateField | None = Field(default=None, description="结束日期；不填表示一天或仍在进行")
    part_of: Id | None = Field(default=None, description="所属的上级行动的编号（文件名）")
    body: str | None = Field(default=None, description="正文，可用 Markdown")

    @model_validator(mode="after")
    def _end_after_start(self) -> Campaign:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "fazhi_date_order", "结束日期早于开始日期",
                {"start": str(self.start), "end": str(self.end)})
        return self


class Case(Record):
    """一个典型案例。"""

    agency: Text = Field(description="办理机关（全称或简称）")
    campaign: Id | None = Field(default=None, description="所属专项行动的编号（文件名）")
    date: DateField = Field(description="日期：2024-01-14、2024-01 或 2024")
    procedure: Procedure = Field(description="程序：执行、审判、支持起诉、调解、法律援助、检察监督或其他")
    cause: Text | None = Field(default=None, description="案由，例如 劳务合同纠纷")
    parties: dict[Text, list[Text]] = Field(
        default={}, description="当事人：角色 -> 匿名后的名称列表，例如 被执行人: [包某]")
    measures: list[Text] = Field(
        default=[], description="采取的措施，例如 拘传、拘留、罚款、限制高消费、纳入失信、查封、冻结")
    outcome: Outcome = Field(description="结果：执行完毕、执行和解、分期履行、终结本次执行等")
    sections: dict[Text, Text] = Field(
        min_length=1, description="正文各节：标题 -> Markdown，按填写顺序显示，例如 基本案情、办理经过、典型意义")
    keywords: list[Text] = Field(default=[], description="关键词")


RECORD_MODELS: dict[str, type[Record]] = {"campaigns": Campaign, "cases": Case}
REGISTRY_MODELS: dict[str, type[Model]] = {
    "agencies": Agency, "topics": Topic, "metrics": Metric}
