"""Counts and sums of money as the press writes them (records.md, "Values").

A value in a record is an `int`, a `Decimal` (the loader builds YAML floats from their source
text) or press-style text such as ``49件``, ``101.2万元``, ``8万余元`` or ``近30万元``. This
module reads such values into an exact `Quantity`, writes a `Quantity` back in press style, and
adds quantities up while keeping their qualifiers honest.

Accepted text, in order: an optional leading marker (近 约 逾), a number (Arabic digits, with
optional thousands separators and a decimal part, or a simple Chinese numeral such as 十, 两千,
三千五百, 一百零五), an optional scale word (万 or 亿), an optional trailing marker (余 or 多,
before or after the scale word) and an optional unit word. At most one marker per value.
Full-width digits and punctuation are normalised and white space is ignored.

Deliberately refused, with a hint naming the accepted form: 左右 and 上下 (write 约…), 以上
and 超过 (write 逾… or …余), 将近 and 接近 (write 近…), 大约 (write 约…), 若干 (give a number).
Keeping one spelling per qualifier keeps the pages and the data exports uniform.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import (
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import StrEnum
from typing import Literal

from fazhi.problems import CATALOGUE

__all__ = [
    "LIMITS",
    "MARKERS",
    "UNIT_SYNONYMS",
    "Qualifier",
    "Quantity",
    "ValueProblem",
    "format_quantity",
    "parse_chinese_number",
    "parse_quantity",
    "sum_quantities",
]


class Qualifier(StrEnum):
    """How a figure relates to the true value."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOUT = "about"


@dataclass(frozen=True)
class Quantity:
    """An exact figure with its unit and qualifier.

    `amount` is yuan for money and units for counts, always a `Decimal`. `marker` is the word
    as written (余 多 近 约 逾, "" when exact); it is kept for display only and ignored by
    equality, so ``8万余元`` and ``8万多元`` are equal quantities.
    """

    amount: Decimal
    unit: str
    qualifier: Qualifier = Qualifier.EXACT
    marker: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int | Decimal):
            raise TypeError(f"Quantity.amount must be a Decimal, not {type(self.amount).__name__}")
        if isinstance(self.amount, int):
            object.__setattr__(self, "amount", Decimal(self.amount))
        if not isinstance(self.qualifier, Qualifier):
            object.__setattr__(self, "qualifier", Qualifier(self.qualifier))

    @property
    def is_exact(self) -> bool:
        """True when the figure is exact (no 余 多 近 约 逾)."""
        return self.qualifier is Qualifier.EXACT


