"""The record cache of the serve preview: unchanged files are reused, changed ones parsed again."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

from fazhi.dataset import Dataset
from fazhi.pipeline import generate
from fazhi.problems import Problem
from fazhi.records import Loaded, RecordCache, read_data
from fazhi.validate import CaseMemo, PrivacyMemo, validate
from tests.conftest import AGENCIES, CAMPAIGN, CASE, SAMPLE_DATA, DataDir


def _case(records: dict[str, list[Loaded]], stem: str) -> Loaded:
    return next(item for item in records["cases"] if item.id == stem)


def test_an_unchanged_file_is_not_parsed_again(data_dir: DataDir) -> None:
    data = data_dir()
    cache = RecordCache()
    first = read_data(data, cache=cache)
    second = read_data(data, cache=cache)
    assert _case(second.records, "baomou") is _case(first.records, "baomou")


def test_an_edited_file_is_parsed_again_even_within_one_clock_tick(data_dir: DataDir) -> None:
    data = data_dir()
    cache = RecordCache()
    read_data(data, cache=cache)
    case = data / "cases" / "baomou.yaml"
    stamp = case.stat().st_mtime_ns
    case.write_text(CASE.replace("当日转账履行", "次日转账履行"), encoding="utf-8")
    os.utime(case, ns=(stamp, stamp))  # same size, same time: only the bytes differ
    again = read_data(data, cache=cache)
    assert _case(again.records, "baomou").model.title == "拒付劳务费被拘传 次日转账履行"


def test_a_file_known_unchanged_by_its_status_is_not_opened_again(data_dir: DataDir) -> None:
    data = data_dir()
    cache = RecordCache()
    cache.RACY_NS = -10**12  # as if every file had been written well before it was read
    read_data(data, cache=cache)
    opened = cache.opened
    again = read_data(data, cache=cache)
    assert cache.opened == opened
    assert _case(again.records, "baomou").model.title == "拒付劳务费被拘传 当日转账履行"


def test_an_edit_that_keeps_size_and_modification_time_is_seen_through_the_change_time(data_dir: DataDir) -> None:
    """A trusted status (see above) still gives the edit away: restoring the modification time
    moves the change time, which nothing can set back."""
    data = data_dir()
    cache = RecordCache()
    cache.RACY_NS = -10**12
    read_data(data, cache=cache)
    case = data / "cases" / "baomou.yaml"
    stamp = case.stat().st_mtime_ns
    case.write_text(CASE.replace("当日转账履行", "次日转账履行"), encoding="utf-8")
    os.utime(case, ns=(stamp, stamp))
    opened = cache.opened
    again = read_data(data, cache=cache)
    assert cache.opened == opened + 1
    assert _case(again.records, "baomou").model.title == "拒付劳务费被拘传 次日转账履行"


def test_a_file_written_just_before_it_was_read_is_compared_by_its_bytes(data_dir: DataDir) -> None:
    """Within the racy window a second save could leave the status unchanged: such a file is
    opened on every read until its status is old enough."""
    data = data_dir()
    cache = RecordCache()
    read_data(data, cache=cache)  # the fixture wrote every file just now
    opened = cache.opened
    read_data(data, cache=cache)
    assert cache.opened == 2 * opened


def test_problems_of_a_cached_file_are_reported_on_every_read(data_dir: DataDir) -> None:
    data = data_dir(**{"cases/baomou.yaml": CASE.replace("date: 2024-01-14", "date: 2024-13-40")})
    cache = RecordCache()
    first = read_data(data, cache=cache)
    second = read_data(data, cache=cache)
    assert first.problems and second.problems == first.problems
    assert "baomou" in second.broken and second.records["cases"] == []


def test_generate_with_a_warm_cache_equals_a_cold_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    cache = RecordCache()
    generate(data, workers=1, cache=cache)
    edited = sorted((data / "cases").glob("*.yaml"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1),
                      encoding="utf-8")
    (data / "cases" / sorted(p.name for p in (data / "cases").glob("*.yaml"))[1]).unlink()
    assert generate(data, workers=1, cache=cache) == generate(data, workers=1)


def test_resolved_cases_are_reused_only_while_record_and_registries_are_unchanged(data_dir: DataDir) -> None:
    """The preview's case memo gives what a fresh check gives: the same problems on every
    check, a problem gone once the registry names the agency, back once the name is removed."""
    unknown = CASE.replace("agency: 海拉尔区人民法院", "agency: 新巴尔虎左旗人民法院")
    data = data_dir(**{"cases/baomou.yaml": unknown})
    cache, privacy, resolved = RecordCache(), PrivacyMemo(), CaseMemo()

    def check() -> tuple[Dataset, list[Problem]]:
        dataset, problems = validate(read_data(data, cache=cache), privacy, resolved)
        assert problems == validate(read_data(data))[1]
        return dataset, problems

    first = check()[1]
    assert [p.code for p in first] == ["ref.agency_close"]
    assert check()[1] == first  # reused: reported again
    agencies = data / "agencies.yaml"
    named = AGENCIES + ("- name: 新巴尔虎左旗人民法院\n  kind: 法院\n"
                        "  region: 内蒙古自治区/呼伦贝尔市\n  slug: xz-court\n")
    agencies.write_text(textwrap.dedent(named), encoding="utf-8")
    dataset, problems = check()
    assert problems == []
    assert dataset.cases["baomou"].agency is dataset.agencies["新巴尔虎左旗人民法院"]
    again, _ = check()
    assert again.cases["baomou"] is dataset.cases["baomou"]  # same record, same registries: reused
    assert again.agencies["新巴尔虎左旗人民法院"] is dataset.agencies["新巴尔虎左旗人民法院"]
    agencies.write_text(textwrap.dedent(AGENCIES), encoding="utf-8")
    assert check()[1] == first


def test_a_campaign_stays_the_same_object_until_it_or_its_cases_change(data_dir: DataDir) -> None:
    """Campaigns are linked to their cases on every check; the memo keeps the entry of the
    check before while the record and its links are as before, and gives a new one otherwise."""
    data = data_dir()
    cache, privacy, resolved = RecordCache(), PrivacyMemo(), CaseMemo()

    def check() -> Dataset:
        dataset, problems = validate(read_data(data, cache=cache), privacy, resolved)
        fresh, fresh_problems = validate(read_data(data))
        assert problems == fresh_problems
        assert dataset.campaigns == fresh.campaigns
        return dataset

    first = check()
    assert first.campaigns["xinchun"].cases == ["baomou"]
    assert check().campaigns["xinchun"] is first.campaigns["xinchun"]
    (data / "cases" / "baomou.yaml").write_text(CASE.replace("title: 拒付", "title: 改过的拒付"), encoding="utf-8")
    assert check().campaigns["xinchun"] is first.campaigns["xinchun"]  # the case changed, not its link
    (data / "cases" / "wangmou.yaml").write_text(CASE, encoding="utf-8")
    linked = check().campaigns["xinchun"]
    assert linked is not first.campaigns["xinchun"] and linked.cases == ["baomou", "wangmou"]
    (data / "cases" / "wangmou.yaml").unlink()
    unlinked = check().campaigns["xinchun"]
    assert unlinked.cases == ["baomou"] and linked.cases == ["baomou", "wangmou"]  # the old entry kept its list
    (data / "campaigns" / "xinchun.yaml").write_text(CAMPAIGN.replace("49件", "50件"), encoding="utf-8")
    edited = check().campaigns["xinchun"]
    assert edited is not unlinked and edited.figures["执结案件"].value != unlinked.figures["执结案件"].value


def test_rule_7_is_checked_again_when_a_campaign_s_cases_change(data_dir: DataDir) -> None:
    """A case reporting more than its campaign is a problem of the campaign; the memo keeps
    that finding only while neither the campaign nor any of its cases changed."""
    more = CASE.replace("  执行到位金额: 4865元\n", "  拘传: 50人\n")
    data = data_dir(**{"cases/baomou.yaml": more})
    cache, privacy, resolved = RecordCache(), PrivacyMemo(), CaseMemo()

    def codes() -> list[str]:
        _, problems = validate(read_data(data, cache=cache), privacy, resolved)
        assert problems == validate(read_data(data))[1]
        return [problem.code for problem in problems]

    assert codes() == ["campaign.below_cases"]
    assert codes() == ["campaign.below_cases"]  # kept: reported again
    (data / "cases" / "baomou.yaml").write_text(more.replace("50人", "40人"), encoding="utf-8")
    assert codes() == []
    (data / "campaigns" / "xinchun.yaml").write_text(CAMPAIGN.replace("42人", "30人"), encoding="utf-8")
    assert codes() == ["campaign.below_cases"]
