"""Tests for fazhi.values: reading, writing and adding up press-style figures."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fazhi.values import (
    LIMITS,
    MARKERS,
    UNIT_SYNONYMS,
    Qualifier,
    Quantity,
    ValueProblem,
    format_quantity,
    parse_chinese_number,
    parse_quantity,
    sum_quantities,
)

EXACT = Qualifier.EXACT
AT_LEAST = Qualifier.AT_LEAST
AT_MOST = Qualifier.AT_MOST
ABOUT = Qualifier.ABOUT

CJK = re.compile(r"[\u4e00-\u9fff]")


def money(raw: int | Decimal | str) -> Quantity:
    return parse_quantity(raw, kind="money", unit="元")


def is_chinese(text: str) -> bool:
    return bool(CJK.search(text))


# --- Reading: the examples of the contract and the brief --------------------------------------

COUNTS = [
    # raw, metric unit, amount, qualifier, marker
    (49, "件", "49", EXACT, ""),
    (0, "人", "0", EXACT, ""),
    (Decimal("49"), "件", "49", EXACT, ""),
    (Decimal("49.0"), "件", "49", EXACT, ""),
    (Decimal("1E+3"), "件", "1000", EXACT, ""),
    ("49", "件", "49", EXACT, ""),
    ("49件", "件", "49", EXACT, ""),
    ("42人", "人", "42", EXACT, ""),
    ("76人次", "人次", "76", EXACT, ""),
    ("12起", "件", "12", EXACT, ""),
    ("12件", "起", "12", EXACT, ""),
    ("3宗", "件", "3", EXACT, ""),
    ("8名", "人", "8", EXACT, ""),
    ("3位", "人", "3", EXACT, ""),
    ("300余人", "人", "300", AT_LEAST, "余"),
    ("300多人", "人", "300", AT_LEAST, "多"),
    ("十余次", "次", "10", AT_LEAST, "余"),
    ("千余件", "件", "1000", AT_LEAST, "余"),
    ("百余人", "人", "100", AT_LEAST, "余"),
    ("两千余人", "人", "2000", AT_LEAST, "余"),
    ("两名", "人", "2", EXACT, ""),
    ("十二场", "场", "12", EXACT, ""),
    ("一百零五条", "条", "105", EXACT, ""),
    ("1.2万余件", "件", "12000", AT_LEAST, "余"),
    ("1.2万件", "件", "12000", EXACT, ""),
    ("6.3万余辆次", "辆次", "63000", AT_LEAST, "余"),
    ("近千人", "人", "1000", AT_MOST, "近"),
    ("约300人", "人", "300", ABOUT, "约"),
    ("逾千人", "人", "1000", AT_LEAST, "逾"),
    ("1,234件", "件", "1234", EXACT, ""),
    ("４９件", "件", "49", EXACT, ""),
    (" 49 件 ", "件", "49", EXACT, ""),
    ("300余", "人", "300", AT_LEAST, "余"),
    ("56家", "家", "56", EXACT, ""),
]


@pytest.mark.parametrize(("raw", "unit", "amount", "qualifier", "marker"), COUNTS)
def test_parse_counts(
    raw: int | Decimal | str, unit: str, amount: str, qualifier: Qualifier, marker: str
) -> None:
    q = parse_quantity(raw, kind="count", unit=unit)
    assert q.amount == Decimal(amount)
    assert str(q.amount) == amount  # canonical: no exponent, no trailing zeros
    assert q.unit == unit
    assert q.qualifier is qualifier
    assert q.marker == marker
    assert q.is_exact == (qualifier is EXACT)


MONEY = [
    # raw, amount in yuan, qualifier, marker
    (4865, "4865", EXACT, ""),
    (Decimal("8584.6"), "8584.6", EXACT, ""),
    (Decimal("101.2"), "101.2", EXACT, ""),
    (Decimal("0.50"), "0.5", EXACT, ""),
    ("8584.6", "8584.6", EXACT, ""),
    ("4865元", "4865", EXACT, ""),
    ("101.2万元", "1012000", EXACT, ""),
    ("101.2万", "1012000", EXACT, ""),
    ("1.5万元", "15000", EXACT, ""),
    ("3亿元", "300000000", EXACT, ""),
    ("3.2亿元", "320000000", EXACT, ""),
    ("8万余元", "80000", AT_LEAST, "余"),
    ("800多万元", "8000000", AT_LEAST, "多"),
    ("300余万元", "3000000", AT_LEAST, "余"),
    ("近30万元", "300000", AT_MOST, "近"),
    ("约5万元", "50000", ABOUT, "约"),
    ("逾101.2万元", "1012000", AT_LEAST, "逾"),
    ("1,234元", "1234", EXACT, ""),
    ("1,234,567.5元", "1234567.5", EXACT, ""),
    ("１２３元", "123", EXACT, ""),
    ("１０１．２万元", "1012000", EXACT, ""),
    ("十余万元", "100000", AT_LEAST, "余"),
    ("三千五百余万元", "35000000", AT_LEAST, "余"),
    ("两亿元", "200000000", EXACT, ""),
    ("万余元", "10000", AT_LEAST, "余"),
    ("0.5元", "0.5", EXACT, ""),
    ("60475元", "60475", EXACT, ""),
]


@pytest.mark.parametrize(("raw", "amount", "qualifier", "marker"), MONEY)
def test_parse_money(
    raw: int | Decimal | str, amount: str, qualifier: Qualifier, marker: str
) -> None:
    q = money(raw)
    assert q.amount == Decimal(amount)
    assert str(q.amount) == amount
    assert q.unit == "元"
    assert q.qualifier is qualifier
    assert q.marker == marker


def test_money_result_is_always_yuan() -> None:
    assert parse_quantity("5万元", kind="money", unit="万元").unit == "元"


def test_amount_is_decimal_never_float() -> None:
    for raw in ("101.2万元", 4865, Decimal("8584.6"), "8万余元"):
        assert type(money(raw).amount) is Decimal


# --- Errors -----------------------------------------------------------------------------------

ERRORS = [
    # raw, kind, metric unit, code
    (1.5, "money", "元", "value.float"),
    (101.2, "money", "元", "value.float"),
    (3.0, "count", "件", "value.float"),
    (True, "count", "件", "value.count_bool"),
    (False, "money", "元", "value.money_bool"),
    (None, "count", "件", "value.count_missing"),
    ([49], "count", "件", "value.count_type"),
    ("若干", "count", "人", "value.word_no_number"),
    ("101.2万元左右", "money", "元", "value.word_rewrite"),
    ("300人左右", "count", "人", "value.word_rewrite"),
    ("300人以上", "count", "人", "value.word_rewrite"),
    ("超过300人", "count", "人", "value.word_rewrite"),
    ("将近30万元", "money", "元", "value.word_rewrite"),
    ("abc", "count", "件", "value.count_unparsable"),
    ("abc", "money", "元", "value.money_unparsable"),
    ("", "money", "元", "value.money_empty"),
    ("   ", "count", "件", "value.count_empty"),
    ("近300余人", "count", "人", "value.markers"),
    ("约8万余元", "money", "元", "value.markers"),
    ("8余万余元", "money", "元", "value.markers"),
    ("三千五人", "count", "人", "value.count_numeral"),
    ("十十人", "count", "人", "value.count_numeral"),
    ("12,34元", "money", "元", "value.money_unparsable"),
    ("049件", "count", "件", "value.count_unparsable"),
    ("49.", "count", "件", "value.count_unparsable"),
    (".5万元", "money", "元", "value.money_unparsable"),
    ("3千元", "money", "元", "value.money_unparsable"),
    ("49件件", "count", "件", "value.unit_mismatch"),
    ("1e3", "count", "件", "value.count_unparsable"),
    (".inf", "money", "元", "value.money_unparsable"),
    (Decimal("NaN"), "money", "元", "value.money_infinite"),
    (Decimal("Infinity"), "count", "件", "value.count_infinite"),
    ("5件", "money", "元", "value.money_unit_mismatch"),
    ("5万件", "money", "元", "value.money_unit_mismatch"),
    ("49元", "count", "件", "value.unit_mismatch"),
    ("42人", "count", "件", "value.unit_mismatch"),
    ("42人", "count", "人次", "value.unit_mismatch"),
    ("12起", "count", "人", "value.unit_mismatch"),
    ("5个", "count", "家", "value.unit_mismatch"),
    ("6.3万余辆次", "count", "辆", "value.unit_mismatch"),
    (-5, "count", "件", "value.negative"),
    (Decimal("-0.5"), "money", "元", "value.negative"),
    ("-5", "count", "件", "value.negative"),
    ("－5元", "money", "元", "value.negative"),
    ("近-5万元", "money", "元", "value.negative"),
    ("1.5件", "count", "件", "value.not_whole"),
    (Decimal("1.5"), "count", "件", "value.not_whole"),
    ("1.23456万件", "count", "件", "value.not_whole_scaled"),
]


@pytest.mark.parametrize(("raw", "kind", "unit", "code"), ERRORS)
def test_errors(raw: object, kind: str, unit: str, code: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_quantity(raw, kind=kind, unit=unit)  # type: ignore[arg-type]
    problem = caught.value
    assert problem.code == code
    assert is_chinese(problem.message), problem.message
    assert is_chinese(problem.hint), problem.hint
    assert str(problem) == f"{problem.message} — {problem.hint}"


def test_unit_mismatch_names_both_units() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_quantity("5元", kind="count", unit="件")
    assert "单位“元”与指标的单位“件”不符" in caught.value.message
    with pytest.raises(ValueProblem) as caught:
        money("5件")
    assert "单位“件”与指标的单位“元”不符" in caught.value.message


def test_unparsable_hint_shows_accepted_forms() -> None:
    with pytest.raises(ValueProblem) as caught:
        money("abc")
    assert "4865元" in caught.value.hint
    assert "101.2万元" in caught.value.hint
    assert "8万余元" in caught.value.hint
    assert "近30万元" in caught.value.hint
    with pytest.raises(ValueProblem) as caught:
        parse_quantity("若干", kind="count", unit="人次")
    assert "300余人次" in caught.value.hint


@pytest.mark.parametrize(
    ("raw", "kind", "unit", "fixed"),
    [
        ("101.2万元左右", "money", "元", "约101.2万元"),
        ("300人左右", "count", "人", "约300人"),
        ("300人以上", "count", "人", "逾300人"),
        ("超过30万元", "money", "元", "逾30万元"),
        ("将近30万元", "money", "元", "近30万元"),
        ("接近1000件", "count", "件", "近1000件"),
    ],
)
def test_refused_approximations_suggest_the_accepted_form(
    raw: str, kind: str, unit: str, fixed: str
) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_quantity(raw, kind=kind, unit=unit)  # type: ignore[arg-type]
    assert caught.value.code == "value.word_rewrite"
    assert fixed in caught.value.hint


def test_not_whole_after_scaling_shows_the_scaled_value() -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_quantity("1.23456万件", kind="count", unit="件")
    assert "12345.6" in caught.value.message


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_quantity(1, kind="weight", unit="吨")  # type: ignore[arg-type]


def test_value_problem_pickles_and_keeps_fields() -> None:
    import pickle

    problem = ValueProblem("value.count_unparsable", value="x", unit="件")
    again = pickle.loads(pickle.dumps(problem))
    assert (again.code, again.message, again.hint) == (problem.code, problem.message, problem.hint)


# --- Chinese numerals -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一十二", 12),
        ("两千", 2000),
        ("二千", 2000),
        ("三千五百", 3500),
        ("一百零五", 105),
        ("一千零五十", 1050),
        ("一千零五", 1005),
        ("九千九百九十九", 9999),
        ("十万", 100000),
        ("三十五万", 350000),
        ("一万零五百", 10500),
        ("二十万零三", 200003),
        ("一亿二千万", 120000000),
        ("一亿零五百万", 105000000),
        ("一亿零五", 100000005),
        ("两亿", 200000000),
        ("万", 10000),
        ("千", 1000),
        ("百", 100),
        ("零", 0),
        ("〇", 0),
        ("49", 49),
        ("1,234", 1234),
        ("8584.6", Decimal("8584.6")),
        ("1.5万", 15000),
        ("101.2万", 1012000),
        ("3亿", 300000000),
        ("3.2亿", 320000000),
        ("１.５万", 15000),
    ],
)
def test_parse_chinese_number(text: str, value: int | Decimal) -> None:
    assert parse_chinese_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "", "abc", "十十", "三三", "百千", "三千五", "一万五", "一亿五千", "一百零", "零五",
        "一万万", "一亿万", "五百零", "一百零十", "十余", "1.5千", "0049", "1,23",
    ],
)
def test_parse_chinese_number_refuses(text: str) -> None:
    assert parse_chinese_number(text) is None


# --- Writing ----------------------------------------------------------------------------------

FORMATS = [
    (Quantity(Decimal("4865"), "元"), "4865元"),
    (Quantity(Decimal("8584.6"), "元"), "8584.6元"),
    (Quantity(Decimal("8584.60"), "元"), "8584.6元"),
    (Quantity(Decimal("60475"), "元"), "60475元"),
    (Quantity(Decimal("15000"), "元"), "1.5万元"),
    (Quantity(Decimal("1012000"), "元"), "101.2万元"),
    (Quantity(Decimal("1E+6"), "元"), "100万元"),
    (Quantity(Decimal("300000000"), "元"), "3亿元"),
    (Quantity(Decimal("320000000"), "元"), "3.2亿元"),
    (Quantity(Decimal("50000000"), "元"), "5000万元"),
    (Quantity(Decimal("123456789"), "元"), "123456789元"),
    (Quantity(Decimal("10000"), "元"), "1万元"),
    (Quantity(Decimal("9999"), "元"), "9999元"),
    (Quantity(Decimal("0"), "元"), "0元"),
    (Quantity(Decimal("12345.67"), "元"), "12345.67元"),
    (Quantity(Decimal("49"), "件"), "49件"),
    (Quantity(Decimal("300"), "人", AT_LEAST, "余"), "300余人"),
    (Quantity(Decimal("1000"), "件", AT_LEAST, "余"), "1000余件"),
    (Quantity(Decimal("63000"), "辆次", AT_LEAST, "余"), "6.3万余辆次"),
    (Quantity(Decimal("80000"), "元", AT_LEAST, "余"), "8万余元"),
    (Quantity(Decimal("8000000"), "元", AT_LEAST, "多"), "800多万元"),
    (Quantity(Decimal("3000000"), "元", AT_LEAST, "余"), "300余万元"),
    (Quantity(Decimal("15000"), "元", AT_LEAST, "多"), "1.5万多元"),
    (Quantity(Decimal("300000"), "元", AT_MOST, "近"), "近30万元"),
    (Quantity(Decimal("50000"), "元", ABOUT, "约"), "约5万元"),
    (Quantity(Decimal("1012000"), "元", AT_LEAST, "逾"), "逾101.2万元"),
    (Quantity(Decimal("2000000000"), "元", AT_LEAST, "余"), "20余亿元"),
    # A missing or inconsistent marker is replaced by the default for the qualifier.
    (Quantity(Decimal("300"), "人", AT_LEAST), "300余人"),
    (Quantity(Decimal("300"), "人", AT_MOST), "近300人"),
    (Quantity(Decimal("300"), "人", ABOUT), "约300人"),
    (Quantity(Decimal("300"), "人", AT_MOST, "余"), "近300人"),
    (Quantity(Decimal("300"), "人", EXACT, "余"), "300人"),
]


@pytest.mark.parametrize(("quantity", "text"), FORMATS)
def test_format(quantity: Quantity, text: str) -> None:
    assert format_quantity(quantity) == text


# --- Quantity ---------------------------------------------------------------------------------

def test_equality_ignores_marker() -> None:
    assert money("8万余元") == money("8万多元")
    assert hash(money("8万余元")) == hash(money("8万多元"))
    assert money("8万余元") != money("8万元")
    assert money("逾8万元") == money("8万余元")


def test_quantity_refuses_float_amount() -> None:
    with pytest.raises(TypeError):
        Quantity(1.5, "元")  # type: ignore[arg-type]
    assert Quantity(5, "件").amount == Decimal(5)  # type: ignore[arg-type]


def test_registries() -> None:
    assert UNIT_SYNONYMS["起"] == "件"
    assert UNIT_SYNONYMS["名"] == UNIT_SYNONYMS["位"] == "人"
    assert "家" not in UNIT_SYNONYMS
    assert UNIT_SYNONYMS.get("家", "家") != UNIT_SYNONYMS.get("个", "个")
    assert MARKERS == {"余": AT_LEAST, "多": AT_LEAST, "逾": AT_LEAST, "近": AT_MOST, "约": ABOUT}


# --- Adding up --------------------------------------------------------------------------------

def q(amount: str, qualifier: Qualifier = EXACT, unit: str = "元") -> Quantity:
    return Quantity(Decimal(amount), unit, qualifier)


@pytest.mark.parametrize(
    ("qualifiers", "expected", "marker"),
    [
        ([EXACT], EXACT, ""),
        ([EXACT, EXACT], EXACT, ""),
        ([EXACT, AT_LEAST], AT_LEAST, "逾"),
        ([AT_LEAST, AT_LEAST], AT_LEAST, "逾"),
        ([AT_LEAST], AT_LEAST, "逾"),
        ([EXACT, AT_MOST], AT_MOST, "近"),
        ([AT_MOST, AT_MOST, EXACT], AT_MOST, "近"),
        ([EXACT, ABOUT], ABOUT, "约"),
        ([AT_LEAST, ABOUT], ABOUT, "约"),
        ([AT_LEAST, AT_MOST], ABOUT, "约"),
        ([EXACT, AT_LEAST, AT_MOST], ABOUT, "约"),
    ],
)
def test_sum_qualifiers(qualifiers: list[Qualifier], expected: Qualifier, marker: str) -> None:
    total = sum_quantities(q("10000", qual) for qual in qualifiers)
    assert total is not None
    assert total.amount == Decimal(10000) * len(qualifiers)
    assert total.qualifier is expected
    assert total.marker == marker


def test_sum_is_exact_and_reads_as_the_press_writes() -> None:
    total = sum_quantities([money("101.2万元"), money("8584.6"), money("0.4元")])
    assert total == money(Decimal("1020585.0"))
    total = sum_quantities([money("101.2万元"), money("8万余元")])
    assert total is not None
    assert format_quantity(total) == "逾109.2万元"


def test_sum_empty_is_none() -> None:
    assert sum_quantities([]) is None
    assert sum_quantities(iter(())) is None


def test_sum_refuses_mixed_units() -> None:
    with pytest.raises(ValueError):
        sum_quantities([q("1", unit="件"), q("1", unit="人")])


# --- Plausibility (rule 9) -----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "kind"), [
    (10**13, "money"), (Decimal("10000000000000.00"), "money"), ("10000000000000元", "money"),
    ("100000亿元", "money"), (10**9, "count"), ("10亿件", "count"), ("逾10亿件", "count"),
])
def test_figures_up_to_the_limits_pass(raw: int | Decimal | str, kind: str) -> None:
    quantity = parse_quantity(raw, kind=kind, unit="件" if kind == "count" else "元")  # type: ignore[arg-type]
    assert quantity.amount == 10 ** LIMITS[kind]


@pytest.mark.parametrize(("raw", "kind"), [
    (10**13 + 1, "money"), (Decimal("10000000000000.01"), "money"), ("10000000000001元", "money"),
    ("100000.01亿元", "money"), ("约2000000亿元", "money"), (Decimal("1.0E+999999"), "money"),
    (10**9 + 1, "count"), ("1000000001件", "count"), ("十亿零一件", "count"), ("1.5万万件", "count"),
])
def test_figures_beyond_the_limits_are_errors(raw: int | Decimal | str, kind: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_quantity(raw, kind=kind, unit="件" if kind == "count" else "元")  # type: ignore[arg-type]
    if raw != "1.5万万件":  # two scale words: not a number at all
        assert caught.value.code == f"value.{kind}_too_large"
        assert ("10 万亿元" if kind == "money" else "10 亿件") in caught.value.message
    assert is_chinese(caught.value.message) and is_chinese(caught.value.hint)


@pytest.mark.parametrize("raw", [
    "1" + "0" * 5000, "1" + "0" * 100_000 + "万元", "1" + "0" * 5000 + ".5", "1" + "万" * 5000,
    "一" + "万" * 5000, "近" + "9" * 5000 + "余元", Decimal("1E+999999"), Decimal("1" + "0" * 5000),
    10**5000, -(10**5000),
], ids=lambda raw: f"{type(raw).__name__}-{len(str(raw)) if not isinstance(raw, int) else 'huge'}")
def test_thousands_of_digits_give_a_short_problem(raw: int | Decimal | str) -> None:
    for kind in ("money", "count"):
        with pytest.raises(ValueProblem) as caught:
            parse_quantity(raw, kind=kind, unit="件")  # type: ignore[arg-type]
        assert len(caught.value.message) < 120  # the value is cut, not echoed in full
        assert is_chinese(caught.value.message) and is_chinese(caught.value.hint)


# --- Properties -------------------------------------------------------------------------------

COUNT_UNITS = ["件", "人", "人次", "辆次", "场", "次", "条", "个", "辆", "家", "户", "起"]
SPELLINGS: dict[str, list[str]] = {
    unit: [unit] + [word for word, canon in UNIT_SYNONYMS.items() if canon == unit]
    for unit in COUNT_UNITS
}


@st.composite
def amounts(draw: st.DrawFn, kind: str, share: int = 1) -> Decimal:
    """Non-negative amounts up to `LIMITS` / `share`, biased towards the round figures the press writes."""
    places = 0 if kind == "count" else draw(st.integers(0, 4))
    top = 10 ** LIMITS[kind] // share
    if draw(st.booleans()):
        base = draw(st.integers(0, top))
    else:
        base = draw(st.integers(0, 10**4)) * 10 ** draw(st.integers(0, LIMITS[kind] - 4))
        assume(base <= top)
    return Decimal(base).scaleb(-places)


@st.composite
def quantities(draw: st.DrawFn, share: int = 1) -> tuple[str, Quantity]:
    kind = draw(st.sampled_from(["count", "money"]))
    unit = "元" if kind == "money" else draw(st.sampled_from(COUNT_UNITS))
    qualifier = draw(st.sampled_from(list(Qualifier)))
    marker = draw(st.sampled_from(["", *MARKERS]))
    return kind, Quantity(draw(amounts(kind, share)), unit, qualifier, marker)


@settings(max_examples=400)
@given(quantities())
def test_format_then_parse_round_trips(case: tuple[str, Quantity]) -> None:
    kind, quantity = case
    text = format_quantity(quantity)
    assert "E" not in text and "e" not in text
    again = parse_quantity(text, kind=kind, unit=quantity.unit)  # type: ignore[arg-type]
    assert again == quantity
    if quantity.qualifier is not EXACT and MARKERS.get(quantity.marker) == quantity.qualifier:
        assert again.marker == quantity.marker
    assert format_quantity(again) == text


def to_chinese(n: int, *, two: bool = False) -> str:
    """The standard Chinese numeral for 0 <= n < 10**12 (十二, 一百零五, 一万零五百)."""
    digits = "零一二三四五六七八九"
    if two:
        digits = digits.replace("二", "两")

    def section(value: int, leading: bool) -> str:
        out, started, zero = "", False, False
        for place, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = value // place % 10
            if d == 0:
                zero = zero or started
                continue
            if zero:
                out, zero = out + "零", False
            if d == 1 and word == "十" and leading and not started:
                out += "十"
            else:
                out += digits[d] + word
            started = True
        return out

    if n == 0:
        return "零"
    out, started, skipped = "", False, False
    for value, word in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            skipped = skipped or started
            continue
        if started and (skipped or value < 1000):
            out += "零"
        out += section(value, leading=not started) + word
        started, skipped = True, False
    return out


@given(st.integers(0, 10**12 - 1), st.booleans())
def test_chinese_numerals_read_back(n: int, two: bool) -> None:
    assert parse_chinese_number(to_chinese(n, two=two)) == Decimal(n)


FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@st.composite
def press_strings(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text, kind, metric unit) for press-style strings that must be accepted."""
    kind = draw(st.sampled_from(["count", "money"]))
    unit = "元" if kind == "money" else draw(st.sampled_from(COUNT_UNITS))
    scale = draw(st.sampled_from(["", "万", "亿"]))
    power = {"": 0, "万": 4, "亿": 8}[scale]
    if draw(st.booleans()):
        # Chinese numeral; with a scale word it must be below 10000 (三千余万).
        low, top = (1, 10**4 - 1) if scale else (0, 10**9)
        top = min(top, 10 ** (LIMITS[kind] - power))
        number = to_chinese(draw(st.integers(low, top)), two=draw(st.booleans()))
    else:
        places = draw(st.integers(0, power if kind == "count" else power + 2))
        value = Decimal(draw(st.integers(0, min(10**10, 10 ** (LIMITS[kind] - power))))).scaleb(-places)
        number = format(value, "f")
        if draw(st.booleans()) and "." not in number and len(number) > 3:
            number = f"{int(number):,}"
        if draw(st.booleans()):
            number = number.translate(FULL_WIDTH)
    position = draw(st.sampled_from(["none", "before", "after_number", "after_scale"]))
    marker = ""
    if position == "before":
        marker = draw(st.sampled_from("近约逾"))
    elif position != "none":
        marker = draw(st.sampled_from("余多"))
    written_unit = draw(st.sampled_from(["", *SPELLINGS.get(unit, [unit])]))
    text = (
        (marker if position == "before" else "")
        + number
        + (marker if position == "after_number" else "")
        + scale
        + (marker if position == "after_scale" else "")
        + written_unit
    )
    return text, kind, unit


