"""Read one YAML file into plain Python data that remembers where every key and value stood.

One pass over PyYAML's parse events (with the libyaml C parser when it is built in) builds the
data, with an explicit stack and no recursion, so that we can refuse what the contract calls an
error before anything is expanded: duplicate keys, tab indentation, YAML 1.1 reinterpretations
(`12:30`, bare `yes`/`no`/`on`/`off`, leading zeros), and rule 9's anchors, aliases, merge keys,
explicit tags and nesting deeper than the format uses. An alias is never expanded (a 300-byte
file of nested aliases stands for billions of values), and reading stops at the nesting limit
(libyaml's time grows with the square of the depth of nested brackets). Floats become `Decimal`
from their source text and timestamps stay text, so nothing is rounded or guessed before the
models see it.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from fazhi.problems import Problem, make_problem
from fazhi.slips import find_slips, is_dash_item

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# First characters for which a YAML 1.1 implicit type (int, float, bool, null, timestamp…) may
# apply; any other plain scalar, and every quoted or block scalar, is a string.
_IMPLICIT_FIRSTS = frozenset(key for key in _RESOLVER.yaml_implicit_resolvers if key is not None)
# Tags of short plain scalars, remembered: keys and enumerations repeat in every file, and the
# safe resolver's tag depends only on the text (it has no path resolvers).
_KNOWN_TAGS: dict[str, str] = {}


def _implicit_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar (`str` unless it looks like another type)."""
    if text[:1] not in _IMPLICIT_FIRSTS:
        return _STR_TAG
    tag = _KNOWN_TAGS.get(text)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if len(text) <= 32 and len(_KNOWN_TAGS) < 10_000:
            _KNOWN_TAGS[text] = tag
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


_MAX_DEPTH = 20
"""Deepest nesting of mappings and lists read; the record format uses at most about six."""
_MAX_DIGITS = 30
"""More digits than this in a plain number is no figure in a report (and `int()` refuses 4,300)."""
_MAX_SAME = 100
"""Reports of one rule-9 code in one file; a hostile file may hold millions of aliases."""
_SHOWN = 40


class _Stop(Exception):
    """Reading stops here: the file nests deeper than `_MAX_DEPTH` (the problem is recorded)."""


class _Drop:
    """Marks a mapping whose next value is read but not kept (after a refused key)."""


_DROP = _Drop()


class _Frame:
    """An open mapping or list: its container, where it stands, and the key awaiting a value."""

    __slots__ = ("child", "is_map", "items", "key", "loc")

    def __init__(self, items: dict[str, Any] | list[Any], loc: Loc) -> None:
        self.items = items
        self.loc = loc
        self.is_map = type(items) is dict
        self.key: str | _Drop | None = None
        """For a mapping: None while a key is expected, else the key of the value to come."""
        self.child: Loc = ()
        """For a mapping: where the value to come stands, ``(*loc, key)``."""


