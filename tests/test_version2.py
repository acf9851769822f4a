"""Records version 2: joint campaigns (lead, by_agency, rule 6), typical-case fields (gist,
laws, release, case_number), the laws registry, dates that read right and last-change dates."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from fazhi.models import PartialDate
from fazhi.pipeline import generate, load_dataset
from fazhi.render.kit import date_range
from fazhi.stats import aggregate
from tests.conftest import CAMPAIGN, CASE, DataDir, problems_of

CASE_FILE = "data/cases/baomou.yaml"
CAMPAIGN_FILE = "data/campaigns/xinchun.yaml"
JOINT_AMOUNT = "  执结标的: 101.2万元\n"


def codes(data: Path) -> list[tuple[str, int, str]]:
    """(path, line, code) of every problem."""
    return [(p.path, p.line, p.code) for p in problems_of(data)]


def with_shares(shares: str, complete: bool = True) -> str:
    flag = "    complete: true\n" if complete else ""
    return CAMPAIGN.replace(JOINT_AMOUNT, f"  执结标的:\n    total: 101.2万元\n    by_agency: {shares}\n{flag}")


# --- joint campaigns ------------------------------------------------------------------------


def test_lead_and_complete_shares_pass(data_dir: DataDir) -> None:
    campaign = with_shares("{呼伦贝尔中院: 40万元, 海拉尔区人民法院: 61.2万元}").replace(
        "start: 2024-01-14\n", "start: 2024-01-14\nlead: 呼伦贝尔中院\n")
    data = data_dir(**{"campaigns/xinchun.yaml": campaign})
    assert problems_of(data) == []
    entry = load_dataset(data).campaigns["xinchun"]
    assert entry.joint and entry.lead is not None and entry.lead.slug == "hlbe-court"
    shares = entry.figures["执结标的"].shares
    assert [(agency.slug, str(value.amount)) for agency, value in shares] == [
        ("hlbe-court", "400000"), ("hailar-court", "612000")]


def test_lead_must_be_an_agency_of_the_campaign(data_dir: DataDir) -> None:
    agencies = "- name: 呼伦贝尔市人民检察院\n  kind: 检察院\n  region: 内蒙古自治区/呼伦贝尔市\n  slug: hlbe-proc\n"
    from tests.conftest import AGENCIES
    data = data_dir(**{"agencies.yaml": AGENCIES + agencies, "campaigns/xinchun.yaml": CAMPAIGN.replace(
        "start: 2024-01-14\n", "start: 2024-01-14\nlead: 呼伦贝尔市人民检察院\n")})
    [problem] = problems_of(data)
    assert (problem.path, problem.line, problem.code, problem.rule) == (CAMPAIGN_FILE, 5, "ref.lead", 4)
    assert "呼伦贝尔市中级人民法院、海拉尔区人民法院" in problem.hint


def test_unknown_lead_lists_close_names(data_dir: DataDir) -> None:
    data = data_dir(**{"campaigns/xinchun.yaml": CAMPAIGN.replace(
        "start: 2024-01-14\n", "start: 2024-01-14\nlead: 呼伦贝尔中级法院\n")})
    assert codes(data) == [(CAMPAIGN_FILE, 5, "ref.agency_close")]


def test_shares_must_add_up_when_complete(data_dir: DataDir) -> None:
    data = data_dir(**{"campaigns/xinchun.yaml": with_shares("{呼伦贝尔中院: 40万元, 海拉尔区人民法院: 60万元}")})
    [problem] = problems_of(data)
    assert (problem.path, problem.line, problem.code, problem.rule) == (CAMPAIGN_FILE, 10, "breakdown.share_sum", 6)
    assert "100万元" in problem.message and "101.2万元" in problem.message


def test_incomplete_shares_need_not_add_up(data_dir: DataDir) -> None:
    data = data_dir(**{"campaigns/xinchun.yaml": with_shares("{海拉尔区人民法院: 61.2万元}", complete=False)})
    assert problems_of(data) == []


def test_a_share_belongs_to_an_agency_of_the_campaign(data_dir: DataDir) -> None:
    from tests.conftest import AGENCIES
    other = ("- name: 鄂温克族自治旗人民法院\n  kind: 法院\n"
             "  region: 内蒙古自治区/呼伦贝尔市/鄂温克族自治旗\n  slug: ewenki\n")
    data = data_dir(**{"agencies.yaml": AGENCIES + other,
                       "campaigns/xinchun.yaml": with_shares("{鄂温克族自治旗人民法院: 1万元}", complete=False)})
    [problem] = problems_of(data)
    assert (problem.line, problem.code, problem.rule) == (11, "breakdown.share_agency", 6)
    assert problem.field_name == "metrics.执结标的.by_agency.鄂温克族自治旗人民法院"


def test_a_case_has_no_shares(data_dir: DataDir) -> None:
    case = CASE.replace("  执行到位金额: 4865元\n",
                        "  执行到位金额:\n    total: 4865元\n    by_agency: {海拉尔区人民法院: 4865元}\n")
    assert codes(data_dir(**{"cases/baomou.yaml": case})) == [(CASE_FILE, 15, "breakdown.share_case")]


def test_a_breakdown_needs_parts_or_shares(data_dir: DataDir) -> None:
    campaign = CAMPAIGN.replace(JOINT_AMOUNT, "  执结标的:\n    total: 101.2万元\n")
    assert [c for _, _, c in codes(data_dir(**{"campaigns/xinchun.yaml": campaign}))] == ["breakdown.empty"]


def test_agency_totals_never_take_a_joint_figure(data_dir: DataDir) -> None:
    data = data_dir(**{"campaigns/xinchun.yaml": with_shares("{海拉尔区人民法院: 61.2万元}", complete=False)})
    stats = aggregate(load_dataset(data).published())
    work = {w.key: w for w in stats.agencies}
    hailar = work["hailar-court"]
    assert hailar.own == () and hailar.joint == ("xinchun",) and hailar.shared == ("xinchun",)
    assert [(t.metric.name, str(t.value.amount)) for t in hailar.totals] == [("执结标的", "612000")]
    assert work["hlbe-court"].totals == ()  # joint, no share: nothing of its own
    [roll_up] = stats.roll_ups  # the intermediate court and the district court below it
    assert roll_up.key == "hlbe-court" and roll_up.members == ("hailar-court",)
    assert roll_up.own == ("xinchun",)  # run by the two together: counted once, in full
    assert {t.metric.name: str(t.value.amount) for t in roll_up.totals}["执结标的"] == "1012000"
    assert {t.metric.name: len(t.records) for t in stats.overall.totals}["执结标的"] == 1  # every campaign once


# --- typical-case fields ------------------------------------------------------------------


V2_CASE = CASE.replace("status: published\n", "").replace(
    "procedure: 执行\n", "procedure: 执行\ncase_number: （2024）内0702执123号\n") + """\
