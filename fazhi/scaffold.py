"""Staff commands: `new case|campaign` writes a record to fill in; `schema` writes the schemas.

`python build_stats.py new case --agency 海拉尔区人民法院` creates ``data/cases/<id>.yaml``
with every field of the record, each under a Chinese comment that says what it means, whether
it is required and which values it allows. The fields come in the models' declaration order;
the comments come from the models' descriptions and allowed values (through `fazhi.schema`)
and their guidance (`fazhi.models.guide`), so the template, the editor's hover help and the
checker's messages never disagree. Only what depends on the registries (the topics, metrics
and campaigns one may name) is added here. Required fields that need the writer's words start empty
(``""``, ``[]``), so that `check` points at each of them until it is filled in; the file is
valid YAML from the start and begins with the line that tells the editor which schema to use.

`python build_stats.py schema` rewrites ``schemas/*.schema.json``; with ``--check`` it only
reports whether they are up to date (exit 1 when not), for CI and pre-commit.

The argparse wiring (`add_commands`) lives here too, so `fazhi.cli` only registers it.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fazhi.models import ADDRESS_PART, CASE_SECTIONS, Agency, Law, Metric, PartialDate, Topic, field_guide, parse_date
from fazhi.records import read_data
from fazhi.schema import SCHEMAS, SchemaKind, build_schema, stale_schemas, write_schemas

__all__ = [
    "ScaffoldError",
    "add_commands",
    "find_agency",
    "new_record",
    "record_template",
    "run_new",
    "run_schema",
    "suggest_id",
]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schemas"

EXIT_OK, EXIT_STALE, EXIT_USAGE = 0, 1, 2

KINDS = {"case": "cases", "campaign": "campaigns"}

_ID = re.compile(ADDRESS_PART)
_COMMENT_WIDTH = 76
_NO_LINE_START = "，。、；：！？）」』”’》〉】"
_NO_LINE_END = "（「『“‘《〈【"


class ScaffoldError(Exception):
    """A problem with the command's arguments, explained in Chinese (exit code 2)."""


@dataclass
class Registries:
    """What a new record may refer to, read from `data/` (broken entries left out)."""

    agencies: list[Agency] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    campaigns: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """Campaign id -> (title, agency names as written)."""
    laws: list[Law] = field(default_factory=list)

    @classmethod
    def read(cls, data_dir: Path) -> Registries:
        """Read the registries and campaign titles through the checker's own reader."""
        raw = read_data(data_dir)
        models = {name: [item.model for item in items] for name, items in raw.registries.items()}
        campaigns = {item.id: (item.model.title, list(item.model.agencies))
                     for item in raw.records.get("campaigns", [])}
        return cls(models.get("agencies", []), models.get("topics", []),
                   models.get("metrics", []), campaigns, models.get("laws", []))


# --- looking things up --------------------------------------------------------------------


def find_agency(name: str, agencies: Sequence[Agency]) -> Agency:
    """The agency called `name` (full name or alias); `ScaffoldError` with the closest names."""
    wanted = "".join(name.split())
    for agency in agencies:
        if wanted in (agency.name, *agency.aliases):
            return agency
    known = [n for a in agencies for n in (a.name, *a.aliases)]
    close = [n for n in known if wanted and (wanted in n or n in wanted)]
    close += [n for n in difflib.get_close_matches(wanted, known, n=5, cutoff=0.3) if n not in close]
    hint = f"最接近的已登记名称：{'、'.join(close[:5])}。" if close else ""
    raise ScaffoldError(
        f"未登记的机关“{name}”。{hint}请使用 data/agencies.yaml 中的全称或简称；"
        "如果是新的机关，先在 data/agencies.yaml 中登记。")


def suggest_id(date: str, slug: str | None, taken: Iterable[str]) -> str:
    """``<date>-<slug>``, with ``-2``, ``-3`` … added while that id is already taken."""
    base = f"{date}-{slug}" if slug else date
    taken = set(taken)
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- the template -------------------------------------------------------------------------