class _Builder:
    """Turns PyYAML's parse events into Python values, recording positions and problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.doc = Document(path=path, data=None)
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.documents = 0

    def build(self, next_event: Any) -> None:
        """Read events from `next_event()` until the stream ends or a second document starts.

        Raises `_Stop` at the nesting limit; PyYAML's errors pass through. Plain keys and
        untagged scalar values, nine events in ten, are read inline; the rest by `_key`/`_node`.
        """
        key_pos = self.doc.key_pos
        value_pos = self.doc.value_pos
        stack: list[_Frame] = []
        top: _Frame | None = None
        skip = 0  # depth inside a collection read but not kept (a refused key or merge value)
        while True:
            event = next_event()
            kind = type(event)
            if skip:
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    skip += 1
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    skip -= 1
                continue
            if kind is ScalarEvent and top is not None and top.is_map \
                    and event.anchor is None and event.tag is None:
                key = top.key
                if key is None:  # a key
                    text = event.value
                    if text not in top.items and (text != "<<" or event.style) and text[:1] != "\u3000":
                        mark = event.start_mark
                        top.child = loc = (*top.loc, text)
                        key_pos[loc] = (mark.line + 1, mark.column + 1)
                        top.key = text
                        continue
                elif key is not _DROP:  # a scalar value
                    mark = event.start_mark
                    loc = top.child
                    value_pos[loc] = (mark.line + 1, mark.column + 1)
                    style = event.style
                    if style == "|" or style == ">":
                        self.doc.block_values.add(loc)
                    top.items[key] = event.value if style else self._plain(event)  # type: ignore[index]
                    top.key = None
                    continue
            if kind is ScalarEvent or kind is AliasEvent or kind is MappingStartEvent \
                    or kind is SequenceStartEvent:
                if top is not None and top.is_map and top.key is None:
                    skip = self._key(top, event, kind)
                    continue
                skip = self._node(stack, top, event, kind)
                if stack and stack[-1] is not top:
                    top = stack[-1]
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                top = stack[-1] if stack else None
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self._problem("yaml.second_document", _pos(event.start_mark))
                    return
            elif kind is StreamEndEvent or event is None:
                return

    def _node(self, stack: list[_Frame], top: _Frame | None, event: Any, kind: type) -> int:
        """Read a value node; return how deep to skip (1 for a collection not kept, else 0)."""
        if top is None:
            loc: Loc = ()
        elif not top.is_map:
            loc = (*top.loc, len(top.items))
        else:
            key = top.key
            top.key = None
            if key is _DROP:
                return 1 if kind is MappingStartEvent or kind is SequenceStartEvent else 0
            loc = top.child
        mark = event.start_mark
        self.doc.value_pos[loc] = (mark.line + 1, mark.column + 1)
        if kind is AliasEvent:
            self._refuse("yaml.alias", mark, name=_brief(event.anchor))
            self._attach(top, loc, None)
            return 0
        if event.anchor is not None:
            self._refuse("yaml.anchor", mark, name=_brief(event.anchor))
        if event.tag is not None:
            self._refuse("yaml.tag", mark, tag=_tag_name(event.tag))
        if kind is ScalarEvent:
            if event.style in ("|", ">"):
                self.doc.block_values.add(loc)
            self._attach(top, loc, self._scalar(event))
            return 0
        if len(stack) >= _MAX_DEPTH:
            self._problem("yaml.too_deep", _pos(mark), limit=_MAX_DEPTH)
            raise _Stop
        container: dict[str, Any] | list[Any] = {} if kind is MappingStartEvent else []
        self._attach(top, loc, container)
        stack.append(_Frame(container, loc))
        return 0

    def _attach(self, top: _Frame | None, loc: Loc, value: Any) -> None:
        if top is None:
            self.doc.data = value
        elif type(top.items) is list:
            top.items.append(value)
        else:
            top.items[loc[-1]] = value  # type: ignore[call-overload]

    def _key(self, top: _Frame, event: Any, kind: type) -> int:
        """Read a mapping's key; return how deep to skip (1 for a collection as a key)."""
        mark = event.start_mark
        top.key = _DROP
        if kind is AliasEvent:
            self._refuse("yaml.alias", mark, name=_brief(event.anchor))
            return 0
        if kind is not ScalarEvent:
            self._problem("yaml.key_type", _pos(mark))
            return 1
        if event.anchor is not None:
            self._refuse("yaml.anchor", mark, name=_brief(event.anchor))
        if event.tag is not None:
            self._refuse("yaml.tag", mark, tag=_tag_name(event.tag))
        key = event.value
        if not event.style and key[:1] == "\u3000":  # indented with full-width spaces: YAML sees text
            self._problem("yaml.fullwidth_space", _pos(mark))
        if key == "<<" and not event.style and event.tag is None:
            self._refuse("yaml.merge", mark)
            return 0
        where = (*top.loc, key)
        key_pos = self.doc.key_pos
        if key in top.items:
            self._problem("yaml.duplicate_key", _pos(mark), key=key, first_line=key_pos[where][0])
            return 0
        key_pos[where] = (mark.line + 1, mark.column + 1)
        top.key = key
        top.child = where
        return 0

    def _scalar(self, event: Any) -> Any:
        if event.style or event.tag is not None:
            return event.value  # quoted, block or tagged: text (libyaml gives "" for plain, PyYAML None)
        return self._plain(event)

    def _plain(self, event: Any) -> Any:
        """The value of an untagged plain scalar: text, or what YAML 1.1 reads it as."""
        text = event.value
        tag = _implicit_tag(text)
        if tag == _STR_TAG:
            if is_dash_item(text):  # `－ 徐某`: a list item typed with a full-width dash
                self._problem("yaml.fullwidth_dash", _pos(event.start_mark), dash=text[0])
            return text
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG:
            if text.lower() in _TRUE_FALSE:
                return text.lower() == "true"
            self._problem("yaml.bool_word", _pos(event.start_mark), value=text)
            return text
        if tag in (_INT_TAG, _FLOAT_TAG):
            return self._number(text, tag, _pos(event.start_mark))
        return text  # timestamps kept as written

    def _number(self, text: str, tag: str, at: Pos) -> Any:
        if len(text) > _MAX_DIGITS:
            digits = sum(map(str.isdigit, text))
            if digits > _MAX_DIGITS:
                self._problem("yaml.long_number", at, value=_brief(text), digits=digits)
                return None
        if ":" in text:
            self._problem("yaml.sexagesimal", at, value=text, reading=_sexagesimal(text))
            return text
        if _LEADING_ZERO.match(text):
            self._problem("yaml.leading_zero", at, value=text)
            return text
        cleaned = text.replace("_", "")
        try:
            return int(cleaned) if tag == _INT_TAG else Decimal(cleaned)
        except (ValueError, InvalidOperation):
            return text  # .inf / .nan: the models report the wrong type

    def _refuse(self, code: str, mark: yaml.Mark, **params: Any) -> None:
        """A rule-9 problem, reported at most `_MAX_SAME` times a file."""
        count = self.counts.get(code, 0) + 1
        self.counts[code] = count
        if count <= _MAX_SAME:
            self._problem(code, _pos(mark), **params)

    def _problem(self, code: str, at: Pos, **params: Any) -> None:
        self.problems.append(make_problem(code, self.path, at.line, at.column, **params))