gist: 拘传促使被执行人当日履行。
laws:
  - 《民事诉讼法》第一百零九条
  - 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十二条
release:
  by: 呼伦贝尔中院
  title: 2024年涉民生执行典型案例
  date: 2024-03
status: published
"""


def test_version_2_case_passes_and_resolves_short_names(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/baomou.yaml": V2_CASE})
    assert problems_of(data) == []
    case = load_dataset(data).cases["baomou"]
    assert [(c.law.slug, c.articles) for c in case.citations] == [
        ("civil-procedure-law", ("第一百零九条",)), ("civil-procedure-interpretation", ("第四百八十二条",))]
    pages = {p.src_uri: p.content for p in generate(data, workers=1)}
    assert "[《中华人民共和国民事诉讼法》](../laws/civil-procedure-law.md)第一百零九条" in pages["cases/baomou.md"]
    assert "## 第一百零九条（1件）" in pages["laws/civil-procedure-law.md"]
    assert "（2024）内0702执123号" in pages["cases/baomou.md"]


@pytest.mark.parametrize("entry", ["民事诉讼法第一百零九条", "《民事诉讼法》第109条", "《民事诉讼法》一百零九条"])
def test_malformed_law_is_an_error_with_an_example(data_dir: DataDir, entry: str) -> None:
    data = data_dir(**{"cases/baomou.yaml": V2_CASE.replace("《民事诉讼法》第一百零九条", entry)})
    [problem] = problems_of(data)
    assert (problem.path, problem.line, problem.code, problem.rule) == (CASE_FILE, 24, "field.law", 2)
    assert "《中华人民共和国民事诉讼法》第一百零九条" in problem.hint


def test_unregistered_law_lists_close_names(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/baomou.yaml": V2_CASE.replace("《民事诉讼法》", "《民事诉讼法典》")})
    [problem] = problems_of(data)
    assert (problem.line, problem.code, problem.rule) == (24, "ref.law_close", 4)
    assert "data/laws.yaml" in problem.hint


def test_laws_registry_is_optional(data_dir: DataDir) -> None:
    assert problems_of(data_dir(**{"laws.yaml": None})) == []  # an adopting agency's old data stays valid
    data = data_dir(**{"laws.yaml": None, "cases/baomou.yaml": V2_CASE})
    assert {p.code for p in problems_of(data)} == {"ref.law"}


@pytest.mark.parametrize("number", ["2024内0702执123号", "（2024）内0702执123", "(24)内0702执123号"])
def test_malformed_case_number_is_an_error_with_an_example(data_dir: DataDir, number: str) -> None:
    data = data_dir(**{"cases/baomou.yaml": V2_CASE.replace("（2024）内0702执123号", number)})
    [problem] = problems_of(data)
    assert (problem.line, problem.code) == (6, "field.case_number")
    assert "（2024）内0702执123号" in problem.hint


def test_case_number_and_laws_pass_the_privacy_gate(data_dir: DataDir) -> None:
    for number in ("（2024）内0702执123号", "(2023)最高法民终1234号", "（2023）黔0422民初1876号"):
        data = data_dir(**{"cases/baomou.yaml": V2_CASE.replace("（2024）内0702执123号", number)})
        assert problems_of(data) == [], number


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "text"), [
    (PartialDate(2024, 1, 14), PartialDate(2024, 1, 14), "2024年1月14日"),
    (PartialDate(2022, 11, 7), None, "2022年11月7日起"),
    (PartialDate(2023, 1), PartialDate(2023, 12), "2023年1月—12月"),
    (PartialDate(2024, 1, 14), PartialDate(2024, 1, 20), "2024年1月14日—20日"),
    (PartialDate(2024, 1, 14), PartialDate(2024, 2, 3), "2024年1月14日—2月3日"),
    (PartialDate(2023, 11), PartialDate(2024, 2), "2023年11月—2024年2月"),
    (PartialDate(2023), PartialDate(2024), "2023年—2024年"),
])
def test_dates_read_right(start: PartialDate, end: PartialDate | None, text: str) -> None:
    assert date_range(start, end) == text


# --- last change, from git --------------------------------------------------------------------


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _committed(data: Path) -> Path:
    """`data` in a new git repository, committed on 2024-03-01 09:00 (Beijing time)."""
    _git(data.parent, "init", "-q")
    _git(data.parent, "add", ".")
    _git(data.parent, "commit", "-q", "-m", "a", when="2024-03-01T09:00:00+08:00")
    return data


def test_last_change_comes_from_the_last_commit_of_each_file(data_dir: DataDir) -> None:
    from fazhi.history import last_changed

    data = _committed(data_dir())
    root = data.parent
    (data / "cases" / "baomou.yaml").write_text(CASE.replace("拘传。", "拘传到案。"), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "b", when="2024-03-05T23:30:00+08:00")
    paths = ["data/campaigns/xinchun.yaml", "data/cases/baomou.yaml"]
    found = last_changed(data, paths)
    assert found["data/campaigns/xinchun.yaml"].moment.isoformat() == "2024-03-01T09:00:00+08:00"
    assert found["data/cases/baomou.yaml"].moment.isoformat() == "2024-03-05T23:30:00+08:00"
    assert all(change.committed for change in found.values())
    (data / "cases" / "baomou.yaml").write_text(CASE, encoding="utf-8")  # edited, not committed
    later = last_changed(data, paths)
    assert not later["data/cases/baomou.yaml"].committed
    page = {p.src_uri: p.content for p in generate(data, workers=1)}["campaigns/xinchun.md"]
    assert "本记录最后更新：2024年3月1日" in page
    feed = {p.src_uri: p.content for p in generate(data, workers=1)}["feeds/atom.xml"]
    assert "<updated>2024-03-05T23:30:00+08:00</updated>" in feed  # the newest change


def test_outside_git_every_record_gets_the_data_time(data_dir: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from fazhi.history import last_changed

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709604000")  # 2024-03-05 10:00 CST
    found = last_changed(data_dir(), ["data/cases/baomou.yaml"])
    assert found["data/cases/baomou.yaml"].moment == datetime.datetime.fromtimestamp(
        1709604000, datetime.timezone(datetime.timedelta(hours=8)))


def test_one_git_pass_for_a_thousand_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fazhi.history import last_changed

    folder = tmp_path / "data" / "cases"
    folder.mkdir(parents=True)
    for number in range(1000):
        (folder / f"c{number}.yaml").write_text(f"title: {number}\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "a", when="2024-03-01T09:00:00+08:00")
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counted(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        runs.append(command)
        return real_run(command, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", counted)
    found = last_changed(tmp_path / "data", [f"data/cases/c{n}.yaml" for n in range(1000)])
    assert len(runs) <= 4  # the newest commit, the log, what is not committed: not a process per file
    assert {change.moment.isoformat() for change in found.values()} == {"2024-03-01T09:00:00+08:00"}


def test_the_preview_reads_the_history_again_only_after_a_commit(data_dir: DataDir) -> None:
    from fazhi.history import HistoryMemo, last_changed

    data = _committed(data_dir())
    root = data.parent
    paths = ["data/campaigns/xinchun.yaml", "data/cases/baomou.yaml"]
    memo = HistoryMemo()
    assert last_changed(data, paths, memo) == last_changed(data, paths)
    times = memo.times
    (data / "cases" / "baomou.yaml").write_text(CASE.replace("拘传。", "拘传到案。"), encoding="utf-8")
    edited = last_changed(data, paths, memo)
    assert memo.times is times  # same commit: the log was not read again
    assert edited == last_changed(data, paths) and not edited["data/cases/baomou.yaml"].committed
    _git(root, "commit", "-q", "-am", "b", when="2024-03-05T23:30:00+08:00")
    committed = last_changed(data, paths, memo)
    assert committed == last_changed(data, paths)
    assert committed["data/cases/baomou.yaml"].moment.isoformat() == "2024-03-05T23:30:00+08:00"
