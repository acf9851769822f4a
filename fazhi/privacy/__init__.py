"""Personal-data checks for record text (rule 8 of the record contract, version 2).

Publication follows the spirit of the courts' rules for publishing judgments
online: parties appear only as surname + 某/某某 (or 某公司, 甲公司 …), and no
identity number, phone number, bank card, e-mail address or door-level street
address may be published. This module only *finds* suspicious text; the
caller decides what is an error and applies the `privacy_reviewed` waivers,
which quote `Finding.match`.

Two entry points:

* `scan_text` for any text (titles, summaries, sections, body, keywords, role keys,
  source fields …);
* `check_party_name` for one entry of a case's `parties` lists.

Text is normalised before matching (`normalise`): NFKC, invisible format characters
removed, Unicode spaces as spaces, runs of Chinese numerals read as digits. Findings
still quote and point at the original text.

The package: `normalise` (folding), `finding` (`Finding`, worded by `fazhi.problems.CATALOGUE`),
`numbers` (IDs, phones, cards, e-mail), `addresses`, `roles` (a role word and a name) and
`parties` (the strict grammar of party entries); this module runs them.

Detectors are functions ``(text, norm) -> list[Finding]`` in two lists:
`NUMBER_DETECTORS` (numbers, e-mail, addresses: allowed nowhere) and `NAME_DETECTORS`
(personal names: not applied where a name may stand, such as a source's author).

All detection is rule based and deliberately conservative on the side of
privacy: a rare false positive can be waived, a leaked name cannot be recalled.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from fazhi.names import OFFICE_TITLES, find_person_names, find_person_names_many
from fazhi.privacy.addresses import find_addresses
from fazhi.privacy.finding import Detector, Finding
from fazhi.privacy.normalise import TRIGGER, Normalised, keep_unchanged, normalise
from fazhi.privacy.numbers import (
    find_cards,
    find_emails,
    find_grouped_numbers,
    find_ids,
    find_phones,
    id_check_digit,
    is_resident_id,
    luhn_ok,
)
from fazhi.privacy.parties import check_party_name, place_names
from fazhi.privacy.roles import find_role_names, person_name_detector
from fazhi.problems import CATALOGUE

__all__ = [
    "CODES",
    "NAME_DETECTORS",
    "NUMBER_DETECTORS",
    "OFFICE_TITLES",
    "Detector",
    "Finding",
    "Normalised",
    "check_party_name",
    "id_check_digit",
    "is_resident_id",
    "luhn_ok",
    "normalise",
    "person_name_detector",
    "place_names",
    "prime_names",
    "scan_text",
]

#: Every code a finding may carry: the catalogue's rule-8 entries but the unused waiver.
CODES: tuple[str, ...] = tuple(
    code for code in CATALOGUE if code.startswith("privacy.") and code != "privacy.unused_waiver")

# Earlier detectors win where spans overlap (an 18-digit ID is not also a card).
NUMBER_DETECTORS: list[Detector] = [
    find_emails, find_ids, find_cards, find_phones, find_grouped_numbers, find_addresses,
]
NAME_DETECTORS: list[Detector] = [
    find_role_names,  # first: its message names the role word where both find a name
    person_name_detector(find_person_names),  # names with no role word before them (fazhi.names)
]

# Cheap tests that tell, from the normalised text, that a number detector cannot find
# anything, so that most texts skip the patterns (scanning 10,000 cases runs them on
# ~170,000 texts). Each test is implied by its detectors' patterns:
# - an ID, card or phone number holds at least 10 digits, with at most three separators
#   (space, dot, hyphen, parenthesis) between consecutive digits;
# - an e-mail address holds an @;
# - every address pattern holds 号, 室, 户, 单元, 栋 or 幢 (3栋502 has no 号).
_DIGIT_RUN = re.compile(r"[0-9](?:[ ().\-]{0,3}[0-9]){9}")
_ADDRESS_MARK = re.compile("号|室|户|单元|栋|幢")
_ASCII_DIGIT = re.compile("[0-9]")
_NEEDS = {find_emails: "email", find_ids: "digits", find_cards: "digits",
          find_phones: "digits", find_grouped_numbers: "digits", find_addresses: "address"}


def _detectors_for(norm: str, detectors: Sequence[Detector]) -> Sequence[Detector]:
    """The number detectors (in order) that might find something in `norm`."""
    digits = _DIGIT_RUN.search(norm) is not None
    email = "@" in norm
    address = _ADDRESS_MARK.search(norm) is not None
    if not (digits or email or address):
        return ()
    possible = {"digits": digits, "email": email, "address": address}
    return [d for d in detectors if possible.get(_NEEDS.get(d, ""), True)]


def scan_text(text: str, *, names: bool = True) -> list[Finding]:
    """Scan any text for personal data and return the findings in text order.

    Detects resident ID numbers, mobile and fixed-line phone numbers (however grouped or
    separated), bank card numbers (Luhn), e-mail addresses, door-level street addresses
    and, unless `names` is False, personal names that are not anonymized (a role word such
    as 被执行人, 原告, 证人 … followed by a name that is not 张某/张某某). Digits inside a web
    address are not read as a bank card. The text is normalised first; findings quote and
    point at the original. Overlapping findings are reported once.
    """
    if not text or (text.isascii() and "@" not in text and not _ASCII_DIGIT.search(text)):
        return []  # ids, slugs, words: nothing a detector looks for
    triggered = TRIGGER.search(text) is not None
    norm = normalise(text) if triggered else keep_unchanged(text)
    detectors: Sequence[Detector] = _detectors_for(norm, NUMBER_DETECTORS) if triggered else ()
    if names and not text.isascii():  # names are Chinese
        detectors = (*detectors, *NAME_DETECTORS)
    kept: list[Finding] = []
    for detector in detectors:
        for f in detector(text, norm):
            if not any(f.start < k.end and k.start < f.end for k in kept):
                kept.append(f)
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _normalised(text: str) -> Normalised:
    """`normalise(text)`, skipped for text with nothing to normalise."""
    return keep_unchanged(text) if TRIGGER.search(text) is None else normalise(text)


def prime_names(texts: Collection[str]) -> None:
    """Run the name recogniser over many texts at once, so that `scan_text` finds them memoised.

    The recogniser tags batches of sentences many times faster than one text at a time; a
    check calls this with every text it will scan for names.
    """
    find_person_names_many([str(_normalised(text)) for text in texts if text and not text.isascii()])