def _pos(mark: yaml.Mark) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def _brief(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _tag_name(tag: str) -> str:
    """A tag as it was written: ``!!int`` rather than ``tag:yaml.org,2002:int``."""
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag[len("tag:yaml.org,2002:"):]
    return _brief(tag)


def _sexagesimal(text: str) -> str:
    """What YAML 1.1 reads `12:30` as (750), for the message."""
    sign = -1 if text.startswith("-") else 1
    total = Decimal(0)
    try:
        for part in text.lstrip("+-").replace("_", "").split(":"):
            total = total * 60 + Decimal(part)
    except InvalidOperation:
        return text
    return str(sign * total)


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a BOM is fine); name the encoding when it is not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    wide = _wide_encoding(raw)
    if wide:
        return None, [make_problem("file.encoding", path, 1, 1, encoding=wide)]
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


def _wide_encoding(raw: bytes) -> str:
    """"UTF-32" or "UTF-16" when the bytes look like one (by BOM, or by where NULs fall), else ""."""
    if raw.startswith(_UTF32_BOMS):
        return "UTF-32"
    if raw.startswith(_UTF16_BOMS):
        return "UTF-16"
    sample = raw[:4096]
    if b"\x00" not in sample:
        return ""
    quarters = [_zero_share(sample[i::4]) for i in range(4)]
    if (quarters[3] == 1 and quarters[2] > 0.9) or (quarters[0] == 1 and quarters[1] > 0.9):
        return "UTF-32"  # code points below 0x10000: two zero bytes in every four
    high, low = sorted((_zero_share(sample[0::2]), _zero_share(sample[1::2])), reverse=True)
    if high > 0.1 and low < high / 10 and sample.count(0) >= 8:
        return "UTF-16"  # ASCII characters (keys, spaces, line ends): a zero byte, always on one side
    return ""


def _zero_share(data: bytes) -> float:
    return data.count(0) / len(data) if data else 0.0


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


# Characters YAML refuses anywhere in a file (the reader's printable set, inverted).
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHARACTER_NAMES = {
    "\x00": "空字符", "\x07": "响铃符", "\x08": "退格符", "\x0b": "垂直制表符", "\x0c": "换页符",
    "\x1b": "转义字符", "\x7f": "删除符", "\ufffe": "非字符", "\uffff": "非字符",
}
_MAX_CONTROL = 20


def _control_characters(text: str, path: str) -> list[Problem]:
    """A problem at each character YAML refuses (NUL, escape…), naming it, up to `_MAX_CONTROL`."""
    problems = []
    for match in _NON_PRINTABLE.finditer(text):
        offset = match.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - text.rfind("\n", 0, offset)
        char = match.group()
        name = _CHARACTER_NAMES.get(char) or ("控制字符" if unicodedata.category(char) == "Cc" else "特殊字符")
        problems.append(make_problem(
            "yaml.control_char", path, line, column, char=f"U+{ord(char):04X}", char_name=name))
        if len(problems) == _MAX_CONTROL:
            break
    return problems