@settings(max_examples=400)
@given(press_strings())
def test_parse_format_parse_round_trips(case: tuple[str, str, str]) -> None:
    text, kind, unit = case
    first = parse_quantity(text, kind=kind, unit=unit)  # type: ignore[arg-type]
    written = format_quantity(first)
    second = parse_quantity(written, kind=kind, unit=unit)  # type: ignore[arg-type]
    assert second == first
    assert second.marker == first.marker
    assert format_quantity(second) == written


@given(st.text(max_size=12), st.sampled_from(["count", "money"]))
def test_arbitrary_text_either_parses_or_raises_value_problem(text: str, kind: str) -> None:
    try:
        quantity = parse_quantity(text, kind=kind, unit="件" if kind == "count" else "元")  # type: ignore[arg-type]
    except ValueProblem as problem:
        assert problem.code.startswith("value.")
        assert is_chinese(problem.message) and is_chinese(problem.hint)
    else:
        assert quantity.amount >= 0
        again = parse_quantity(format_quantity(quantity), kind=kind, unit=quantity.unit)  # type: ignore[arg-type]
        assert again == quantity


@given(st.lists(quantities(share=6), min_size=1, max_size=6))
def test_sum_amounts_and_qualifier_honesty(cases: list[tuple[str, Quantity]]) -> None:
    parts = [Quantity(quantity.amount, "元", quantity.qualifier) for _, quantity in cases]
    total = sum_quantities(parts)
    assert total is not None
    assert total.amount == sum((p.amount for p in parts), Decimal(0))
    qualifiers = {p.qualifier for p in parts}
    assert total.is_exact == (qualifiers == {EXACT})
    if total.qualifier is AT_LEAST:
        assert qualifiers <= {EXACT, AT_LEAST}
    if total.qualifier is AT_MOST:
        assert qualifiers <= {EXACT, AT_MOST}
    assume(len(qualifiers) > 1)
    assert money(format_quantity(total)) == total
