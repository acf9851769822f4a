"""Contract rules 2 and 4–8 on real files: each bad case asserts its file, line and rule."""

from __future__ import annotations

import pytest

from fazhi.privacy import CODES
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
    assert [(p.line, p.code) for p in problems] == [(1, "field.missing"), (11, "field.unknown_close")]
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
        (6, "ref.topic_close", 4), (13, "ref.metric_close", 4)]
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
    ("若干件", "value.word_no_number"), ("4.5件", "value.not_whole"), ("-3件", "value.negative"),
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


@pytest.mark.parametrize("status", ["draft", "review"])
def test_drafts_and_records_in_review_are_scanned(data_dir: DataDir, status: str) -> None:
    case = CASE.replace("被执行人: [包某]", "被执行人: [包建国]").replace(
        "campaign: xinchun\n", "").replace("status: published", f"status: {status}")
    _path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": case})
    assert (line, rule) == (8, 8) and "包建国" in text


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
    assert [(p.path, p.line, p.code) for p in problems] == [("data/topics.yaml", 2, "field.format_slug")]


# --- rule 8, version 2: every string of every record, whatever its status -------------------

SOURCE_LINE = "  - title: “新春暖薪”保民生\n"


def _case_source(field_line: str) -> str:
    return CASE.replace(SOURCE_LINE, SOURCE_LINE + field_line)


def privacy_problems(data_dir: DataDir, **files: str) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.column, p.field_name) for p in problems_of(data_dir(**files))
            if p.code in CODES]


@pytest.mark.parametrize(
    "field_line, column, field_name",
    [
        ("    author: 金丽 13800138000\n", 16, "sources.0.author"),
        ("    author: 金丽 138 0013 8000\n", 16, "sources.0.author"),
        ("    author: jin.li@example.com\n", 13, "sources.0.author"),
        ("    author: 金丽 110101199003074514\n", 16, "sources.0.author"),
        ("    publisher: 法治报 fazhi@example.com\n", 20, "sources.0.publisher"),
        ("    publisher: 法治报 0471-6912345\n", 20, "sources.0.publisher"),
        ("    url: https://example.com/a?id=110101199003074514\n", 35, "sources.0.url"),
        ("    url: https://example.com/u/13800138000\n", 32, "sources.0.url"),
        ("    url: https://example.com/u/zhang@example.com\n", 32, "sources.0.url"),
    ],
)
def test_every_source_field_is_scanned(data_dir: DataDir, field_line: str, column: int,
                                       field_name: str) -> None:
    found = privacy_problems(data_dir, **{"cases/baomou.yaml": _case_source(field_line)})
    assert found == [(CASE_FILE, 21, column, field_name)]


@pytest.mark.parametrize("author", ["金丽", "金燕翔 贾舒钧 史文丽", "本报记者 张建国"])
def test_a_journalist_may_be_named_in_author(data_dir: DataDir, author: str) -> None:
    assert problems_of(data_dir(**{"cases/baomou.yaml": _case_source(f"    author: {author}\n")})) == []


def test_full_name_in_a_role_key(data_dir: DataDir) -> None:
    case = CASE.replace("  被执行人: [包某]", "  被执行人张建国: [包某]")
    found = privacy_problems(data_dir, **{"cases/baomou.yaml": case})
    assert found == [(CASE_FILE, 9, 7, "parties.被执行人张建国")]


def test_quoted_role_key_points_at_the_name(data_dir: DataDir) -> None:
    case = CASE.replace("  被执行人: [包某]", '  "被执行人：张建国": [包某]')
    assert privacy_problems(data_dir, **{"cases/baomou.yaml": case}) == [
        (CASE_FILE, 9, 9, "parties.被执行人：张建国")]


@pytest.mark.parametrize(
    "region, column",
    [("内蒙古自治区/呼伦贝尔市/海拉尔区胜利街12号", 26), ("内蒙古自治区/呼伦贝尔市/13800138000", 22),
     ("内蒙古自治区/呼伦贝尔市/新华嘎查18号", 22)],
)
def test_campaign_region_is_scanned(data_dir: DataDir, region: str, column: int) -> None:
    campaign = CAMPAIGN + f"region: {region}\n"
    assert privacy_problems(data_dir, **{"campaigns/xinchun.yaml": campaign}) == [
        (CAMPAIGN_FILE, 16, column, "region")]