# (words of PyYAML's or libyaml's message, the catalogue code, whether the place is where the
# construct began rather than where the parser gave up). First match wins.
_SYNTAX_CODES: list[tuple[str, str, bool]] = [
    ("mapping values are not allowed", "yaml.extra_colon", False),
    ("could not find expected ':'", "yaml.missing_colon", False),
    ("expected <block end>", "yaml.bad_indent", False),
    ("found character '\\t'", "yaml.tab_char", False),
    ("while scanning a quoted scalar", "yaml.unclosed_quote", True),
    ("expected ',' or ']'", "yaml.unclosed_bracket", True),
    ("expected ',' or '}'", "yaml.unclosed_brace", True),
    ("found unexpected end of stream", "yaml.unexpected_end", False),
    ("found undefined alias", "yaml.undefined_alias", False),
    ("expected '-' indicator", "yaml.list_item", False),
    ("did not find expected key", "yaml.bad_structure", False),
    ("did not find expected node content", "yaml.missing_item", False),
    ("while scanning a block scalar", "yaml.block_text", False),
    ("escape", "yaml.bad_escape", False),
    ("while scanning an anchor", "yaml.anchor_start", False),
    ("while scanning an alias", "yaml.alias_start", False),
    ("tag", "yaml.tag_start", False),
    ("directive", "yaml.directive", False),
    ("<document start>", "yaml.after_end", False),
    ("found character that cannot start any token", "yaml.bad_start", False),
]


def _syntax_problem(error: yaml.MarkedYAMLError, path: str) -> Problem:
    """The catalogue's problem for a PyYAML syntax error, at the place the table names."""
    english = f"{error.context or ''} {error.problem or ''}".strip()
    code, at_start = next(((code, at_start) for needle, code, at_start in _SYNTAX_CODES
                           if needle in english), ("yaml.unparsable", False))
    mark = (error.context_mark or error.problem_mark) if at_start \
        else (error.problem_mark or error.context_mark)
    at = _pos(mark) if mark else Pos(1, 1)
    return make_problem(code, path, at.line, at.column)


def parse_text(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; return the document (None when it cannot be read) and all problems."""
    problems = find_tabs(text, path)
    tab_lines = {p.line for p in problems}
    builder = _Builder(path)
    loader = _Loader(text)
    try:
        builder.build(loader.get_event)
    except _Stop:
        return None, problems + builder.problems
    except yaml.MarkedYAMLError as error:
        problem = _syntax_problem(error, path)
        # A slip of the input method (中文冒号, 全角空格, －) above the error is its cause.
        slips = [p for p in find_slips(text, path, problem.line) if p.line not in tab_lines]
        if slips:
            builder.problems += slips
        elif problem.line not in tab_lines:
            builder.problems.append(problem)
        return None, problems + builder.problems
    except yaml.YAMLError:  # the reader refuses a control character such as NUL
        found = _control_characters(text, path) or [make_problem("yaml.unreadable_chars", path, 1, 1)]
        return None, problems + builder.problems + found
    finally:
        loader.dispose()
    if not builder.documents:
        problems.append(make_problem("file.empty", path, 1, 1))
        return None, problems
    builder.doc.lines = text.splitlines()
    return builder.doc, problems + builder.problems


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0))


def read_regular(file: Path) -> bytes:
    """The bytes of `file`; `OSError` when it is a symbolic link or not a regular file.

    The file is opened without following a link and without waiting for a writer (opening a
    FIFO would block), then checked, so that a rename after the caller's checks changes nothing.
    """
    return read_regular_status(file)[0]


def read_regular_status(file: Path) -> tuple[bytes, os.stat_result]:
    """`read_regular`, with the file's status as it was just before reading."""
    handle = os.open(file, _OPEN_FLAGS)
    with open(handle, "rb") as stream:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(file))
        return stream.read(), status


def read_document(file: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one regular file (`OSError` otherwise); `display` is the path shown in messages."""
    return parse_bytes(read_regular(file), display)


def parse_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse a file's bytes; `display` is the path shown in messages."""
    text, problems = decode(raw, display)
    if text is None:
        return None, problems
    return parse_text(text, display)
