"""Contract rules 2 and 4–8 on real files: each bad case asserts its file, line and rule."""

from __future__ import annotations

import pytest

from tests.conftest import CAMPAIGN, CASE, DataDir, problems_of

CASE_FILE = "data/cases/baomou.yaml"
CAMPAIGN_FILE = "data/campaigns/xinchun.yaml"


def one(data_dir: DataDir, **files: str) -> tuple[str, int, int, str]:
    """The single problem of a data folder: (path, line, rule, formatted line)."""
    problems = problems_of(data_dir(**files))
    assert len(problems) == 1, [p.format() for p in problems]
    p = problems[0]
    return p.path, p.line, p.rule, p.format()


def test_valid_sample_passes(data_dir: DataDir) -> None:
    assert problems_of(data_dir()) == []


def test_every_line_has_path_line_column_and_fix(data_dir: DataDir) -> None:
    path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "procedure: 执行", "procedure: 执法")})
    assert (path, line, rule) == (CASE_FILE, 5, 2)
    assert text.startswith(f"{CASE_FILE}:5:12: 字段 procedure：")
    assert " — 从这些值中选一个：执行、审判" in text


# --- rule 2 -------------------------------------------------------------------------------

def test_missing_required_field(data_dir: DataDir) -> None:
    path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "outcome: 执行完毕\n", "")})
    assert (path, line, rule) == (CASE_FILE, 1, 2)
    assert "缺少必填字段“outcome”" in text


def test_unknown_field_suggests_the_closest(data_dir: DataDir) -> None:
    problems = problems_of(data_dir(**{"cases/baomou.yaml": CASE.replace("outcome:", "outcom:")}))
    assert [(p.line, p.code) for p in problems] == [(1, "field.missing"), (11, "field.unknown")]
    assert "未知字段“outcom”" in problems[1].message and "是不是“outcome”" in problems[1].hint


def test_wrong_type(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "topics: [根治欠薪]", "topics: 根治欠薪")})
    assert (line, rule) == (6, 2) and "应为列表" in text


def test_bad_date(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "date: 2024-01-14", "date: 2024年1月14日")})
    assert (line, rule) == (4, 2) and "日期" in text


def test_end_before_start(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("start: 2024-01-14", "start: 2024-01-14\nend: 2023-12")
    path, _line, rule, text = one(data_dir, **{"campaigns/xinchun.yaml": campaign})
    assert (path, rule) == (CAMPAIGN_FILE, 2) and "早于" in text


def test_http_urls_only(data_dir: DataDir) -> None:
    case = CASE.replace("  - title: “新春暖薪”保民生\nstatus",
                        "  - title: “新春暖薪”保民生\n    url: javascript:alert(1)\nstatus")
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": case})
    assert (line, rule) == (21, 2) and "http" in text


def test_empty_list(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "topics: [根治欠薪]", "topics: []")})
    assert (line, rule) == (6, 2) and "至少" in text


def test_all_problems_at_once_sorted(data_dir: DataDir) -> None:
    case = CASE.replace("procedure: 执行", "procedure: 执法").replace("outcome:", "outcom:")
    campaign = CAMPAIGN.replace("kind: 集中执行", "kind: 集中")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case,
                                       "campaigns/xinchun.yaml": campaign}))
    assert [(p.path, p.line) for p in problems] == [
        (CAMPAIGN_FILE, 2), (CASE_FILE, 1), (CASE_FILE, 5), (CASE_FILE, 11)]


# --- rule 3 (through the whole checker) ---------------------------------------------------

def test_bare_no_in_text_field(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "measures: [拘传]", "measures: [拘传, no]")})
    assert (line, rule) == (10, 3) and '"no"' in text


def test_time_like_value(data_dir: DataDir) -> None:
    _path, line, rule, _ = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "outcome: 执行完毕", "outcome: 执行完毕\ncause: 12:30")})
    assert (line, rule) == (12, 3)


# --- rule 4 -------------------------------------------------------------------------------