@pytest.mark.parametrize(
    "old, new, line, field_name",
    [
        ("measures: [拘传]", "measures: [拘传, 联系被执行人张建国]", 10, "measures.1"),
        ("outcome: 执行完毕", "cause: 原告陈晓明诉劳务合同纠纷\noutcome: 执行完毕", 11, "cause"),
        ("  典型意义: 以强制措施督促履行。", "  证人李明的证言: 以强制措施督促履行。", 18, "sections.证人李明的证言"),
        ("  典型意义: 以强制措施督促履行。", "  典型意义: 当事人住幸福社区12号。", 18, "sections.典型意义"),
        ("title: 拒付劳务费被拘传 当日转账履行", "title: 债务人王小二拒付劳务费", 1, "title"),
        ("status: published", "status: published\nkeywords: [拘传, 138-0013-8000]", 22, "keywords.1"),
        ("  执行到位金额: 4865元", "  执行到位金额:\n    total: 4865元\n    parts:\n      包工头王建军: 4865元",
         16, "metrics.执行到位金额.parts.包工头王建军"),
    ],
)
def test_every_text_field_of_a_case_is_scanned(data_dir: DataDir, old: str, new: str, line: int,
                                               field_name: str) -> None:
    assert old in CASE
    found = privacy_problems(data_dir, **{"cases/baomou.yaml": CASE.replace(old, new)})
    assert [(p, ln, f) for p, ln, _c, f in found] == [(CASE_FILE, line, field_name)]


def test_campaign_body_and_breakdown_part_names_are_scanned(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace(
        "  执结案件: 49件\n",
        "  执结案件:\n    total: 49件\n    parts:\n      被执行人张建国: 1件\n      其他: 48件\n",
    ) + "body: |\n  第一段。\n\n  证人李明作证。\n"
    found = privacy_problems(data_dir, **{"campaigns/xinchun.yaml": campaign})
    assert found == [(CAMPAIGN_FILE, 11, 11, "metrics.执结案件.parts.被执行人张建国"),
                     (CAMPAIGN_FILE, 23, 5, "body")]


@pytest.mark.parametrize(
    "entry", ["某张建国", "张建国某", "张某（张建国）", "某公司（法定代表人张建国）", "张建国", "贵州鑫源建筑有限公司",
              "张\u200b建国", "张某、李四"],
)
def test_party_evasions_fail_check(data_dir: DataDir, entry: str) -> None:
    case = CASE.replace("被执行人: [包某]", f"被执行人: [{entry}]")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.line, p.column, p.field_name) for p in problems] == [(9, 10, "parties.被执行人.0")]
    assert f"当事人名称“{entry.strip()}”不是匿名形式" in problems[0].message


def test_party_with_a_phone_gets_both_findings(data_dir: DataDir) -> None:
    case = CASE.replace("被执行人: [包某]", "被执行人: [包某13800138000]")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert sorted((p.column, p.message[:8]) for p in problems) == [
        (10, "当事人名称“包某"), (12, "发现疑似手机号码")]


def test_party_place_prefix_from_the_registry(data_dir: DataDir) -> None:
    case = CASE.replace("被执行人: [包某]", "被执行人: [海拉尔某公司, 呼伦贝尔某建筑公司, 内蒙古某商店]")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []
    case = CASE.replace("被执行人: [包某]", "被执行人: [包建国某公司]")
    assert len(problems_of(data_dir(**{"cases/baomou.yaml": case}))) == 1


@pytest.mark.parametrize("status", ["draft", "review"])
def test_draft_and_review_records_with_an_id_number_fail(data_dir: DataDir, status: str) -> None:
    case = CASE.replace("campaign: xinchun\n", "").replace("status: published", f"status: {status}")
    case = case.replace("summary: 被执行人被拘传后当日付清劳务费。", "summary: 身份证号110101199003074514。")
    path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": case})
    assert (path, line, rule) == (CASE_FILE, 13, 8) and "110101199003074514" in text


