"""Read one YAML file into plain Python data that remembers where every key and value stood.

PyYAML's composer (with the libyaml C parser when it is built in) gives a node tree with
marks; we construct values from it ourselves so that we can refuse what the contract calls
an error: duplicate keys, tab indentation, and YAML 1.1 reinterpretations (`12:30`, bare
`yes`/`no`/`on`/`off`, leading zeros). Floats become `Decimal` from their source text and
timestamps stay text, so nothing is rounded or guessed before the models see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import yaml

from fazhi.problems import Problem, make_problem

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
# First characters for which a YAML 1.1 implicit type (int, float, bool, null, timestamp…) may
# apply; any other plain scalar, and every quoted or block scalar, is a string.
_IMPLICIT_FIRSTS = frozenset(key for key in _BaseLoader.yaml_implicit_resolvers if key is not None)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a fast path in tag resolution: the same tags, found sooner.

    The composer asks `resolve` for the tag of every key and value (about 65 a record). A
    quoted or block scalar, or a plain one whose first character starts no implicit type, is
    a string; any other plain scalar's tag depends only on its text (the safe loader has no
    path resolvers), so short ones are remembered: keys and enumerations repeat in every file.
    """

    _known: ClassVar[dict[str, str]] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        if not implicit[0] or value[:1] not in _IMPLICIT_FIRSTS:
            return _STR_TAG
        tag = self._known.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 32 and len(self._known) < 10_000:
                self._known[value] = tag
        return tag  # type: ignore[no-any-return]


Loc = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_LEADING_ZERO = re.compile(r"^[-+]?(0[0-9_]+|0[xXoObB][0-9a-fA-F_]+)$")
_TRUE_FALSE = {"true", "false"}


class Pos(NamedTuple):
    """A 1-based line and column in a source file.

    A named tuple, so that it equals the plain ``(line, column)`` tuples a `Document` stores.
    """

    line: int
    column: int


@dataclass
class Document:
    """A parsed file: its data, where each key and value stood, and its source lines.

    Positions are stored as plain ``(line, column)`` tuples (1-based) and handed out as `Pos`
    by `where`: a document records one for every key and value, about a hundred a record, and
    plain tuples of small ints are cheap and left alone by the garbage collector, whose passes
    over a million tracked position objects took 40% of loading 10,000 records.
    """

    path: str
    data: Any
    key_pos: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    value_pos: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    block_values: set[Loc] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)

    def where(self, loc: Loc, *, key: bool = False) -> Pos:
        """Position of `loc`, or of its nearest enclosing item when `loc` itself is absent."""
        loc = tuple(loc)
        while loc:
            table = (self.key_pos, self.value_pos) if key else (self.value_pos, self.key_pos)
            for positions in table:
                if loc in positions:
                    return Pos(*positions[loc])
            loc = loc[:-1]
        return Pos(*self.value_pos.get((), (1, 1)))

    def where_in_text(self, loc: Loc, offset: int) -> Pos:
        """Position of character `offset` inside the text value at `loc`."""
        start = self.where(loc)
        text = self.get(loc)
        if not isinstance(text, str):
            return start
        before = text[:offset]
        line_no = before.count("\n")
        col_in_line = len(before) - (before.rfind("\n") + 1)
        if loc in self.block_values:
            line = start.line + 1 + line_no
            source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            indent = len(source) - len(source.lstrip(" "))
            return Pos(line, indent + col_in_line + 1)
        if line_no == 0:
            return Pos(start.line, start.column + col_in_line)
        return Pos(start.line + line_no, 1)

    def get(self, loc: Loc) -> Any:
        """The value at `loc`, or None when the path does not exist."""
        value = self.data
        for part in loc:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value


