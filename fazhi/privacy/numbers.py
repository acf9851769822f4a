"""Numbers that identify a person: resident ID numbers, phones, bank cards, and e-mail addresses.

However the digits are written: grouped by spaces, dots or dashes, full-width, or as Chinese
numerals (`fazhi.privacy.normalise` folds them first).
"""

from __future__ import annotations

import re
from datetime import date

from fazhi.privacy.finding import Finding, quote_finding
from fazhi.privacy.normalise import Normalised

__all__ = [
    "find_cards", "find_emails", "find_grouped_numbers", "find_ids", "find_phones", "id_check_digit",
    "is_resident_id", "luhn_ok",
]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID18_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{6} [0-9]{8} [0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
_ID15_RE = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")


def id_check_digit(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 ID digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _plausible_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if not 1900 <= year <= date.today().year:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_resident_id(candidate: str) -> bool:
    """True if `candidate` (18 characters, spaces ignored) is a valid resident ID number.

    Valid means: 17 digits, then a digit or X whose ISO 7064 MOD 11-2 check
    matches, with a birth date (characters 7-14) that exists and lies between
    1900 and today.
    """
    s = candidate.replace(" ", "").upper()
    if len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit():
        return False
    if not (s[17] == "X" or (s[17].isascii() and s[17].isdigit())):
        return False
    return _plausible_birth_date(s[6:14]) and id_check_digit(s[:17]) == s[17]


_CARD_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ .-][0-9]{4}){3}(?:[ .-][0-9]{1,3})?)(?![0-9])"
)


_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"'，。；、）]+")


def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------

# Not preceded by a digit or a decimal point, not followed by a digit, a
# decimal part or a money word: a phone number is never an amount.
_AMOUNT_WORDS = r"\s*(?:元|万|亿|余|多)"
_NOT_AMOUNT_AFTER = r"(?![0-9])(?!\.[0-9])(?!" + _AMOUNT_WORDS + ")"
_AMOUNT_AFTER_RE = re.compile(r"\.[0-9]|" + _AMOUNT_WORDS)
_MOBILE_RE = re.compile(
    r"(?<![0-9.+])"
    r"(?:(?:\+|00)?86[ .-]?|\(\+?86\) ?)?"
    r"1[3-9][0-9](?:[ .-]?[0-9]{4}){2}" + _NOT_AMOUNT_AFTER
)
# Area codes: 010, 02X, or 0[3-9]XX; the local number does not start with 0.
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_AREA_RE = re.compile(_AREA)
_FIXED_RE = re.compile(
    r"(?<![0-9.])"
    r"(?:\(" + _AREA + r"\) ?|" + _AREA + r"[ .-]?)"
    r"[1-9][0-9]{6,7}" + _NOT_AMOUNT_AFTER
)

# Digit groups joined by separators (a space, a dot or a hyphen, perhaps with spaces
# around it): 1101-0119-9003-0745-14, 110101 1990 0307 4514, 138.0013.8000. Slashes
# are not separators: they join the parts of dates and fractions, not of numbers.
_GROUPED_RE = re.compile(r"[0-9]+(?:(?: ?[.\-] ?| )[0-9]+)+(?:[Xx](?![0-9A-Za-z]))?")
_GROUP_RE = re.compile(r"[0-9]+[Xx]?")

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

def find_ids(text: str, norm: Normalised) -> list[Finding]:
    """Resident ID numbers: 18 characters that pass the check digit, and 15 digits standing alone."""
    out = [quote_finding("privacy.id_number", text, norm, *m.span())
           for m in _ID18_RE.finditer(norm) if is_resident_id(m.group())]
    out += [quote_finding("privacy.old_id_number", text, norm, *m.span()) for m in _ID15_RE.finditer(norm)]
    return out


def _url_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL_RE.finditer(norm)] if "://" in norm else []


def find_cards(text: str, norm: Normalised) -> list[Finding]:
    """Bank card numbers: 16 to 19 digits passing the Luhn check, outside web addresses."""
    out: list[Finding] = []
    urls = _url_spans(norm)
    for m in _CARD_RE.finditer(norm):
        if any(s <= m.start() < e for s, e in urls):
            continue  # a long article number in a web address (toutiao.com/article/73…) is no card
        digits = re.sub(r"[ .-]", "", m.group())
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            continue
        if len(digits) == 18 and is_resident_id(digits):
            continue  # reported as an ID number
        out.append(quote_finding("privacy.bank_card", text, norm, *m.span()))
    return out


def find_phones(text: str, norm: Normalised) -> list[Finding]:
    """Mobile and fixed-line phone numbers, never an amount of money."""
    out = [quote_finding("privacy.phone", text, norm, *m.span()) for m in _MOBILE_RE.finditer(norm)]
    out += [quote_finding("privacy.fixed_phone", text, norm, *m.span()) for m in _FIXED_RE.finditer(norm)]
    return out


def _grouped_code(groups: list[str], after: str) -> str:
    """What digit groups joined by separators spell: the finding's code, or "" for nothing."""
    digits = "".join(groups)
    if len(digits) == 18 and is_resident_id(digits):
        return "privacy.id_number"
    if "x" in digits.lower() or _AMOUNT_AFTER_RE.match(after):
        return ""
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" \
            and all(len(g) >= 2 for g in groups) and len(groups[0]) >= 3:
        return "privacy.phone"
    if 10 <= len(digits) <= 12 and _AREA_RE.fullmatch(groups[0]) and digits[len(groups[0])] != "0" \
            and 7 <= len(digits) - len(groups[0]) <= 8:
        return "privacy.fixed_phone"
    return ""


def find_grouped_numbers(text: str, norm: Normalised) -> list[Finding]:
    """IDs and phones however their digits are grouped: any run of whole groups."""
    out: list[Finding] = []
    for run in _GROUPED_RE.finditer(norm):
        groups = list(_GROUP_RE.finditer(run.group()))
        base = run.start()
        i = 0
        while i < len(groups):
            for j in range(len(groups), i + 1, -1):  # two groups or more: one is a plain number
                parts = [g.group() for g in groups[i:j]]
                if not 10 <= sum(map(len, parts)) <= 18:
                    continue
                end = base + groups[j - 1].end()
                code = _grouped_code(parts, norm[end:end + 4])
                if code:
                    out.append(quote_finding(code, text, norm, base + groups[i].start(), end))
                    i = j - 1
                    break
            i += 1
    return out


def find_emails(text: str, norm: Normalised) -> list[Finding]:
    """E-mail addresses."""
    return [quote_finding("privacy.email", text, norm, *m.span()) for m in _EMAIL_RE.finditer(norm)]
