"""The statistics memo of the serve preview: after any edit, the statistics a kept `StatsMemo`
gives are those of a fresh aggregation, and what the edit cannot reach is reused."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.dataset import CampaignEntry, CaseEntry, Dataset
from fazhi.models import Agency, PartialDate
from fazhi.ordering import Ordering, order
from fazhi.records import RecordCache, read_data
from fazhi.stats import Stats, StatsMemo, aggregate
from fazhi.validate import CaseMemo, PrivacyMemo, validate
from fazhi.values import Qualifier, Quantity
from tests.conftest import SAMPLE_DATA


def _shown(stats: Stats) -> tuple[str, Ordering]:
    """The statistics as the pages show them: `repr` tells apart what `==` does not (a
    quantity's marker, 余 or 多; a `Decimal`'s exponent)."""
    return repr(replace(stats, order=None)), stats.order


def _fresh(dataset: Dataset) -> Stats:
    """A fresh aggregation, checked against the ordering of the records."""
    stats = aggregate(dataset)
    assert stats.order == order(dataset)
    return stats


class _Preview:
    """What the preview keeps between rebuilds of one data folder: the record cache, the check
    memos and the statistics memo; `stats()` checks the data again and aggregates."""

    def __init__(self, data: Path, *, published: bool = False) -> None:
        self.data = data
        self.published = published
        self.cache, self.privacy, self.resolved, self.memo = RecordCache(), PrivacyMemo(), CaseMemo(), StatsMemo()

    def _dataset(self, cache: RecordCache | None, privacy: PrivacyMemo | None, resolved: CaseMemo | None) -> Dataset:
        dataset, problems = validate(read_data(self.data, cache=cache), privacy, resolved)
        assert problems == []
        return dataset.published() if self.published else dataset

    def stats(self) -> Stats:
        """The statistics with the kept memo, after checking they are a fresh aggregation's."""
        dataset = self._dataset(self.cache, self.privacy, self.resolved)
        kept = aggregate(dataset, self.memo)
        fresh = _fresh(self._dataset(None, None, None))  # read, checked and aggregated anew
        assert kept == fresh
        assert _shown(kept) == _shown(fresh)
        assert _shown(kept) == _shown(aggregate(dataset))
        return kept


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the tests' sample data, to edit."""
    copy = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, copy)
    return copy


def _edit(data: Path, name: str, old: str, new: str) -> None:
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


XIXIU = "cases/2023-xixiu-zhixing-gongzheng.yaml"
LIBO = "cases/2021-libo-liming-gongzuozhan.yaml"
HLBE = "cases/2024-hlbe-laowufei-juchuan.yaml"
PINGBA = "campaigns/2023-pingba-hejie-qianzhi.yaml"
ANSHUN = "campaigns/2022-anshun-zhiyuan-zhili.yaml"

#: Edits made one after the other, each a change the preview sees between two rebuilds.
EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("case title", lambda d: _edit(d, HLBE, "title: 拖欠员工劳务费被拘传", "title: 拖欠员工劳务费被拘传后")),
    ("case figure", lambda d: _edit(d, XIXIU, "执行到位金额: 360余万元", "执行到位金额: 350余万元")),
    ("case marker only (余 → 多: equal quantities, not the same text)",
     lambda d: _edit(d, LIBO, "追回欠薪: 30余万元", "追回欠薪: 30多万元")),
    ("case figure made exact", lambda d: _edit(d, LIBO, "追回欠薪: 30多万元", "追回欠薪: 300000元")),
    ("case date in the same year", lambda d: _edit(d, XIXIU, "date: 2023-07", "date: 2023-03")),
    ("case moved to another year", lambda d: _edit(d, XIXIU, "date: 2023-03", "date: 2024-02")),
    ("case agency", lambda d: _edit(d, XIXIU, "agency: 安顺市西秀区人民法院", "agency: 安顺市平坝区人民法院")),
    ("case topics", lambda d: _edit(d, HLBE, "topics: [根治欠薪, 涉民生执行]", "topics: [涉民生执行]")),
    ("case drafted", lambda d: _edit(d, HLBE, "status: published", "status: draft")),
    ("case published again", lambda d: _edit(d, HLBE, "status: draft", "status: published")),
    ("case removed", lambda d: (d / LIBO).unlink()),
    ("case added", lambda d: (d / "cases" / "2022-libo-copy.yaml").write_text(
        (SAMPLE_DATA / LIBO).read_text(encoding="utf-8").replace("date: 2021", "date: 2022"), encoding="utf-8")),
    ("nested campaign figure", lambda d: _edit(d, PINGBA, "督促履行: 21件", "督促履行: 20件")),
    ("campaign title", lambda d: _edit(d, ANSHUN, "title: 安顺市两级法院执源治理", "title: 安顺两级法院执源治理")),
    ("campaign no longer nested", lambda d: _edit(d, PINGBA, "part_of: 2022-anshun-zhiyuan-zhili\n", "")),
    ("campaign drafted", lambda d: _edit(d, PINGBA, "status: published", "status: draft")),
    ("metric description", lambda d: _edit(d, "metrics.yaml", "（按人计，不是人次）", "（按人计）")),
    ("topic slug", lambda d: _edit(d, "topics.yaml", "slug: wage-arrears", "slug: wages")),
    ("agency name (the old one kept as an alias)", lambda d: _edit(
        d, "agencies.yaml", "- name: 安顺市西秀区人民法院\n  aliases: [",
        "- name: 贵州省安顺市西秀区人民法院\n  aliases: [安顺市西秀区人民法院, ")),
    ("agency region", lambda d: _edit(d, "agencies.yaml", "贵州省/安顺市/西秀区", "贵州省/安顺市/西秀")),
]


