"""`python build_stats.py new case|campaign`: a file to fill in that the checker guides to the end."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest
import yaml

from fazhi.loader import parse_text
from fazhi.models import Campaign, Case
from fazhi.scaffold import ScaffoldError, _width, _wrap_line, check_command, new_record, suggest_id
from tests.conftest import ROOT, DataDir, problems_of

TODAY = datetime.date(2024, 3, 5)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_stats.py"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_new_case_has_every_field_and_the_schema_line(data_dir: DataDir) -> None:
    data = data_dir()
    path = new_record("case", data, agencies=["海拉尔法院"], date="2024-01-14")
    assert path == data / "cases" / "2024-01-14-hailar-court.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/case.schema.json"
    record = yaml.safe_load(text)
    assert list(record) == list(Case.model_fields)  # the models declare the template's order
    assert record["agency"] == "海拉尔区人民法院"  # the registered full name, not the alias
    assert record["status"] == "draft"
    assert str(record["date"]) == "2024-01-14"
    doc, problems = parse_text(text, "x.yaml")
    assert doc is not None and problems == []


def test_comments_come_from_the_models(data_dir: DataDir) -> None:
    text = new_record("case", data_dir(), agencies=["海拉尔法院"], today=TODAY).read_text(encoding="utf-8")
    assert "# 【必填】程序：执行、审判" in text
    assert "只能填写其中之一：执行 | 审判 | 支持起诉 | 调解 | 法律援助 | 检察监督 | 其他" in text
    assert "# 【选填】案由，例如 劳务合同纠纷" in text
    assert "根治欠薪、涉民生执行" in text  # the registered topics
    assert "执结标的（元）" in text  # the registered metrics with their units
    assert "xinchun（“新春暖薪”集中执行行动）" in text  # this agency's campaign
    for line in text.splitlines():
        assert _width(line) <= 90, line


def test_placeholders_fail_the_checker_until_filled_in(data_dir: DataDir) -> None:
    data = data_dir()
    path = new_record("case", data, agencies=["海拉尔法院"], title="拒付劳务费被拘传", today=TODAY)
    fields = {p.field_name for p in problems_of(data)}
    assert fields == {"procedure", "topics", "outcome", "summary", "sections.基本案情",
                      "sections.办理经过", "sections.典型意义", "sources[0].title"}
    text = path.read_text(encoding="utf-8")
    for old, new in (('procedure: ""', "procedure: 执行"), ("topics: []", "topics: [根治欠薪]"),
                     ('outcome: ""', "outcome: 执行完毕"), ('summary: ""', "summary: 包某付清劳务费。"),
                     ('基本案情: ""', "基本案情: 包某拖欠劳务费。"), ('办理经过: ""', "办理经过: 依法拘传。"),
                     ('典型意义: ""', "典型意义: 督促履行。"), ('- title: ""', "- title: 报道")):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    assert problems_of(data) == []


def test_blank_text_gets_a_clear_message(data_dir: DataDir) -> None:
    data = data_dir()
    new_record("case", data, agencies=["海拉尔法院"], today=TODAY)
    lines = {p.field_name: p.format() for p in problems_of(data)}
    assert lines["title"].endswith("字段 title：还没有填写 — 填写标题，不能留空")
    assert lines["sections.基本案情"].endswith("填写“基本案情”的内容，不能留空")
    assert lines["sources[0].title"].endswith("填写报道或文件的标题，不能留空")


def test_new_campaign_with_several_agencies(data_dir: DataDir) -> None:
    data = data_dir()
    path = new_record("campaign", data, agencies=["呼伦贝尔中院", "海拉尔法院"], today=TODAY)
    assert path.name == "2024-03-05-hlbe-court.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/campaign.schema.json\n")
    record = yaml.safe_load(text)
    assert list(record) == list(Campaign.model_fields)  # the models declare the template's order
    assert record["agencies"] == ["呼伦贝尔市中级人民法院", "海拉尔区人民法院"]
    assert str(record["start"]) == "2024-03-05"
    assert {p.field_name for p in problems_of(data)} == {"kind", "topics", "summary", "sources[0].title", "title"}


def test_ids_count_up_and_files_are_never_overwritten(data_dir: DataDir) -> None:
    data = data_dir()
    first = new_record("case", data, agencies=["海拉尔法院"], today=TODAY)
    second = new_record("case", data, agencies=["海拉尔法院"], today=TODAY)
    assert (first.stem, second.stem) == ("2024-03-05-hailar-court", "2024-03-05-hailar-court-2")
    first.write_text("title: 已写的内容\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="已经存在"):
        new_record("case", data, agencies=["海拉尔法院"], record_id=first.stem, today=TODAY)
    assert first.read_text(encoding="utf-8") == "title: 已写的内容\n"
    assert suggest_id("2024-01-14", "x", {"2024-01-14-x", "2024-01-14-x-2"}) == "2024-01-14-x-3"


def test_bad_arguments_are_refused_in_chinese(data_dir: DataDir) -> None:
    data = data_dir()
    with pytest.raises(ScaffoldError, match="不是有效的日期"):
        new_record("case", data, date="2024-02-30")
    with pytest.raises(ScaffoldError, match="不能用作文件名"):
        new_record("case", data, record_id="Bad Id")
    with pytest.raises(ScaffoldError, match="只有一个办理机关"):
        new_record("case", data, agencies=["海拉尔法院", "呼伦贝尔中院"])
    assert not list((data / "cases").glob("2024-02*"))


def test_cli_unknown_agency_lists_the_closest_names_and_exits_2(data_dir: DataDir) -> None:
    data = data_dir()
    result = _cli("--data", str(data), "new", "case", "--agency", "海拉尔区法院")
    assert result.returncode == 2
    assert "未登记的机关“海拉尔区法院”" in result.stderr
    assert "海拉尔区人民法院" in result.stderr
    assert sorted(p.name for p in (data / "cases").iterdir()) == ["baomou.yaml"]


def test_cli_prints_the_path_and_the_next_step(data_dir: DataDir) -> None:
    data = data_dir()
    result = _cli("--data", str(data), "new", "case", "--agency", "海拉尔法院", "--date", "2024-01-14",
                  "--title", "拒付劳务费: 当日履行")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "已新建 data/cases/2024-01-14-hailar-court.yaml",
        f"下一步：编辑该文件，然后运行 {check_command()}",
    ]
    assert check_command(windows=False) == ".venv/bin/python build_stats.py check（或 make check）"
    assert check_command(windows=True) == ".venv\\Scripts\\python build_stats.py check"
    record = yaml.safe_load((data / "cases" / "2024-01-14-hailar-court.yaml").read_text(encoding="utf-8"))
    assert record["title"] == "拒付劳务费: 当日履行"


def test_default_date_is_today(data_dir: DataDir) -> None:
    data = data_dir()
    result = _cli("--data", str(data), "new", "campaign")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"data/campaigns/{datetime.date.today().isoformat()}\.yaml", result.stdout)


def test_comment_wrapping_respects_chinese_punctuation() -> None:
    lines = _wrap_line("调解案件（件）、判决案件（件）、自动履行（件）、写 data/agencies.yaml 中的名称", 20)
    assert all(_width(line) <= 20 for line in lines)
    assert not any(line[0] in "，。、；：）" or line[-1] in "（“" for line in lines)
    assert "data/agencies.yaml" in lines[-2] + lines[-1]