class ValueProblem(Exception):
    """A value that cannot be read: a `fazhi.problems.CATALOGUE` code and its parameters.

    `code` names the sentence (``value.negative``, ``value.count_unparsable``, …); `params`
    fill it (the value as written, the unit, the form to write instead). `message` says in
    Chinese what is wrong, `hint` how to fix it, both from the catalogue.
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params
        entry = CATALOGUE[code]
        self.message = entry.text.format(**params)
        self.hint = entry.hint.format(**params)

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"

    def __reduce__(self) -> tuple[object, ...]:
        return _rebuild_problem, (self.code, self.params)


def _rebuild_problem(code: str, params: dict[str, str]) -> ValueProblem:
    """Unpickle a `ValueProblem` (its parameters are keywords, which pickle does not pass)."""
    return ValueProblem(code, **params)


#: Unit words the press uses for the same unit, mapped to the unit metrics use.
#: 家 (enterprises) is not 个, 人次 is not 人, 辆次 is not 辆: those are different units.
UNIT_SYNONYMS: dict[str, str] = {
    "起": "件",
    "宗": "件",
    "名": "人",
    "位": "人",
}

#: Qualifier words. 余/多 follow the number, 近/约/逾 precede it. 逾 is our extension of the
#: contract, used for totals that include an "at least" figure.
MARKERS: dict[str, Qualifier] = {
    "余": Qualifier.AT_LEAST,
    "多": Qualifier.AT_LEAST,
    "逾": Qualifier.AT_LEAST,
    "近": Qualifier.AT_MOST,
    "约": Qualifier.ABOUT,
}

_PREFIX_MARKERS = "近约逾"
_SUFFIX_MARKERS = "余多"
_DEFAULT_MARKER = {
    Qualifier.AT_LEAST: "余",
    Qualifier.AT_MOST: "近",
    Qualifier.ABOUT: "约",
}
_TOTAL_MARKER = {
    Qualifier.AT_LEAST: "逾",
    Qualifier.AT_MOST: "近",
    Qualifier.ABOUT: "约",
}

_SCALES = {"万": 4, "亿": 8}

#: The largest figure any report gives, as a power of ten (rule 9): 10^13 yuan (10 万亿元, about
#: China's yearly GDP) and 10^9 of a count. Anything larger is a typo or a hostile file.
LIMITS: dict[str, int] = {"money": 13, "count": 9}
_YUAN = "元"
_KIND_NAME = {"count": "数量", "money": "金额"}

# Arithmetic that must never round: any inexact result raises instead.
_EXACT = Context(prec=200, traps=[InvalidOperation, Inexact, Overflow, DivisionByZero])

# --- Chinese numerals -----------------------------------------------------------------------

_ZEROS = "零〇"
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = _ZEROS + "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_SCALES)

_ARABIC = r"(?:[1-9]\d{0,2}(?:,\d{3})+|0|[1-9]\d*)(?:\.\d+)?"
_ARABIC_SCALED = re.compile(rf"(?P<number>{_ARABIC})(?P<scale>[万亿])?")
_CHINESE = re.compile(rf"[{_NUMERAL_CHARS}]+")

_PATTERN = re.compile(
    rf"(?P<pre>[{_PREFIX_MARKERS}])?"
    rf"(?:(?P<arabic>{_ARABIC})|(?P<chinese>[{_NUMERAL_CHARS}]+))"
    rf"(?P<m1>[{_SUFFIX_MARKERS}])?"
    r"(?P<scale>[万亿])?"
    rf"(?P<m2>[{_SUFFIX_MARKERS}])?"
    r"(?P<unit>[^\d.,]*)"
)
_UNIT_WORD = re.compile(r"[\u4e00-\u9fff]{1,4}")
_NEGATIVE_SIGNS = ("-", "\u2212", "负")


def _section(text: str, *, implicit_one: bool) -> int | None:
    """A numeral below 10000 (十二, 三千五百, 一百零五); None if malformed or ambiguous."""
    terms: list[tuple[int, int]] = []
    zero = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _ZEROS:
            if not terms or zero:
                return None
            zero = True
            i += 1
            continue
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            i += 1
            unit = 1
            if i < len(text) and text[i] in _SMALL_UNITS:
                unit = _SMALL_UNITS[text[i]]
                i += 1
        elif ch in _SMALL_UNITS:
            # 十二, 百余, 千余: a leading unit with an implied 一.
            if terms or zero or not implicit_one:
                return None
            digit, unit = 1, _SMALL_UNITS[ch]
            i += 1
        else:
            return None
        if terms:
            previous = terms[-1][1]
            if unit >= previous:
                return None
            # 零 marks a skipped place and is required there: 一百零五 is 105, while 三千五
            # (colloquial 3500) is refused as ambiguous.
            if zero != (previous > unit * 10):
                return None
        zero = False
        terms.append((digit, unit))
    if zero or not terms:
        return None
    return sum(d * u for d, u in terms)


def _chinese_integer(text: str) -> int | None:
    """A Chinese numeral with optional 亿 and 万 groups; None if malformed."""
    if text in _ZEROS:
        return 0
    if text.count("亿") > 1 or text.count("万") > 1:
        return None
    groups: list[tuple[str, int]] = []
    rest = text
    for word, power in (("亿", 8), ("万", 4)):
        if word in rest:
            head, rest = rest.split(word, 1)
            groups.append((head, power))
    groups.append((rest, 0))
    total = 0
    previous_power: int | None = None
    for index, (part, power) in enumerate(groups):
        if index == 0:
            if part == "":
                if power == 0:
                    return None
                value = 1  # 万余元, 亿元: an implied 一
            else:
                found = _section(part, implicit_one=True)
                if found is None:
                    return None
                value = found
        else:
            if part == "":
                if power != 0:
                    return None  # 一亿万
                value = 0
            else:
                zero = part[0] in _ZEROS
                found = _section(part[1:] if zero else part, implicit_one=False)
                if found is None:
                    return None
                value = found
                assert previous_power is not None
                gap = value < 1000 or previous_power - power > 4
                if zero != gap:
                    return None
        total += value * 10**power
        previous_power = power
    return total


def parse_chinese_number(text: str) -> Decimal | None:
    """Read a number as the press writes it, without unit or marker; None if it is not one.

    Accepts Chinese numerals (十, 十二, 两千, 三千五百, 一百零五, 十万, 一亿二千万, 万) and
    Arabic numbers with an optional scale word (49, 1,234, 8584.6, 1.5万, 3亿). Full-width
    digits are normalised. Colloquial abbreviations such as 三千五 are refused as ambiguous.
    """
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    arabic = _ARABIC_SCALED.fullmatch(normal)
    try:
        with localcontext(_EXACT):
            if arabic:
                number = Decimal(arabic["number"].replace(",", ""))
                if arabic["scale"]:
                    number = number.scaleb(_SCALES[arabic["scale"]])
                return _canonical(number)
            if _CHINESE.fullmatch(normal):
                integer = _chinese_integer(normal)
                return None if integer is None else Decimal(integer)
    except DecimalException:
        return None
    return None


# --- Reading --------------------------------------------------------------------------------


def _canonical(amount: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent (1.2E+4 → 12000, 49.0 → 49)."""
    with localcontext(_EXACT):
        if amount == 0:
            return Decimal(0)
        normal = amount.normalize()
        exponent = normal.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            normal = normal.quantize(Decimal(1))
        return normal


