"""Choices left empty or typed with Chinese quotes, and list items separated with 、, get their own message."""

from __future__ import annotations

from tests.conftest import CASE, DataDir, problems_of


def test_an_empty_choice_says_nothing_was_chosen_and_lists_the_choices(data_dir: DataDir) -> None:
    problems = problems_of(data_dir(**{"cases/baomou.yaml": CASE.replace("procedure: 执行", 'procedure: ""')}))
    assert [(p.code, p.field_name) for p in problems] == [("field.choice_empty", "procedure")]
    assert problems[0].message == "还没有选择"
    assert "执行、审判、支持起诉" in problems[0].hint


def test_a_choice_in_chinese_quotes_says_to_drop_them(data_dir: DataDir) -> None:
    problems = problems_of(data_dir(**{"cases/baomou.yaml": CASE.replace("procedure: 执行", "procedure: “执行”")}))
    assert [(p.code, p.field_name) for p in problems] == [("field.choice_quoted", "procedure")]
    assert "直接写 执行" in problems[0].hint


def test_a_wrong_choice_still_lists_the_choices(data_dir: DataDir) -> None:
    problems = problems_of(data_dir(**{"cases/baomou.yaml": CASE.replace("procedure: 执行", "procedure: 执法")}))
    assert [(p.code, p.message) for p in problems] == [("field.choice", "“执法”不是允许的值")]


def test_list_items_separated_the_chinese_way_are_named(data_dir: DataDir) -> None:
    case = CASE.replace("topics: [根治欠薪]", "topics: [根治欠薪、涉民生执行]")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.code, p.field_name) for p in problems] == [("ref.list_separator", "topics")]
    assert "“、”" in problems[0].message
    assert "[根治欠薪, 涉民生执行]" in problems[0].hint


def test_an_unknown_name_with_a_separator_is_still_an_unknown_name(data_dir: DataDir) -> None:
    case = CASE.replace("topics: [根治欠薪]", "topics: [根治欠薪、不存在的专题]")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [p.code for p in problems] in (["ref.topic"], ["ref.topic_close"])