def test_unknown_agency_lists_closest(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "agency: 海拉尔区人民法院", "agency: 海拉尔区法院")})
    assert (line, rule) == (2, 4) and "海拉尔区人民法院" in text


def test_alias_is_accepted(data_dir: DataDir) -> None:
    assert problems_of(data_dir(**{"cases/baomou.yaml": CASE.replace(
        "agency: 海拉尔区人民法院", "agency: 海拉尔法院")})) == []


def test_unknown_topic_and_metric(data_dir: DataDir) -> None:
    case = CASE.replace("topics: [根治欠薪]", "topics: [根治欠款]").replace(
        "执行到位金额: 4865元", "到位金额: 4865元")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.line, p.code, p.rule) for p in problems] == [
        (6, "ref.topic", 4), (13, "ref.metric", 4)]
    assert "根治欠薪" in problems[0].hint and "执行到位金额" in problems[1].hint


def test_unknown_campaign(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "campaign: xinchun", "campaign: xinchu")})
    assert (line, rule) == (3, 4) and "xinchun" in text


def test_part_of_cycle(data_dir: DataDir) -> None:
    a = CAMPAIGN.replace("status:", "part_of: b\nstatus:")
    b = CAMPAIGN.replace("status:", "part_of: xinchun\nstatus:").replace("metrics:", "x_metrics:")
    b = b.replace("x_metrics:", "metrics:")
    problems = problems_of(data_dir(**{"campaigns/xinchun.yaml": a, "campaigns/b.yaml": b}))
    assert [(p.code, p.rule) for p in problems] == [("ref.cycle", 4)]
    assert "b → xinchun → b" in problems[0].message


def test_published_may_not_link_to_draft(data_dir: DataDir) -> None:
    path, line, rule, text = one(data_dir, **{"campaigns/xinchun.yaml": CAMPAIGN.replace(
        "status: published", "status: draft")})
    assert (path, line, rule) == (CASE_FILE, 3, 4) and "draft" in text


def test_duplicate_registry_name(data_dir: DataDir) -> None:
    from tests.conftest import TOPICS

    extra = "- name: 根治欠薪\n  slug: wage-2\n  description: 重复的名称。\n"
    path, line, rule, text = one(data_dir, **{"topics.yaml": TOPICS + extra})
    assert (path, line, rule) == ("data/topics.yaml", 7, 2) and "重复" in text


# --- rule 5 -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "code"), [
    ("49元", "value.unit_mismatch"), ("四十九个", "value.unit_mismatch"),
    ("若干件", "value.unparsable"), ("4.5件", "value.invalid"), ("-3件", "value.invalid"),
])
def test_bad_count(data_dir: DataDir, value: str, code: str) -> None:
    campaign = CAMPAIGN.replace("执结案件: 49件", f"执结案件: {value}")
    problems = problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign}))
    assert [(p.path, p.line, p.code, p.rule) for p in problems] == [
        (CAMPAIGN_FILE, 8, code, 5)]


def test_money_with_count_unit(data_dir: DataDir) -> None:
    _path, line, rule, _ = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "执行到位金额: 4865元", "执行到位金额: 4865件")})
    assert (line, rule) == (13, 5)


def test_unit_synonyms_are_accepted(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("执结案件: 49件", "执结案件: 49起").replace("拘传: 42人", "拘传: 42名")
    assert problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign})) == []


# --- rule 6 -------------------------------------------------------------------------------

BREAKDOWN = """\
  执结案件:
    total: 121件
    parts: {{劳务派遣纠纷: 2, 劳资纠纷: 6, 合同纠纷: 1, 其他纠纷: {other}}}
    complete: {complete}
"""


def test_complete_breakdown_that_adds_up(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  执结案件: 49件\n", BREAKDOWN.format(other=112,
                                                                  complete="true"))
    assert problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign})) == []