def test_draft_campaign_is_scanned(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace("status: published", "status: draft").replace(
        "summary: 两级法院集中执行涉民生案件。", "summary: 联系人电话138 0013 8000。")
    case = CASE.replace("campaign: xinchun\n", "")
    path, line, rule, _ = one(data_dir, **{"campaigns/xinchun.yaml": campaign, "cases/baomou.yaml": case})
    assert (path, line, rule) == (CAMPAIGN_FILE, 6, 8)


def test_formatting_tricks_fail_check(data_dir: DataDir) -> None:
    summary = "summary: 身份证1101-0119-9003-0745-14，电话一三八零零一三八零零零，被执行人张\u200b建国。"
    case = CASE.replace("summary: 被执行人被拘传后当日付清劳务费。", summary)
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    start = len("summary: ") + 1
    assert [(p.line, p.column) for p in problems] == [
        (14, start + 3), (14, start + 3 + 22 + 3), (14, start + 3 + 22 + 3 + 11 + 5)]


@pytest.mark.parametrize("status", ["draft", "review", "published"])
def test_waiver_in_any_field_and_status_is_listed(data_dir: DataDir, status: str) -> None:
    from fazhi.pipeline import load_dataset

    case = _case_source("    publisher: 海拉尔区人民法院 0470-8888888\n").replace(
        "status: published", f"status: {status}").replace("campaign: xinchun\n", "") + (
        "privacy_reviewed:\n  - match: 0470-8888888\n    reason: 法院公开的服务电话\n")
    dataset = load_dataset(data_dir(**{"cases/baomou.yaml": case}))
    assert [(w.path, w.line, w.match, w.reason) for w in dataset.waived] == [
        (CASE_FILE, 20, "0470-8888888", "法院公开的服务电话")]


def test_waiver_quotes_the_original_text(data_dir: DataDir) -> None:
    case = CASE.replace("summary: 被执行人被拘传后当日付清劳务费。", "summary: 咨询电话０４７０－８８８８８８８。") + (
        "privacy_reviewed:\n  - match: ０４７０－８８８８８８８\n    reason: 法院公开的服务电话\n")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []


def test_unused_waiver_is_reported(data_dir: DataDir) -> None:
    case = CASE + "privacy_reviewed:\n  - match: 0470-8888888\n    reason: 法院公开的服务电话\n"
    path, line, rule, text = one(data_dir, **{"cases/baomou.yaml": case})
    assert (path, line, rule) == (CASE_FILE, 23, 8)
    assert "privacy_reviewed 中的“0470-8888888”在记录里找不到" in text


@pytest.mark.parametrize(
    "text",
    ["院长王建军带队执行。", "执行标的13800138000元，案号（2024）内0702执123号。", "依据法释〔2016〕19号第一百零九条。",
     "拨打12368热线。", "包工头刘某某当日付清。"],
)
def test_legitimate_sentences_pass_check(data_dir: DataDir, text: str) -> None:
    case = CASE.replace("  典型意义: 以强制措施督促履行。", f"  典型意义: {text}")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []


# --- rule 9, version 2: HTML in text --------------------------------------------------------

SUMMARY = "summary: 被执行人被拘传后当日付清劳务费。"
SUMMARY_END = len(SUMMARY) + 1


@pytest.mark.parametrize(
    "tag", ["<script>alert(1)", "<style>p{color:red}", "<div>", "<p>", "<details>", "<!-- 注释",
            "<br/>", "</div>", "<script"],
)
def test_html_in_summary_is_refused_at_its_position(data_dir: DataDir, tag: str) -> None:
    case = CASE.replace(SUMMARY, SUMMARY + tag)
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.path, p.line, p.column, p.code, p.rule) for p in problems] == [
        (CASE_FILE, 14, SUMMARY_END, "markup.html", 9)]
    assert problems[0].message.startswith("发现 HTML 标签“<")
    assert problems[0].hint == "删去 HTML 标签，写纯文字或 Markdown；需要小于号时写全角“＜”"


def test_unclosed_script_in_a_block_section(data_dir: DataDir) -> None:
    case = CASE.replace("  办理经过: 执行干警依法拘传。",
                        "  办理经过: |\n    执行干警依法拘传。\n\n    当日<script>付清，<p>见下文。")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.line, p.column, p.field_name) for p in problems] == [(20, 7, "sections.办理经过")]
    assert "“<script>”（这段文字里共 2 处）" in problems[0].message


def test_html_in_a_key_and_in_a_source(data_dir: DataDir) -> None:
    case = _case_source("    publisher: 法治报<br>\n").replace("  典型意义:", "  <b>典型意义</b>:")
    problems = problems_of(data_dir(**{"cases/baomou.yaml": case}))
    assert [(p.line, p.column, p.code) for p in problems] == [
        (18, 3, "markup.html_many"), (21, 19, "markup.html")]


@pytest.mark.parametrize(
    "text", ["见 <https://www.court.gov.cn/zixun.html>", "见 <ftp://example.com/a>", "标的额<5万元",
             "a < b", "写全角＜script＞"],
)
def test_not_html_passes(data_dir: DataDir, text: str) -> None:
    case = CASE.replace(SUMMARY, f"summary: '{text}'")
    assert problems_of(data_dir(**{"cases/baomou.yaml": case})) == []
