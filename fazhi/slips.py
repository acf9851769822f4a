"""Typing slips of Chinese input methods in YAML, told apart from other syntax errors.

Staff type records with a Chinese input method switched on, which turns the characters YAML
reads as structure into look-alikes: a full-width colon `：` after a field name, a full-width
space `　` in the indentation, `－` (or `—`) for the `-` of a list item. YAML then reports
something unrelated, often lines further down ("缺少冒号" at a comment). `find_slips` finds
these look-alikes where they stand, so the message names the character and the fix.

A line is read as structure only outside block scalars (`|`, `>`): text inside them may hold
any character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fazhi.problems import Problem, make_problem

__all__ = ["find_slips", "is_dash_item"]

# `key：value` or `- key：value` with no ASCII colon before the full-width one.
_FULLWIDTH_COLON = re.compile(r"^[ \u3000]*(?:-[ \u3000]+)?[^\s:#'\"“‘\-][^:：#\n]{0,30}?(：)")
_INDENT = re.compile(r"^[ \u3000\t]*")
_DASH_ITEM = re.compile(r"^[ \u3000]*([－—–﹣])[ \u3000]")
_BLOCK_START = re.compile(r"(?:^|:|-)[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")
_DASHES = "－—–﹣"


def find_slips(text: str, path: str, until_line: int | None = None) -> list[Problem]:
    """Every input-method slip in the structure of `text`, up to line `until_line` (all if None)."""
    problems: list[Problem] = []
    for number, line in _structure_lines(text):
        if until_line is not None and number > until_line:
            break
        indent = _INDENT.match(line).group()  # type: ignore[union-attr]
        if "\u3000" in indent:
            problems.append(make_problem("yaml.fullwidth_space", path, number, indent.index("\u3000") + 1))
            continue
        dash = _DASH_ITEM.match(line)
        if dash:
            problems.append(make_problem("yaml.fullwidth_dash", path, number, dash.start(1) + 1,
                                         dash=dash.group(1)))
            continue
        colon = _FULLWIDTH_COLON.match(line)
        if colon:
            problems.append(make_problem("yaml.fullwidth_colon", path, number, colon.start(1) + 1))
    return problems


def is_dash_item(value: str) -> bool:
    """Whether a plain value starts like a list item typed with a full-width dash (`－ 张某`)."""
    return len(value) > 1 and value[0] in _DASHES and value[1] in " \u3000"


def _structure_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for the lines outside block scalars, comments and blank lines."""
    block_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip(" \u3000\t")
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        if _BLOCK_START.search(line):
            block_indent = indent
        yield number, line