def _scalar(value: Any, *, date: bool = False) -> str:
    """A value as YAML on one line: plain when YAML reads it back unchanged, else quoted.

    A `date` is written plain (``2024-01-14``): the loader keeps dates as written.
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else json.dumps(value, ensure_ascii=False)
    text = str(value)
    if date:
        return text
    plain_ok = bool(text) and text == text.strip() and "#" not in text and "\n" not in text \
        and text[0] not in "[]{},&*!|>'\"%@`?:-"
    try:
        plain_ok = plain_ok and yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def _width(text: str) -> int:
    """Columns `text` takes in an editor: Chinese characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_line(text: str, width: int) -> list[str]:
    """One paragraph broken into lines of at most `width` columns.

    Breaks fall between Chinese characters or at spaces, never inside an ASCII word, and a
    line never starts with closing punctuation (，。、；：）” …).
    """
    tokens = re.findall(r"[!-~]+| |[^ -~]", text)
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and _width(current + token) > width and token != " ":
            carry = ""
            while current and (current[-1] in _NO_LINE_END or (carry or token)[0] in _NO_LINE_START):
                carry, current = current[-1] + carry, current[:-1]
            lines.append(current.rstrip())
            current = carry
        current += token if current or token != " " else ""
    lines.append(current.rstrip())
    return lines