@pytest.mark.parametrize("published", [False, True], ids=["preview with drafts", "published only"])
def test_a_kept_memo_gives_a_fresh_aggregation_after_every_edit(data: Path, published: bool) -> None:
    preview = _Preview(data, published=published)
    preview.stats()
    for _, edit in EDITS:
        edit(data)
        preview.stats()
        preview.stats()  # nothing changed since: all reused, still the same


def test_every_edit_changes_the_statistics_or_their_records(data: Path) -> None:
    """The edits of `EDITS` are real edits: each changes what is aggregated."""
    preview = _Preview(data)
    before = _shown(preview.stats())
    for name, edit in EDITS:
        edit(data)
        after = _shown(preview.stats())
        assert after != before, name
        before = after


def test_a_title_edit_reuses_all_the_statistics(data: Path) -> None:
    preview = _Preview(data)
    first = preview.stats()
    _edit(data, HLBE, "title: 拖欠员工劳务费被拘传", "title: 拖欠员工劳务费被拘传后")
    second = preview.stats()
    assert second.overall is first.overall
    assert second.regions is first.regions and second.agencies is first.agencies
    assert second.order is not first.order  # the records themselves: the edited one is new
    assert {e.model.title for e in second.order.cases} - {e.model.title for e in first.order.cases} == {
        "拖欠员工劳务费被拘传后 当天微信转账结清"}


def test_a_figure_edit_reuses_what_it_does_not_reach(data: Path) -> None:
    """A case's figure is in the slices of its year, regions, topics and agency kind, and in its
    agency's work: the other slices and agencies are kept, the figure's own totals are not."""
    preview = _Preview(data)
    first = preview.stats()
    _edit(data, XIXIU, "执行到位金额: 360余万元", "执行到位金额: 350余万元")
    second = preview.stats()
    assert second.overall.case_totals != first.overall.case_totals
    assert second.overall.totals is first.overall.totals  # campaign figures: not reached
    assert {y.key: y.case_totals is first_y.case_totals for y, first_y in zip(second.years, first.years, strict=True)
            } == {"2020": True, "2021": True, "2022": True, "2023": False, "2024": True}
    inner_mongolia = "内蒙古自治区"
    assert second.region(inner_mongolia).slice.case_totals is first.region(inner_mongolia).slice.case_totals
    kept = {work.key for work, before in zip(second.agencies, first.agencies, strict=True) if work is before}
    assert "xixiu-court" not in kept and len(kept) == len(first.agencies) - 1


def test_a_marker_edit_is_not_taken_for_no_change(data: Path) -> None:
    """30余万元 and 30多万元 are equal quantities, but not the same text on the page."""
    preview = _Preview(data)
    first = preview.stats()
    _edit(data, LIBO, "追回欠薪: 30余万元", "追回欠薪: 30多万元")
    second = preview.stats()

    def markers(stats: Stats) -> list[str]:
        return [t.value.marker for t in stats.years[1].case_totals if t.metric.name == "追回欠薪"]

    assert (stats_year := second.years[1].key) == "2021", stats_year
    assert (markers(first), markers(second)) == (["余"], ["多"])


def test_an_exponent_edit_is_not_taken_for_no_change() -> None:
    """Amounts 1 and 1.0 are equal, but not written the same (the checker writes neither
    1.0 nor 1E+1; a data set built otherwise aggregates the same with a memo or without)."""
    base = _base()
    memo = StatsMemo()
    case = base.cases["2021-libo-liming-gongzuozhan"]

    def with_amount(amount: str) -> Dataset:
        figure = case.figures["追回欠薪"]
        changed = replace(case, figures={**case.figures, "追回欠薪": replace(
            figure, value=replace(figure.value, amount=Decimal(amount)))})
        return replace(base, cases={**base.cases, case.id: changed})

    for amount in ("300000", "3E+5", "300000.0", "300000"):
        dataset = with_amount(amount)
        kept = aggregate(dataset, memo)
        assert _shown(kept) == _shown(_fresh(dataset))
        assert repr(Decimal(amount)) in _shown(kept)[0]


# --- any sequence of changes, in memory -------------------------------------------------------

@cache
def _base() -> Dataset:
    """The sample data, checked once."""
    dataset, problems = validate(read_data(SAMPLE_DATA))
    assert problems == []
    return dataset


