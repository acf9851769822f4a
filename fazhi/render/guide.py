"""The staff guide's error table, generated from the checker's own catalogue.

`render_errors_page` is pure: it turns `fazhi.problems.CATALOGUE` into the page
``guide/errors.md`` (served at ``/guide/errors/``), one row per message the checker can print,
with the contract rule it enforces, the problem, how to fix it and an example where the
catalogue has one. The hand-written guide (``content/guide.md``) links to it. Because the
table is generated, a new message appears in the guide the moment it exists.

Every value is written through `fazhi.text`: the catalogue is code, not data, but it holds
``{placeholders}`` and punctuation that Markdown would otherwise read.
"""

from __future__ import annotations

import re
from string import Formatter

from fazhi.problems import CATALOGUE, Message
from fazhi.render import address
from fazhi.render.kit import RenderedPage
from fazhi.text import Escaped, escape_front_matter, escape_text

__all__ = ["PLACEHOLDERS", "RULES", "describe_template", "render_errors_page"]

#: The contract's rules (records.md, "Rules that make a record an error"), as staff read them.
RULES: dict[int, str] = {
    1: "文件读不出来：YAML 格式错误、字段重复、用 Tab 缩进",
    2: "缺少必填字段、写了不认识的字段，或值的类型不对、不在允许的范围内",
    3: "YAML 会悄悄改掉意思的写法：12:30、单独的 yes/no/on/off、以 0 开头的数字",
    4: "引用了未登记的机关、专题、指标、法律，或找不到的行动编号；牵头机关不在本行动的机关中；part_of 形成循环",
    5: "数值读不懂，或单位与指标不符",
    6: "标注 complete: true 的分项或各机关份额加起来不等于合计；份额写给了不属于本行动的机关",
    7: "行动的数字小于其已发布案例的合计",
    8: "任何记录（不论草稿、待审核还是已发布）里有个人信息",
    9: "不安全的写法：YAML 锚点、引用、合并键和标签，嵌套过深，月或日写成 00，记录文件是链接或不是普通文件，"
       "文字里有 HTML 标签，数字大得不合常理",
}

_NUMERALS = "零一二三四五六七八九十"

#: What a placeholder in a message stands for, shown as 〈…〉 in the table. Every placeholder of
#: the catalogue has a name here (tests/test_catalogue.py checks it).
PLACEHOLDERS: dict[str, str] = {
    "encoding": "编码", "name": "名称", "found": "实际写的类型", "key": "字段名", "first_line": "行号",
    "description": "字段说明", "close": "最接近的名称", "allowed": "允许的值", "value": "所写的值",
    "start": "开始日期", "end": "结束日期", "cycle": "循环的编号", "status": "状态",
    "parts": "分项之和", "total": "合计", "metric": "指标", "campaign_value": "行动的数值",
    "cases_value": "案例的合计", "cases": "案例编号", "reading": "YAML 的读法",
    "tag": "类型标记", "limit": "层数上限", "digits": "位数", "kind": "文件种类", "part": "月份或日",
    "folder": "记录文件夹", "agencies": "本行动的机关",
    "dash": "所写的横线", "bare": "去掉引号后的值", "separator": "所写的分隔符",
    "fixed": "改好的写法", "char": "字符编码", "char_name": "字符名称", "count": "处数",
    "match": "发现的内容", "role": "身份词", "surname": "姓", "quantity": "数量或金额", "unit": "单位",
    "word": "约数词", "marker": "认可的约数词", "markers": "约数标记", "form": "应写成的形式",
    "at_least": "“余”的写法", "numeral": "中文数字", "amount": "换算后的数", "type": "类型",
}

_CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def describe_template(template: str) -> str:
    """A catalogue text with its placeholders named in Chinese: ``缺少必填字段“〈名称〉”``.

    `KeyError` for a placeholder without a name, so that the page never shows a generic gap.
    """
    parts = []
    for literal, name, _, _ in Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(f"〈{PLACEHOLDERS[name]}〉")
    return "".join(parts)


def _cell(text: str) -> Escaped:
    return escape_text(text) if text else Escaped("")


def _row(code: str, message: Message) -> str:
    if not _CODE.match(code):
        raise ValueError(f"unexpected message code: {code!r}")
    cells = [
        Escaped(f"`{code}`"),
        escape_text(str(message.rule)),
        _cell(describe_template(message.text)),
        _cell(describe_template(message.hint)),
        _cell(message.example),
    ]
    return "| " + " | ".join(cells) + " |"


def render_errors_page() -> RenderedPage:
    """``guide/errors.md``: every message the checker can print, by contract rule."""
    title = address.ERRORS.text
    lines = [
        "---",
        f"title: {escape_front_matter(title)}",
        f"description: {escape_front_matter('python build_stats.py check 可能给出的每一种问题、对应的规则和改法。')}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        escape_text("运行") + " `python build_stats.py check` " + escape_text(
            "时，每个问题占一行，格式是“文件:行:列: 问题 — 怎么改”。下表列出检查器可能给出的全部问题；"
            "表中“〈…〉”的地方，实际报错会换成具体的字段、数值或名称。"),
        "",
        "[← 返回填报指南](../guide.md)",
        "",
        f"## {_NUMERALS[len(RULES)]}条规则",
        "",
    ]
    lines += [f"{number}. {escape_text(text)}" for number, text in sorted(RULES.items())]
    lines += [
        "",
        "## 全部问题",
        "",
        "| 代码 | 规则 | 问题 | 怎么改 | 例子 |",
        "| --- | --- | --- | --- | --- |",
    ]
    ordered = sorted(CATALOGUE.items(), key=lambda item: item[1].rule)  # stable: catalogue order
    lines += [_row(code, message) for code, message in ordered]
    return RenderedPage(address.ERRORS.path, "\n".join(lines) + "\n", None)