# Words the press uses that we refuse, with the marker to use instead.
_UNSUPPORTED: tuple[tuple[str, str], ...] = (
    ("左右", "约"),
    ("上下", "约"),
    ("大约", "约"),
    ("以上", "逾"),
    ("超过", "逾"),
    ("将近", "近"),
    ("接近", "近"),
    ("不到", "近"),
    ("若干", ""),
)


def _vague_word(raw: str, text: str, word: str, marker: str, kind: str, unit: str) -> ValueProblem:
    """`word` (左右, 以上…) refused, with the accepted form: the value rewritten when that reads."""
    params = {"quantity": _KIND_NAME[kind], "value": _shown(raw), "word": word}
    if marker:
        try:
            amount, qualifier, _ = _read_text(text.replace(word, "", 1), kind, unit)
        except ValueProblem:
            pass
        else:
            if qualifier is Qualifier.EXACT and (kind == "money" or amount % 1 == 0):
                fixed = format_quantity(Quantity(amount, unit, MARKERS[marker], marker))
                return ValueProblem("value.word_rewrite", **params, form=fixed)
    sample = "30万元" if kind == "money" else f"300{unit}"
    at_least = "30万余元" if kind == "money" else f"300余{unit}"
    if marker == "":
        return ValueProblem("value.word_no_number", **params, form=f"约{sample}", at_least=at_least)
    if marker == "逾":
        return ValueProblem("value.word_at_least", **params, form=f"逾{sample}", at_least=at_least)
    return ValueProblem("value.word_marker", **params, marker=marker, form=f"{marker}{sample}")


# Why a value cannot be read, by the kind of value: the catalogue codes (money, count).
_UNREADABLE = {
    "unparsable": ("value.money_unparsable", "value.count_unparsable"),
    "numeral": ("value.money_numeral", "value.count_numeral"),  # not a proper Chinese numeral
    "digits": ("value.money_digits", "value.count_digits"),
    "infinite": ("value.money_infinite", "value.count_infinite"),
    "empty": ("value.money_empty", "value.count_empty"),
    "missing": ("value.money_missing", "value.count_missing"),
    "bool": ("value.money_bool", "value.count_bool"),
    "type": ("value.money_type", "value.count_type"),
    "too_large": ("value.money_too_large", "value.count_too_large"),
}


def _refuse(reason: str, kind: str, unit: str, **params: str) -> ValueProblem:
    """The problem `reason` (a key of `_UNREADABLE`) for a value of `kind` whose unit is `unit`."""
    money, count = _UNREADABLE[reason]
    return ValueProblem(money if kind == "money" else count, unit=unit, **params)


def _unparsable(raw: object, kind: str, unit: str, reason: str = "unparsable", **params: str) -> ValueProblem:
    return _refuse(reason, kind, unit, value=_shown(raw), **params)


def _mismatch(raw: str, word: str, kind: str, unit: str) -> ValueProblem:
    code = "value.money_unit_mismatch" if kind == "money" else "value.unit_mismatch"
    return ValueProblem(code, value=_shown(raw), word=word, unit=unit)