AMOUNTS = [Decimal(1), Decimal("1.0"), Decimal(10), Decimal("1E+1"), Decimal(300000), Decimal("3.5E+6"), Decimal(0)]
MARKED = [(Qualifier.EXACT, ""), (Qualifier.AT_LEAST, "余"), (Qualifier.AT_LEAST, "多"), (Qualifier.AT_MOST, "近"),
          (Qualifier.ABOUT, "约")]


def _agencies() -> list[Agency]:
    return list({agency.slug: agency for agency in _base().agencies.values()}.values())


def _slug(agency: Agency) -> str:
    return agency.slug


def _dates() -> st.SearchStrategy[PartialDate]:
    return st.builds(PartialDate, st.integers(2019, 2025), st.integers(0, 12), st.integers(0, 28)).filter(
        lambda d: d.month or not d.day)


def _with_figures(entry: CampaignEntry | CaseEntry, data: st.DataObject) -> dict[str, object]:
    """The entry's figures, one of them with another value (amount, qualifier, marker)."""
    if not entry.figures:
        return dict(entry.figures)
    name = data.draw(st.sampled_from(sorted(entry.figures)))
    figure = entry.figures[name]
    qualifier, marker = data.draw(st.sampled_from(MARKED))
    value = Quantity(data.draw(st.sampled_from(AMOUNTS)), figure.value.unit, qualifier, marker)
    return {**entry.figures, name: replace(figure, value=value, shares=())}


def _changed_case(entry: CaseEntry, data: st.DataObject) -> CaseEntry:
    """The entry as checking an edited file gives it: a new object, maybe with other facts."""
    change = data.draw(st.sampled_from(["nothing", "date", "agency", "topics", "figures"]))
    if change == "date":
        return replace(entry, model=entry.model.model_copy(update={"date": data.draw(_dates())}))
    if change == "agency":
        return replace(entry, agency=data.draw(st.sampled_from(_agencies())))
    if change == "topics":
        topics = list({topic.slug: topic for topic in _base().topics.values()}.values())
        return replace(entry, topics=data.draw(st.lists(st.sampled_from(topics), max_size=3)))
    if change == "figures":
        return replace(entry, figures=_with_figures(entry, data))  # type: ignore[arg-type]
    return replace(entry)


def _changed_campaign(entry: CampaignEntry, data: st.DataObject) -> CampaignEntry:
    change = data.draw(st.sampled_from(["nothing", "start", "agencies", "figures", "parent"]))
    if change == "start":
        return replace(entry, model=entry.model.model_copy(update={"start": data.draw(_dates())}))
    if change == "agencies":
        agencies = data.draw(st.lists(st.sampled_from(_agencies()), min_size=1, max_size=3, unique_by=_slug))
        return replace(entry, agencies=agencies, figures={
            name: replace(figure, shares=()) for name, figure in entry.figures.items()})
    if change == "figures":
        return replace(entry, figures=_with_figures(entry, data))  # type: ignore[arg-type]
    if change == "parent" and entry.model.part_of is not None:
        return replace(entry, model=entry.model.model_copy(update={"part_of": None}))
    return replace(entry)


@given(st.data())
def test_any_sequence_of_changes_aggregates_as_fresh(data: st.DataObject) -> None:
    """Cases replaced (like `CaseMemo` gives an edited file's), removed and added back,
    campaigns new on every check and some changed, a registry replaced: the kept memo gives a
    fresh aggregation's statistics every time."""
    base = _base()
    memo = StatsMemo()
    cases, campaigns = dict(base.cases), dict(base.campaigns)
    metrics, agencies, topics = base.metrics, base.agencies, base.topics
    for _ in range(data.draw(st.integers(1, 6))):
        for _ in range(data.draw(st.integers(0, 3))):
            case = data.draw(st.sampled_from(sorted(base.cases)))
            action = data.draw(st.sampled_from(["change", "change", "remove"]))
            if action == "remove" or case not in cases:
                cases.pop(case, None) if action == "remove" else cases.setdefault(case, base.cases[case])
            else:
                cases[case] = _changed_case(cases[case], data)
        campaigns = {key: replace(entry) for key, entry in campaigns.items()}  # new on every check
        for key in data.draw(st.lists(st.sampled_from(sorted(base.campaigns)), max_size=2, unique=True)):
            campaigns[key] = _changed_campaign(campaigns[key], data)
        registry = data.draw(st.sampled_from(["same"] * 6 + ["metrics", "agencies", "topics"]))
        if registry == "metrics":
            metrics = {name: metric.model_copy() for name, metric in metrics.items()}
        elif registry == "agencies":  # renamed: the labels of the agencies' work
            agencies = {name: agency.model_copy(update={"name": f"{agency.name}{n}"})
                        for n, (name, agency) in enumerate(agencies.items())}
        elif registry == "topics":
            topics = {name: topic.model_copy(update={"name": f"{topic.name}{n}"})
                      for n, (name, topic) in enumerate(topics.items())}
        dataset = replace(base, cases=dict(cases), campaigns=dict(campaigns), metrics=metrics, agencies=agencies,
                          topics=topics)
        kept = aggregate(dataset, memo)
        assert _shown(kept) == _shown(_fresh(dataset))
        assert kept == aggregate(dataset)
