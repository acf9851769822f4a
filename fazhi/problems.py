"""Problems found in the data, and the catalogue of every message the checker can print.

Every problem names a file, a line, a column, the field, what is wrong and how to fix it,
all in Chinese. The catalogue is the single source of the wording: the checker formats
from it and the staff guide's error table is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """One kind of problem: the contract rule it enforces, its wording and its fix."""

    rule: int
    text: str
    hint: str
    example: str = ""


CATALOGUE: dict[str, Message] = {
    # Rule 1: files and YAML syntax.
    "file.encoding": Message(
        1, "文件不是 UTF-8 编码（看起来是 {encoding}）",
        "在编辑器里选择“另存为”，编码选 UTF-8 后保存", "用 Windows 记事本另存的 GBK 文件"),
    "file.empty": Message(1, "文件是空的", "按模板填写记录，或删除这个文件"),
    "file.not_mapping": Message(
        1, "文件的最外层应是“字段: 值”的映射，现在是{found}",
        "去掉行首的“- ”，每个字段顶格写成“title: …”这样的形式"),
    "file.not_list": Message(
        1, "登记表的最外层应是列表（每项以“- ”开头），现在是{found}",
        "每一项写成“- name: …”，下面的字段缩进两个空格"),
    "file.missing": Message(
        1, "缺少登记表 {name}", "在 data/ 下创建 {name}，格式见 README 的“登记表”一节"),
    "file.extension": Message(
        1, "记录文件夹里有不是 .yaml 的文件“{name}”",
        "把扩展名改成 .yaml（不是 .yml 或 .txt），或把它移出 data/ 文件夹"),
    "file.bad_id": Message(
        1, "文件名“{name}”不能作为记录编号",
        "文件名只用小写英文字母、数字和连字符，以字母或数字开头，不能是 index，例如 2024-hlbe-xinchun.yaml"),
    "yaml.syntax": Message(1, "YAML 格式错误：{detail}", "{fix}"),
    "yaml.duplicate_key": Message(
        1, "字段“{key}”重复出现（第 {first_line} 行已经写过）",
        "删除其中一处，或把两处的内容合并"),
    "yaml.tab": Message(
        1, "这一行用 Tab 键缩进",
        "YAML 只能用空格缩进：删除 Tab，改为空格（每级两个空格）"),
    "yaml.key_type": Message(1, "字段名必须是文字", "检查这一行冒号前的内容"),
    "file.unreadable": Message(
        1, "无法读取“{name}”", "检查这个文件是否允许读取（文件权限），或在编辑器里重新保存它"),
    # Rule 9 (version 2): what records must write out, and what files may be.
    "yaml.anchor": Message(
        9, "这里用了 YAML 锚点“&{name}”", "记录里每个值都要完整写出：删除“&{name}”，不用锚点和引用",
        "a: &甲 执结案件"),
    "yaml.alias": Message(
        9, "这里用了 YAML 引用“*{name}”，检查器不展开引用，这个值当作没有填写",
        "删除“*{name}”，在这里把值完整写出来", "b: *甲"),
    "yaml.merge": Message(
        9, "这里用了 YAML 合并键“<<”，检查器不合并", "删除“<<”这一行，把要用的字段逐个完整写在这里",
        "<<: *模板"),
    "yaml.tag": Message(
        9, "这里用了 YAML 类型标记“{tag}”",
        "删除“{tag}”，把值照原样写出；如果它必须是文字（例如全是数字的编号），给它加引号",
        "title: !!str 123"),
    "yaml.too_deep": Message(
        9, "这里嵌套得太深（超过 {limit} 层），文件没有继续读取",
        "记录最多只嵌套几层：对照模板检查缩进和括号，删除多余的括号或“- ”"),
    "yaml.long_number": Message(
        9, "数字“{value}”有 {digits} 位，不可能是报道里的数字",
        "核对原文：金额不超过 10 万亿元，数量不超过 10 亿；如果这是编号等文字，给它加引号"),
    "file.symlink": Message(
        9, "“{name}”是符号链接（快捷方式），检查器不读取它指向的内容", "{fix}"),
    "file.directory": Message(9, "“{name}”是文件夹，不是{expected}", "{fix}"),
    "file.not_regular": Message(
        9, "“{name}”不是普通文件（是{kind}），检查器不读取它",
        "删除它：记录和登记表必须是普通的 .yaml 文本文件"),
    # Rule 2: fields and types.
    "field.missing": Message(
        2, "缺少必填字段“{name}”", "添加一行“{name}: …”（{description}）"),
    "field.unknown": Message(
        2, "未知字段“{name}”", "{suggestion}可用的字段有：{allowed}"),
    "field.choice": Message(
        2, "“{value}”不是允许的值", "从这些值中选一个：{allowed}"),
    "field.type": Message(2, "应为{expected}，现在是{found}", "{fix}"),
    "field.empty": Message(2, "至少要填一项", "{fix}"),
    "field.blank": Message(2, "还没有填写", "填写{description}，不能留空"),
    "field.format": Message(2, "格式不对：“{value}”", "{fix}"),
    "field.date": Message(
        2, "日期“{value}”无法识别", "写成 2024-01-14，只知道月份写 2024-01，只知道年份写 2024"),
    "field.date_zero": Message(
        9, "日期“{value}”的{part}写成了 00", "不知道月份时只写年份（如 2024），不知道哪一天时只写到月（如 2024-01）",
        "2024-00、2024-01-00"),
    "field.date_order": Message(
        2, "结束日期 {end} 早于开始日期 {start}", "检查 start 和 end 是否写反"),
    "registry.duplicate": Message(
        2, "“{value}”在登记表中重复（第 {first_line} 行已经用过）",
        "名称、简称和 slug 在整个登记表中都不能重复，改成不同的写法"),
    # Rule 3: YAML 1.1 reinterpretations.
    "yaml.bool_word": Message(
        3, "“{value}”会被 YAML 当成是/否（布尔值），而不是文字",
        "如果是文字，加引号写成 \"{value}\"；如果是是/否，写 true 或 false"),
    "yaml.sexagesimal": Message(
        3, "“{value}”会被 YAML 当成六十进制数（{reading}），而不是时间或文字",
        "加引号写成 \"{value}\""),
    "yaml.leading_zero": Message(
        3, "“{value}”以 0 开头，YAML 会把它当成八进制或去掉开头的 0",
        "如果是编号等文字，加引号写成 \"{value}\"；如果是数字，去掉开头的 0"),
    # Rule 4: references.
    "ref.agency": Message(4, "未登记的机关“{value}”", "{suggestion}"),
    "ref.topic": Message(4, "未登记的专题“{value}”", "{suggestion}"),
    "ref.metric": Message(4, "未登记的指标“{value}”", "{suggestion}"),
    "ref.campaign": Message(4, "找不到编号为“{value}”的专项行动", "{suggestion}"),
    "ref.cycle": Message(
        4, "part_of 形成了循环：{cycle}", "一个行动只能隶属于更大的行动，去掉其中一处 part_of"),
    "ref.unpublished": Message(
        4, "已发布的记录引用了未发布的“{value}”（status: {status}）",
        "先发布被引用的记录，或把本记录的 status 改为 draft / review"),
    # Rule 5: values.
    "value.unparsable": Message(5, "数值“{value}”无法识别", "{fix}"),
    "value.unit_mismatch": Message(5, "数值“{value}”的单位不对：{detail}", "{fix}"),
    "value.invalid": Message(5, "数值“{value}”不符合要求：{detail}", "{fix}"),
    # Rule 6: breakdowns.
    "breakdown.sum": Message(
        6, "分项之和 {parts} 与合计 {total} 不相等，但标注了 complete: true",
        "核对各分项和合计；如果分项不全，删除 complete: true"),
    # Rule 7: campaign totals against its cases.
    "campaign.below_cases": Message(
        7, "“{metric}”为 {campaign_value}，小于其已发布典型案例的合计 {cases_value}（{cases}）",
        "核对行动的数字和各案例的数字，行动的合计不能小于其中案例之和"),
    # Rule 8: personal data, in every string of every record whatever its status.
    "privacy.finding": Message(
        8, "{detail}", "{fix}",
        "被执行人张建国、当事人名称“张某（张建国）”、电话138 0013 8000、身份证号、…村3组12号"),
    "privacy.unused_waiver": Message(
        8, "privacy_reviewed 中的“{value}”在记录里找不到",
        "豁免必须逐字引用检查器报告的内容；不再需要时删除这一项"),
    # Rule 9: HTML tags in text.
    "markup.html": Message(
        9, "发现 HTML 标签“{tag}”{more}",
        "删去 HTML 标签，写纯文字或 Markdown；需要小于号时写全角“＜”", "<div>、<br/>、<!-- 注释"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. Ordered by file, line and column for the report."""

    path: str
    line: int
    column: int
    code: str = field(compare=False)
    field_name: str = field(default="", compare=False)
    message: str = field(default="", compare=False)
    hint: str = field(default="", compare=False)

    @property
    def rule(self) -> int:
        """The contract rule (1–9) this problem enforces."""
        return CATALOGUE[self.code].rule

    def format(self) -> str:
        """`path:line:column: 问题 — 怎么改`, the line staff read."""
        where = f"字段 {self.field_name}：" if self.field_name else ""
        return f"{self.path}:{self.line}:{self.column}: {where}{self.message} — {self.hint}"


def make_problem(
    code: str, path: str, line: int, column: int, field_name: str = "", **params: Any
) -> Problem:
    """Build a problem from the catalogue, filling its wording with `params`."""
    message = CATALOGUE[code]
    return Problem(
        path=path,
        line=line,
        column=column,
        code=code,
        field_name=field_name,
        message=message.text.format(**params),
        hint=message.hint.format(**params),
    )


class DataError(Exception):
    """Raised by the pipeline when the data has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = sorted(problems)

    def report(self) -> str:
        """All problems, one a line, then a one-line Chinese summary."""
        lines = [p.format() for p in self.problems]
        files = len({p.path for p in self.problems})
        lines.append(f"共 {len(self.problems)} 个问题，涉及 {files} 个文件。改正后重新运行检查。")
        return "\n".join(lines)
