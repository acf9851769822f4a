"""The message catalogue is the one source of every sentence the checker prints.

Every code the source raises is in `CATALOGUE`, every catalogue entry is raised somewhere,
every placeholder is a named concrete value, and no entry is a bare placeholder.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from string import Formatter

import pytest

from fazhi.problems import CATALOGUE, make_problem
from fazhi.render.guide import PLACEHOLDERS, render_errors_page
from tests.conftest import ROOT

PACKAGE = ROOT / "fazhi"
# A string literal that has the shape of a code: a known family, a dot, a lower-case name.
FAMILIES = ("file", "yaml", "field", "registry", "ref", "value", "breakdown", "campaign", "privacy",
            "markup")
CODE_SHAPE = re.compile(rf"(?:{'|'.join(FAMILIES)})\.[a-z0-9_]+")
# Parameters too generic to be a concrete value: a whole sentence would hide there.
GENERIC = {"fix", "detail", "suggestion", "more", "hint", "message", "text"}


def _sources() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path.name != "problems.py"]


def _literals(path: Path) -> set[str]:
    """Every string constant of a module that has a code's shape (docstrings are not constants
    used as codes, but a code named in a docstring must still exist, so they count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and CODE_SHAPE.fullmatch(node.value)}


def _raised() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in _sources():
        for code in _literals(path):
            found.setdefault(code, []).append(path.relative_to(ROOT).as_posix())
    return found


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in Formatter().parse(template) if name is not None]


def test_every_code_in_the_source_is_in_the_catalogue() -> None:
    unknown = {code: where for code, where in _raised().items() if code not in CATALOGUE}
    assert not unknown, unknown


def test_every_catalogue_entry_is_raised_somewhere() -> None:
    raised = _raised()
    assert [code for code in CATALOGUE if code not in raised] == []


def test_no_code_is_built_from_pieces() -> None:
    """A code assembled at run time (f"ref.{kind}") would escape the two tests above."""
    built = re.compile(rf"""f["'](?:{'|'.join(FAMILIES)})\.""")
    offenders = [f"{path.name}:{number}" for path in _sources()
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if built.search(line)]
    assert offenders == []


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_entry_is_whole_sentences(code: str) -> None:
    message = CATALOGUE[code]
    assert 1 <= message.rule <= 9
    for template in (message.text, message.hint):
        names = _placeholders(template)
        assert re.search(r"[\u4e00-\u9fff]", Formatter().vformat(template, (), dict.fromkeys(names, ""))), \
            f"{code}: {template!r} is a bare placeholder"
        assert not GENERIC & set(names), f"{code}: {template!r}"
        assert all(name in PLACEHOLDERS for name in names), f"{code}: {template!r}"


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_entry_formats(code: str) -> None:
    names = {name for template in (CATALOGUE[code].text, CATALOGUE[code].hint)
             for name in _placeholders(template)}
    problem = make_problem(code, "data/cases/x.yaml", 1, 1, **dict.fromkeys(names, "甲"))
    literal_braces = (CATALOGUE[code].text + CATALOGUE[code].hint).count("{{")
    assert (problem.message + problem.hint).count("{") == literal_braces


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(KeyError):
        make_problem("yaml.syntax", "x.yaml", 1, 1)


def test_the_error_table_has_no_generic_gap() -> None:
    content = render_errors_page().content
    assert "检查器按具体情况" not in content and "具体内容" not in content
    assert "〈改法〉" not in content and "〈具体问题〉" not in content