def _wrap(text: str, indent: str) -> list[str]:
    """`text` as comment lines at `indent`, wrapped for a narrow editor window.

    A line of `text` that starts with spaces is an example to copy: it is kept as it is.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        chunks = [paragraph] if paragraph.startswith(" ") else _wrap_line(paragraph, _COMMENT_WIDTH)
        lines += [f"{indent}# {chunk}".rstrip() for chunk in chunks]
    return lines


def _describe(prop: dict[str, Any], required: bool) -> str:
    """The comment for one field: its description, whether it is required, its allowed values."""
    text = ("【必填】" if required else "【选填】") + (prop.get("description") or prop.get("title") or "")
    enum = prop.get("enum")
    if enum:
        text += "\n只能填写其中之一：" + " | ".join(str(v) for v in enum)
    return text


def _names(items: Iterable[str]) -> str:
    return "、".join(items) or "（尚未登记）"


@dataclass
class _Context:
    """What the template knows besides the models: given values and the registries."""

    kind: str
    record_id: str
    values: dict[str, Any]
    registries: Registries


def _topics_hint(ctx: _Context) -> str:
    return f"已登记的专题：{_names(t.name for t in ctx.registries.topics)}"


def _metrics_hint(ctx: _Context) -> str:
    return f"\n已登记的指标（单位）：{_names(f'{m.name}（{m.unit}）' for m in ctx.registries.metrics)}"


def _campaign_hint(ctx: _Context) -> str:
    reg = ctx.registries
    agency = next((a for a in reg.agencies if a.name == ctx.values.get("agency")), None)
    names = {agency.name, *agency.aliases} if agency else set()
    mine = [f"{cid}（{title}）" for cid, (title, agencies) in sorted(reg.campaigns.items())
            if names & set(agencies)]
    return f"本机关参与的行动：{'、'.join(mine)}" if mine else "行动的编号见 data/campaigns/ 文件夹"


def _laws_hint(ctx: _Context) -> str:
    return f"\n已登记的法律：{_names(f'《{law.name}》' for law in ctx.registries.laws)}"


#: What the registries add to a field's guidance: the names one may write there.
_REGISTRY_HINTS: dict[str, Callable[[_Context], str]] = {
    "topics": _topics_hint, "metrics": _metrics_hint, "campaign": _campaign_hint, "laws": _laws_hint,
}


def _extra(name: str, ctx: _Context) -> str:
    """Guidance beyond the field's description: the model's, then what the registries offer."""
    model = next(k for k in SCHEMAS if k.name == ctx.kind).model
    hint = _REGISTRY_HINTS.get(name)
    return field_guide(model, name) + (hint(ctx) if hint else "")


def _placeholder(name: str, prop: dict[str, Any], required: bool) -> Any:
    """The starting value: empty text or list for what staff must write, else the default."""
    if "default" in prop:
        return prop["default"]
    if not required:
        return None
    if prop.get("type") == "array":
        return []
    if prop.get("type") == "object":
        return {}
    return ""


def _field_lines(name: str, prop: dict[str, Any], required: bool, ctx: _Context,
                 definitions: dict[str, Any], *, date: bool) -> list[str]:
    """One field of the template: its comment lines, then the field with its starting value.

    A `date` is written plain (``2024-01-14``), as the loader keeps it.
    """
    lines = _wrap(_describe(prop, required), "")
    extra = _extra(name, ctx)
    if extra:
        lines += _wrap(extra, "")
    if name == "sections":
        lines.append("sections:")
        lines += [f'  {heading}: ""' for heading in CASE_SECTIONS]
        return lines
    if name == "sources":
        source = definitions["Source"]
        lines.append("sources:")
        for index, (key, sub) in enumerate(source["properties"].items()):
            needed = key in source.get("required", [])
            lines += _wrap(_describe(sub, needed), "  " if index == 0 else "    ")
            prefix = "  - " if index == 0 else "    "
            value = '""' if needed else ""
            lines.append(f"{prefix}{key}: {value}".rstrip())
        return lines
    value = ctx.values[name] if name in ctx.values else _placeholder(name, prop, required)
    lines.append(f"{name}: {_scalar(value, date=date)}".rstrip())
    return lines


def record_template(kind: str, record_id: str, values: dict[str, Any], registries: Registries) -> str:
    """The text of a new record file: every field, each under its Chinese explanation."""
    schema_kind: SchemaKind = next(k for k in SCHEMAS if k.name == kind)
    schema = build_schema(schema_kind)
    properties: dict[str, Any] = schema["properties"]
    required = set(schema.get("required", []))
    ctx = _Context(kind, record_id, values, registries)
    fields = schema_kind.model.model_fields
    header = [
        f"# yaml-language-server: $schema=../../schemas/{schema_kind.file_name}",
        "#",
        f"# {schema_kind.title} {record_id}（编号就是文件名，发布后不要再改）",
        "# 每个字段上面的说明写明它的含义、是否必填和可以填写的值。",
        "# 标有【必填】的字段必须填写：留空的必填字段，检查时会逐一报错，提醒你补上。",
        "# 当事人一律匿名：张某、覃某某、某公司；不写身份证号、电话、银行卡号、住址。",
        f"# 填好后运行：{check_command()}",
        "",
    ]
    body: list[str] = []
    for name, info in fields.items():  # the models declare their fields in the contract's order
        body += _field_lines(name, properties[name], name in required, ctx,
                             schema.get("definitions", {}), date=info.annotation is PartialDate)
        body.append("")
    return "\n".join(header + body).rstrip("\n") + "\n"


# --- the commands -------------------------------------------------------------------------


def new_record(kind: str, data_dir: Path, *, title: str | None = None,
               agencies: Sequence[str] = (), date: str | None = None,
               record_id: str | None = None, today: datetime.date | None = None) -> Path:
    """Write a new record file to fill in and return its path; refuse to overwrite one.

    Raises `ScaffoldError` (a Chinese message) for an unknown agency, a bad date or id, or a
    file that already exists.
    """
    if kind not in KINDS:
        raise ScaffoldError(f"不认识的记录类型“{kind}”，只能是 case 或 campaign。")
    if kind == "case" and len(agencies) > 1:
        raise ScaffoldError("一个典型案例只有一个办理机关：--agency 只写一次。")
    day = date or (today or datetime.date.today()).isoformat()
    try:
        day = str(parse_date(day))
    except ValueError:
        raise ScaffoldError(
            f"日期“{date}”不是有效的日期：写成 2024-01-14，只知道月份写 2024-01，只知道年份写 2024。"
        ) from None
    registries = Registries.read(data_dir)
    found = [find_agency(name, registries.agencies) for name in agencies]
    folder = data_dir / KINDS[kind]
    taken = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    if record_id is None:
        record_id = suggest_id(day, found[0].slug if found else None, taken)
    elif not _ID.match(record_id):
        raise ScaffoldError(
            f"编号“{record_id}”不能用作文件名：只用小写英文字母、数字和连字符，以字母或数字开头，"
            "例如 2024-hlbe-xinchun。")
    values: dict[str, Any] = {"status": "draft"}
    if title:
        values["title"] = title
    if kind == "case":
        values["date"] = day
        if found:
            values["agency"] = found[0].name
    else:
        values["start"] = day
        values["agencies"] = [a.name for a in found]
    text = record_template(kind, record_id, values, registries)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{_display(data_dir, path)} 已经存在，没有覆盖它。换一个编号（--id），或直接编辑这个文件。"
        ) from None
    return path


def _display(data_dir: Path, path: Path) -> str:
    try:
        return path.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return path.as_posix()


def check_command(windows: bool | None = None) -> str:
    """How staff run the checker from the project folder without activating the virtual environment.

    ``python build_stats.py`` alone fails outside the environment (its packages are not
    installed system-wide), so the hint names the environment's interpreter: the POSIX form
    with ``make check`` as the short alternative, or the Windows form, which has no make.
    """
    windows = os.name == "nt" if windows is None else windows
    if windows:
        return r".venv\Scripts\python build_stats.py check"
    return ".venv/bin/python build_stats.py check（或 make check）"


def run_new(args: argparse.Namespace) -> int:
    """`new case|campaign`: write the file, print its path and the next step."""
    try:
        path = new_record(args.kind, args.data, title=args.title, agencies=args.agency or (),
                          date=args.date, record_id=args.id)
    except ScaffoldError as error:
        print(f"没有新建文件：{error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"已新建 {_display(args.data, path)}")
    print(f"下一步：编辑该文件，然后运行 {check_command()}")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    """`schema [--check]`: rewrite the JSON Schemas, or report whether they are stale."""
    directory: Path = args.dir
    if args.check:
        stale = stale_schemas(directory)
        for path in stale:
            print(f"{path.name} 与 fazhi/models.py 不一致", file=sys.stderr)
        if stale:
            print("运行 python build_stats.py schema 重新生成，并提交 schemas/ 的改动。", file=sys.stderr)
            return EXIT_STALE
        print(f"{len(SCHEMAS)} 个 JSON Schema 都是最新的。")
        return EXIT_OK
    changed = write_schemas(directory)
    print(f"已更新 {len(changed)} 个 JSON Schema（共 {len(SCHEMAS)} 个）到 {directory}。")
    return EXIT_OK


def add_commands(commands: Any) -> None:
    """Register `new` and `schema` on the CLI's subparsers; each sets ``args.run``."""
    new = commands.add_parser(
        "new", help="新建一条记录：写出带全部字段和中文说明的 YAML 文件，供你填写")
    new.add_argument("kind", choices=sorted(KINDS), help="case 典型案例，campaign 专项行动")
    new.add_argument("--title", help="标题（也可以之后在文件里填写）")
    new.add_argument("--agency", action="append", metavar="机关",
                     help="机关的全称或简称（data/agencies.yaml 中登记的）；专项行动可写多次")
    new.add_argument("--date", help="日期，默认今天：2024-01-14、2024-01 或 2024")
    new.add_argument("--id", help="编号（文件名），默认由日期和机关生成，例如 2024-01-14-hailar-court")
    new.set_defaults(run=run_new)
    schema = commands.add_parser("schema", help="根据 fazhi/models.py 重新生成 schemas/ 下的 JSON Schema")
    schema.add_argument("--check", action="store_true", help="只检查是否最新，不一致时退出码为 1")
    schema.add_argument("--dir", type=Path, default=SCHEMA_DIR, help="输出文件夹（默认：schemas/）")
    schema.set_defaults(run=run_schema)