class _Builder:
    """Turns a composed node tree into Python values, recording positions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.doc = Document(path=path, data=None)
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        mark = node.start_mark
        self.doc.value_pos[loc] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                self.doc.block_values.add(loc)
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_pos = self.doc.key_pos
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_at = (mark.line + 1, mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem("yaml.key_type", Pos(*key_at))
                continue
            key = key_node.value
            where = (*loc, key)
            if key in result:
                first_line = key_pos[where][0]
                self._problem("yaml.duplicate_key", Pos(*key_at), key=key, first_line=first_line)
                continue
            key_pos[where] = key_at
            result[key] = self.build(value_node, where)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text, tag = node.value, node.tag
        if node.style:  # quoted or block: always text (libyaml gives "" for plain, PyYAML None)
            return text
        if tag == _STR_TAG:
            return text
        if tag == _NULL_TAG:
            return None
        at = _pos(node.start_mark)
        if tag == _BOOL_TAG:
            if text.lower() in _TRUE_FALSE:
                return text.lower() == "true"
            self._problem("yaml.bool_word", at, value=text)
            return text
        if tag in (_INT_TAG, _FLOAT_TAG):
            return self._number(text, tag, at)
        return text  # timestamps kept as written

    def _number(self, text: str, tag: str, at: Pos) -> Any:
        if ":" in text:
            reading = yaml.load(text, Loader=_Loader)
            self._problem("yaml.sexagesimal", at, value=text, reading=reading)
            return text
        if _LEADING_ZERO.match(text):
            self._problem("yaml.leading_zero", at, value=text)
            return text
        cleaned = text.replace("_", "")
        if tag == _INT_TAG:
            return int(cleaned)
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return text  # .inf / .nan: the models report the wrong type

    def _problem(self, code: str, at: Pos, **params: Any) -> None:
        self.problems.append(make_problem(code, self.path, at.line, at.column, **params))


def _pos(mark: yaml.Mark) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a BOM is fine); name the encoding when it is not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [make_problem("file.encoding", path, 1, 1, encoding="UTF-16")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            encoding = "GBK/GB18030"
        except UnicodeDecodeError:
            encoding = "未知编码"
        return None, [make_problem("file.encoding", path, line, 1, encoding=encoding)]


def find_tabs(text: str, path: str) -> list[Problem]:
    """A problem for every line indented with a tab character."""
    if "\t" not in text:
        return []
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(make_problem("yaml.tab", path, number, indent.index("\t") + 1))
    return problems


_SYNTAX_FIXES: list[tuple[str, str, str]] = [
    ("mapping values are not allowed", "这里多了一个冒号",
     "值里含有“: ”时，给整个值加引号；或检查上一行的缩进"),
    ("could not find expected ':'", "缺少冒号", "每个字段写成“字段: 值”，冒号后加一个空格"),
    ("expected <block end>", "缩进不一致", "同一级的字段要对齐，用空格缩进，每级两个空格"),
    ("found character '\\t'", "这里有 Tab 字符", "用空格代替 Tab"),
    ("found unexpected end of stream", "引号或括号没有闭合", "检查这一行的引号、方括号是否成对"),
    ("found undefined alias", "使用了未定义的 * 引用", "不要以 * 开头写值；如果是文字，加引号"),
    ("did not find expected key", "缩进或列表格式不对", "检查这一行和上一行的缩进"),
    ("did not find expected node content", "列表或括号里缺少内容", "检查方括号里的逗号"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头",
     "给整个值加引号"),
]


def _syntax_problem(error: yaml.MarkedYAMLError, path: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    at = _pos(mark) if mark else Pos(1, 1)
    english = f"{error.context or ''} {error.problem or ''}".strip()
    for needle, detail, fix in _SYNTAX_FIXES:
        if needle in english:
            return make_problem("yaml.syntax", path, at.line, at.column, detail=detail, fix=fix)
    return make_problem(
        "yaml.syntax", path, at.line, at.column, detail=english or "无法解析",
        fix="对照模板检查这一行的冒号、缩进和引号")


def parse_text(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; return the document (None when it cannot be read) and all problems."""
    problems = find_tabs(text, path)
    tab_lines = {p.line for p in problems}
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        problem = _syntax_problem(error, path)
        if problem.line not in tab_lines:
            problems.append(problem)
        return None, problems
    except yaml.YAMLError as error:  # e.g. a reader error on control characters
        problems.append(make_problem(
            "yaml.syntax", path, 1, 1, detail=str(error), fix="删除文件中的特殊控制字符"))
        return None, problems
    if node is None:
        problems.append(make_problem("file.empty", path, 1, 1))
        return None, problems
    builder = _Builder(path)
    builder.doc.data = builder.build(node, ())
    builder.doc.lines = text.splitlines()
    return builder.doc, problems + builder.problems


def read_document(file: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one file; `display` is the path shown in messages."""
    return parse_bytes(file.read_bytes(), display)


def parse_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse a file's bytes; `display` is the path shown in messages."""
    text, problems = decode(raw, display)
    if text is None:
        return None, problems
    return parse_text(text, display)