def test_complete_breakdown_that_does_not_add_up(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  执结案件: 49件\n", BREAKDOWN.format(other=111,
                                                                  complete="true"))
    path, line, rule, text = one(data_dir, **{"campaigns/xinchun.yaml": campaign})
    assert (path, line, rule) == (CAMPAIGN_FILE, 9, 6)
    assert "120件" in text and "121件" in text


def test_incomplete_breakdown_may_fall_short(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  执结案件: 49件\n", BREAKDOWN.format(other=100,
                                                                  complete="false"))
    assert problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign})) == []


# --- rule 7 -------------------------------------------------------------------------------

def test_campaign_smaller_than_its_cases(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  拘传: 42人\n", "  拘传: 42人\n  执行到位金额: 4000元\n")
    path, line, rule, text = one(data_dir, **{"campaigns/xinchun.yaml": campaign})
    assert (path, line, rule) == (CAMPAIGN_FILE, 11, 7)
    assert "4865元" in text and "baomou" in text


def test_approximate_campaign_value_is_not_compared(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  拘传: 42人\n", "  拘传: 42人\n  执行到位金额: 近4000元\n")
    assert problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign})) == []


def test_draft_cases_do_not_count(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("  拘传: 42人\n", "  拘传: 42人\n  执行到位金额: 4000元\n")
    case = CASE.replace("status: published", "status: draft")
    assert problems_of(data_dir(**{"campaigns/xinchun.yaml": campaign,
                                   "cases/baomou.yaml": case})) == []


# --- rule 8 -------------------------------------------------------------------------------

def test_unanonymized_party(data_dir: DataDir) -> None:
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "被执行人: [包某]", "被执行人: [包建国]")})
    assert (line, rule) == (9, 8) and "包建国" in text


def test_role_word_with_name_in_section_points_into_the_text(data_dir: DataDir) -> None:
    case = CASE.replace("  办理经过: 执行干警依法拘传。",
                        "  办理经过: |\n    执行干警依法拘传。\n    被执行人包建国当日付清。")
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": case})
    assert (line, rule) == (19, 8) and "包建国" in text


@pytest.mark.parametrize("snippet", ["联系电话13812345678", "身份证号11010519491231002X"])
def test_numbers_in_summary(data_dir: DataDir, snippet: str) -> None:
    _path, line, rule, _ = one(data_dir, **{"cases/baomou.yaml": CASE.replace(
        "summary: 被执行人被拘传后当日付清劳务费。", f"summary: 被执行人被拘传后当日付清劳务费。{snippet}")})
    assert (line, rule) == (14, 8)


def test_waiver_lets_one_finding_through(data_dir: DataDir) -> None:
    case = CASE.replace("summary: 被执行人被拘传后当日付清劳务费。",
                        "summary: 被执行人被拘传后当日付清劳务费。咨询电话0470-8888888。") + (
        "privacy_reviewed:\n  - match: 0470-8888888\n    reason: 法院公开的服务电话\n")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []


def test_drafts_are_not_scanned(data_dir: DataDir) -> None:
    case = CASE.replace("被执行人: [包某]", "被执行人: [包建国]").replace(
        "campaign: xinchun\n", "").replace("status: published", "status: draft")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []


def test_officials_and_journalists_may_be_named(data_dir: DataDir) -> None:
    case = CASE.replace("  典型意义: 以强制措施督促履行。",
                        "  典型意义: 副院长韩峰带队，记者金丽随行报道。")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []


def test_index_is_reserved(data_dir: DataDir) -> None:
    problems = problems_of(data_dir(**{"cases/index.yaml": CASE.replace("campaign: xinchun\n", "")}))
    assert [(p.path, p.code) for p in problems] == [("data/cases/index.yaml", "file.bad_id")]


def test_index_slug_is_reserved(data_dir: DataDir) -> None:
    from tests.conftest import TOPICS

    problems = problems_of(data_dir(**{"topics.yaml": TOPICS.replace("wage-arrears", "index")}))
    assert [(p.path, p.line, p.code) for p in problems] == [("data/topics.yaml", 2, "field.format")]
