"""Rule 1 and 3: reading files. Every case asserts the file, the line and the rule."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from fazhi.loader import Pos, decode, parse_text, read_document
from tests.conftest import CASE, DataDir, problems_of


def codes(text: str) -> list[tuple[str, int, int]]:
    _, problems = parse_text(text, "x.yaml")
    return [(p.code, p.line, p.column) for p in problems]


def test_values_keep_their_positions() -> None:
    doc, problems = parse_text("a: 1\nb:\n  - x\n  - {c: 2.50}\n", "x.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"a": 1, "b": ["x", {"c": Decimal("2.50")}]}
    assert doc.where(("b", 1, "c")) == Pos(4, 9)
    assert doc.where(("b", 1, "c"), key=True) == Pos(4, 6)
    assert doc.where(("b", 0)) == Pos(3, 5)


def test_floats_are_exact_decimals_and_dates_stay_text() -> None:
    doc, _ = parse_text("money: 101.2\nday: 2024-01-14\nmonth: 2024-01\nyear: 2024\n", "x")
    assert doc is not None
    assert doc.data == {"money": Decimal("101.2"), "day": "2024-01-14", "month": "2024-01",
                        "year": 2024}


def test_duplicate_key_is_reported_at_the_second_one() -> None:
    assert codes("title: a\nsummary: b\ntitle: c\n") == [("yaml.duplicate_key", 3, 1)]


def test_duplicate_key_nested() -> None:
    assert codes("sections:\n  基本案情: a\n  基本案情: b\n") == [("yaml.duplicate_key", 3, 3)]


def test_tab_indentation() -> None:
    found = codes("sections:\n\t基本案情: a\n")
    assert ("yaml.tab", 2, 1) in found
    assert found == [("yaml.tab", 2, 1)]  # no syntax error besides


@pytest.mark.parametrize(("value", "code"), [
    ("12:30", "yaml.sexagesimal"),
    ("1:20:30", "yaml.sexagesimal"),
    ("no", "yaml.bool_word"),
    ("Yes", "yaml.bool_word"),
    ("on", "yaml.bool_word"),
    ("OFF", "yaml.bool_word"),
    ("0123", "yaml.leading_zero"),
    ("0471", "yaml.leading_zero"),
    ("0x1F", "yaml.leading_zero"),
])
def test_yaml11_reinterpretations_are_errors(value: str, code: str) -> None:
    assert codes(f"title: a\ncause: {value}\n") == [(code, 2, 8)]


@pytest.mark.parametrize("value", ['"12:30"', "'no'", "true", "false", "0", "10", "0.5",
                                   "十二点半", "no way"])
def test_quoted_and_unambiguous_values_pass(value: str) -> None:
    assert codes(f"cause: {value}\n") == []


def test_syntax_error_is_chinese_with_position() -> None:
    _, problems = parse_text("title: a\nsummary: b: c\n", "x.yaml")
    assert [(p.code, p.line) for p in problems] == [("yaml.extra_colon", 2)]
    assert "冒号" in problems[0].message


def test_unclosed_quote() -> None:
    _, problems = parse_text('title: "abc\nsummary: b\n', "x.yaml")
    assert problems[0].code == "yaml.unclosed_quote"
    assert "引号" in problems[0].message or "引号" in problems[0].hint


def test_gbk_file_names_the_encoding() -> None:
    text, problems = decode("title: 拒付劳务费\n".encode("gbk"), "x.yaml")
    assert text is None
    assert problems[0].code == "file.encoding" and "GBK" in problems[0].message
    assert problems[0].line == 1


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + "title: 标题\n".encode())
    doc, problems = read_document(file, "x.yaml")
    assert problems == [] and doc is not None and doc.data == {"title": "标题"}


def test_utf16_is_refused() -> None:
    text, problems = decode("title: a".encode("utf-16"), "x.yaml")
    assert text is None and "UTF-16" in problems[0].message


@pytest.mark.parametrize(("text", "code"), [("", "file.empty"), ("# 只有注释\n", "file.empty")])
def test_empty_file(text: str, code: str) -> None:
    assert codes(text) == [(code, 1, 1)]


def test_block_scalar_offsets_map_to_source_lines() -> None:
    text = "body: |\n  第一行\n  第二行有问题\n"
    doc, _ = parse_text(text, "x")
    assert doc is not None
    offset = doc.data["body"].index("问题")
    assert doc.where_in_text(("body",), offset) == Pos(3, 7)


def test_list_file_in_record_folder(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/baomou.yaml": "- title: a\n- title: b\n"})
    found = [(p.path, p.code) for p in problems_of(data)]
    assert ("data/cases/baomou.yaml", "file.not_mapping") in found


def test_non_yaml_file_and_bad_id(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/notes.txt": "x", "cases/Bad_Name.yaml": CASE})
    found = {(p.path, p.code) for p in problems_of(data)}
    assert ("data/cases/notes.txt", "file.extension") in found
    assert ("data/cases/Bad_Name.yaml", "file.bad_id") in found


def test_registry_must_be_a_list(data_dir: DataDir) -> None:
    data = data_dir(**{"topics.yaml": "name: 根治欠薪\n"})
    assert ("data/topics.yaml", "file.not_list") in {(p.path, p.code) for p in problems_of(data)}


def test_missing_registry(data_dir: DataDir) -> None:
    data = data_dir(**{"metrics.yaml": None})
    assert "file.missing" in {p.code for p in problems_of(data)}


_plain = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1,
                 max_size=20)


@given(st.dictionaries(_plain, st.one_of(_plain, st.integers(0, 10**12)), min_size=1))
def test_property_quoted_strings_and_ints_round_trip(data: dict[str, object]) -> None:
    lines = []
    for key, value in data.items():
        shown = value if isinstance(value, int) else '"' + str(value) + '"'
        lines.append(f'"{key}": {shown}')
    doc, problems = parse_text("\n".join(lines) + "\n", "x")
    assert problems == [] and doc is not None
    assert doc.data == data


# --- Rule 9: what records write out, refused from the event stream -----------------------------


def test_anchor_alias_merge_and_tag_are_placed() -> None:
    text = "a: &x 1\nb: *x\nc:\n  <<: *x\n  d: !!str 5\n"
    assert codes(text) == [("yaml.anchor", 1, 4), ("yaml.alias", 2, 4), ("yaml.merge", 4, 3),
                           ("yaml.tag", 5, 6)]


def test_alias_is_absent_not_expanded() -> None:
    doc, _ = parse_text("a: &x [1, 2]\nb: *x\nc: [*x, 3]\n", "x.yaml")
    assert doc is not None
    assert doc.data == {"a": [1, 2], "b": None, "c": [None, 3]}
    assert doc.where(("c", 1)) == Pos(3, 9)


def test_tagged_value_is_its_text() -> None:
    doc, _ = parse_text("a: !!int 拖欠\nb: !!str no\nc: !!float 1.5\n", "x.yaml")
    assert doc is not None and doc.data == {"a": "拖欠", "b": "no", "c": "1.5"}


@pytest.mark.parametrize("depth", [20, 21, 5000])
def test_nesting_limit(depth: int) -> None:
    found = codes("a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n")
    assert found == ([] if depth <= 20 else [("yaml.too_deep", 1, 23)])


@pytest.mark.parametrize("digits", [31, 4301, 100_000])
def test_long_number_is_reported_not_converted(digits: int) -> None:
    doc, problems = parse_text(f"a: {'9' * digits}\nb: 1.{'5' * digits}\nc: {'9' * 30}\n", "x.yaml")
    assert [(p.code, p.line) for p in problems] == [("yaml.long_number", 1), ("yaml.long_number", 2)]
    assert doc is not None and doc.data == {"a": None, "b": None, "c": int("9" * 30)}


def test_control_characters_are_placed_and_named() -> None:
    _, problems = parse_text("title: 拒付\nsummary: 劳务\x00费\x7f\n", "x.yaml")
    assert [(p.line, p.column) for p in problems] == [(2, 12), (2, 14)]
    assert "U+0000（空字符）" in problems[0].message and "U+007F" in problems[1].message


def test_second_document_keeps_the_first() -> None:
    doc, problems = parse_text("title: a\n---\ntitle: b\n", "x.yaml")
    assert doc is not None and doc.data == {"title": "a"}
    assert [(p.code, p.line) for p in problems] == [("yaml.second_document", 2)]
    assert "一个文件只写一条记录" in problems[0].hint


def test_unclosed_quote_is_placed_where_it_opens() -> None:
    assert codes('title: a\nsummary: "abc\nstatus: x\n') == [("yaml.unclosed_quote", 2, 10)]


def test_unknown_syntax_error_is_chinese() -> None:
    from fazhi.loader import _syntax_problem

    error = yaml.MarkedYAMLError("while doing something new", None, "found something odd", None)
    problem = _syntax_problem(error, "x.yaml")
    assert problem.code == "yaml.unparsable"
    assert "无法解析这一行" in problem.message and "odd" not in problem.format()


@pytest.mark.parametrize(("raw", "name"), [
    (b"\xff\xfe\x00\x00t\x00\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff\x00\x00\x00t", "UTF-32"),
    ("title: 标题\n".encode("utf-32-le"), "UTF-32"), ("title: 标题\n".encode("utf-32-be"), "UTF-32"),
    ("title: 标题\n".encode("utf-16-le"), "UTF-16"), ("title: 标题\n".encode("utf-16-be"), "UTF-16"),
])
def test_wide_encodings_are_told_apart(raw: bytes, name: str) -> None:
    text, problems = decode(raw, "x.yaml")
    assert text is None and f"（看起来是 {name}）" in problems[0].message


def test_stray_nul_in_utf8_is_not_called_utf16() -> None:
    text, problems = decode("title: 标题\x00\n".encode(), "x.yaml")
    assert problems == [] and text == "title: 标题\x00\n"


def test_read_regular_refuses_links_and_fifos(tmp_path: Path) -> None:
    from fazhi.loader import read_regular

    target = tmp_path / "target.yaml"
    target.write_text("title: a\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.yaml")
    assert read_regular(target) == b"title: a\n"
    for name in ("link.yaml", "fifo.yaml", "."):
        with pytest.raises(OSError):
            read_regular(tmp_path / name)


# --- slips of Chinese input methods -------------------------------------------------------

@pytest.mark.parametrize(("text", "code", "line", "column"), [
    ("title: 标题\ncause：金融借款合同纠纷\n# 注释\ntopics: [根治欠薪]\n", "yaml.fullwidth_colon", 2, 6),
    ("title: 标题\nsections:\n  基本案情：被执行人包某拖欠劳务费。\n  办理经过: 依法拘传。\n",
     "yaml.fullwidth_colon", 3, 7),
    ("title: 标题\nparties:\n\u3000\u3000申请执行人: [徐某]\n", "yaml.fullwidth_space", 3, 1),
    ("title: 标题\nmeasures:\n  － 拘传\n  - 罚款\n", "yaml.fullwidth_dash", 3, 3),
    ("parties:\n  申请执行人:\n    － 徐某\n", "yaml.fullwidth_dash", 3, 5),
])
def test_input_method_slips_are_named_where_they_stand(text: str, code: str, line: int, column: int) -> None:
    _, problems = parse_text(text, "x.yaml")
    assert [(p.code, p.line, p.column) for p in problems] == [(code, line, column)]
    assert "英文" in problems[0].hint or "空格" in problems[0].hint


def test_chinese_punctuation_inside_text_is_not_a_slip() -> None:
    text = ("title: 案例：拒付劳务费\nsections:\n  基本案情: |\n"
            "    经查：被执行人包某拖欠劳务费。\n    － 这是正文里的破折号\n")
    doc, problems = parse_text(text, "x.yaml")
    assert problems == [] and doc is not None