def _shown(raw: object) -> str:
    """`raw` for a message, cut at 40 characters (a hostile value may have thousands of digits)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = Decimal(raw)  # str() of an int over 4,300 digits raises
    text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def _check_plausible(number: Decimal, power: int, raw: object, kind: str, unit: str) -> None:
    """Raise ``value.money_too_large``/``value.count_too_large`` beyond any report (`LIMITS`).

    Compared before scaling or rounding, which a number of thousands of digits would overflow.
    """
    if number > Decimal(f"1E{LIMITS[kind] - power}"):
        raise _unparsable(raw, kind, unit, "too_large")


def _negative(raw: object, kind: str) -> ValueProblem:
    return ValueProblem("value.negative", quantity=_KIND_NAME[kind], value=_shown(raw))


def _same_unit(word: str, unit: str) -> bool:
    return UNIT_SYNONYMS.get(word, word) == UNIT_SYNONYMS.get(unit, unit)


def _read_text(raw: str, kind: str, unit: str) -> tuple[Decimal, Qualifier, str]:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if not text:
        raise _refuse("empty", kind, unit)
    for word, marker in _UNSUPPORTED:
        if word in text:
            raise _vague_word(raw, text, word, marker, kind, unit)
    stripped = text.lstrip(_PREFIX_MARKERS)
    if stripped.startswith(_NEGATIVE_SIGNS):
        raise _negative(raw, kind)
    match = _PATTERN.fullmatch(text)
    if not match:
        raise _unparsable(raw, kind, unit)
    markers = [m for m in (match["pre"], match["m1"], match["m2"]) if m]
    if len(markers) > 1:
        raise ValueProblem("value.markers", quantity=_KIND_NAME[kind], value=_shown(raw), markers="、".join(markers))
    word = match["unit"]
    if word:
        if not _UNIT_WORD.fullmatch(word) or any(
            ch in _NUMERAL_CHARS or ch in MARKERS for ch in word
        ):
            raise _unparsable(raw, kind, unit)
        if not _same_unit(word, unit):
            raise _mismatch(raw, word, kind, unit)
    scale = match["scale"] or ""
    try:
        with localcontext(_EXACT):
            if match["arabic"] is not None:
                amount = Decimal(match["arabic"].replace(",", ""))
                _check_plausible(amount, _SCALES.get(scale, 0), raw, kind, unit)
                if scale:
                    amount = amount.scaleb(_SCALES[scale])
            else:
                found = parse_chinese_number(match["chinese"] + scale)
                if found is None:
                    raise _unparsable(raw, kind, unit, "numeral", numeral=_shown(match["chinese"]))
                _check_plausible(found, 0, raw, kind, unit)
                amount = found
            amount = _canonical(amount)
    except DecimalException:
        raise _unparsable(raw, kind, unit, "digits") from None
    marker = markers[0] if markers else ""
    qualifier = MARKERS[marker] if marker else Qualifier.EXACT
    return amount, qualifier, marker


def parse_quantity(
    raw: int | Decimal | str, *, kind: Literal["count", "money"], unit: str
) -> Quantity:
    """Read a value of a metric of `kind` whose unit is `unit`.

    `raw` is an `int`, a `Decimal` or press-style text: counts such as ``49``, ``49件``,
    ``12起``, ``8名``, ``300余人``, ``十余次``, ``两千余人``, ``1.2万余件``; money such as
    ``4865``, ``8584.6``, ``4865元``, ``101.2万元``, ``3.2亿元``, ``8万余元``, ``800多万元``,
    ``近30万元``, ``约5万元``, ``逾101.2万元``, ``1,234元``. Money is always in yuan and the
    result's unit is 元 whatever `unit` says; a count's unit is `unit`, and a unit word in the
    text must be the same unit (after `UNIT_SYNONYMS`). 左右 and similar words are refused
    with a hint to write 约 instead (see the module docstring).

    Raises `ValueProblem` (its `code` a catalogue entry) for a float, bool or other type, text
    that cannot be read, a unit word that contradicts the metric, a negative value, a count
    that is not a whole number and a figure beyond `LIMITS`.
    """
    if kind not in _KIND_NAME:
        raise ValueError(f"unknown value kind: {kind!r}")
    target = _YUAN if kind == "money" else unit
    name = _KIND_NAME[kind]
    if isinstance(raw, float):
        raise ValueProblem("value.float", quantity=name, value=repr(raw))
    if isinstance(raw, bool):
        raise _refuse("bool", kind, target, value=str(raw))
    if raw is None:
        raise _refuse("missing", kind, target)
    if not isinstance(raw, int | Decimal | str):
        raise _unparsable(raw, kind, target, "type", type=type(raw).__name__)
    qualifier, marker = Qualifier.EXACT, ""
    if isinstance(raw, str):
        amount, qualifier, marker = _read_text(raw, kind, target)
    else:
        if isinstance(raw, Decimal) and not raw.is_finite():
            raise _unparsable(str(raw), kind, target, "infinite")
        if raw < 0:
            raise _negative(raw, kind)
        _check_plausible(Decimal(raw), 0, raw, kind, target)
        try:
            amount = _canonical(Decimal(raw))
        except DecimalException:
            raise _unparsable(str(raw), kind, target, "digits") from None
    if amount < 0:
        raise _negative(raw, kind)
    if kind == "count" and amount != amount.to_integral_value():
        if isinstance(raw, str) and any(word in raw for word in _SCALES):
            raise ValueProblem("value.not_whole_scaled", value=_shown(raw), unit=target, amount=_plain(amount))
        raise ValueProblem("value.not_whole", value=_shown(raw), unit=target)
    return Quantity(amount, target, qualifier, marker)


# --- Writing --------------------------------------------------------------------------------


def _plain(number: Decimal) -> str:
    """Digits without exponent or trailing zeros."""
    return format(_canonical(number), "f")


def _decimal_places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _choose_scale(amount: Decimal) -> tuple[Decimal, str]:
    """The number and scale word the press would write: 101.2 万, 3.2 亿, or 60475 and ""."""
    with localcontext(_EXACT):
        for word in ("亿", "万"):
            scaled = _canonical(amount.scaleb(-_SCALES[word]))
            if scaled >= 1 and _decimal_places(scaled) <= 2:
                return scaled, word
    return amount, ""


def _display_marker(q: Quantity) -> str:
    if q.qualifier is Qualifier.EXACT:
        return ""
    if MARKERS.get(q.marker) == q.qualifier:
        return q.marker
    return _DEFAULT_MARKER[q.qualifier]


def format_quantity(q: Quantity) -> str:
    """Write `q` in press style: 4865元, 101.2万元, 3.2亿元, 49件, 300余人, 800多万元, 8万余元.

    万 or 亿 is used when the scaled number has at most two decimal places (60475元 stays
    plain). 近/约/逾 precede the number; 余/多 follow the number, before the scale word when the
    scaled number is a multiple of ten (800多万元) and after it otherwise (8万余元). The marker
    is kept as written; a missing or inconsistent one is replaced by 余, 近 or 约.
    """
    number, scale = _choose_scale(_canonical(q.amount))
    digits = _plain(number)
    marker = _display_marker(q)
    if marker == "":
        return f"{digits}{scale}{q.unit}"
    if marker in _PREFIX_MARKERS:
        return f"{marker}{digits}{scale}{q.unit}"
    with localcontext(_EXACT):
        before_scale = bool(scale) and number % 10 == 0
    if before_scale:
        return f"{digits}{marker}{scale}{q.unit}"
    return f"{digits}{scale}{marker}{q.unit}"


# --- Adding up ------------------------------------------------------------------------------


def sum_quantities(values: Iterable[Quantity]) -> Quantity | None:
    """The total of `values`, or None when there are none.

    The total is exact only if every part is. Parts that are exact or "at least" give an "at
    least" total (marker 逾); exact or "at most" parts give "at most" (近); any "about" part, or
    a mix of "at least" and "at most", gives "about" (约). All parts must share one unit;
    mixing units is a programming error and raises `ValueError`.
    """
    items = list(values)
    if not items:
        return None
    unit = items[0].unit
    for item in items:
        if item.unit != unit:
            raise ValueError(f"cannot add quantities in {unit!r} and {item.unit!r}")
    with localcontext(_EXACT):
        total = sum((item.amount for item in items), Decimal(0))
    qualifiers = {item.qualifier for item in items} - {Qualifier.EXACT}
    if not qualifiers:
        qualifier = Qualifier.EXACT
    elif len(qualifiers) == 1:
        qualifier = qualifiers.pop()
    else:
        qualifier = Qualifier.ABOUT
    marker = _TOTAL_MARKER.get(qualifier, "")
    return Quantity(_canonical(total), unit, qualifier, marker)
