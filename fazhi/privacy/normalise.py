"""Text as the personal-data detectors read it (`normalise`), mapped back to the original.

NFKC, invisible format characters removed, Unicode spaces as spaces, dashes as '-', middle
dots as '.', and runs of Chinese numerals read as digits. Findings still quote and point at
the original text (`Normalised.span`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TRIGGER", "Normalised", "is_cjk", "keep_unchanged", "normalise", "read_words"]

# Dashes and dots that people put between digit groups; read as '-' and '.'.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\ufe58\ufe63"
_DOTS = "\u00b7\u2022\u2219\u30fb\uff65\u2027"


# The punctuation the patterns read; other full-width punctuation (，。：；) is left as it is.
_KEPT = frozenset("@.-+()/#%_&")


def _build_tables() -> tuple[dict[int, str], str]:
    """One-to-one replacements (NFKC, spaces, dashes) and the characters needing the slow path.

    Only the blocks where such characters are common are tabulated (Latin-1 to the CJK
    symbols, and the compatibility and full-width forms); any character outside the
    known-simple ranges takes the slow path, which normalises it on the spot.
    """
    one: dict[int, str] = {}
    slow: list[str] = []
    for cp in (*range(0x80, 0x3400), *range(0xF900, 0x10000)):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category == "Cf":
            slow.append(ch)
        elif category == "Zs":
            one[cp] = " "
        else:
            folded = unicodedata.normalize("NFKC", ch)
            if len(folded) == 1 and folded != ch and (folded.isalnum() or folded in _KEPT):
                one[cp] = folded  # ２ → 2, ＠ → @, （ → (; not ， → , which no pattern needs
            elif len(folded) > 1 and any(c.isalnum() or c == "@" for c in folded):
                slow.append(ch)  # ⑩ → 10, ㈠ → (一): may hide digits
    for ch in _DASHES:
        one[ord(ch)] = "-"
    for ch in _DOTS:
        one[ord(ch)] = "."
    return one, "".join(slow)


_ONE_TO_ONE, _SLOW_CHARS = _build_tables()
_NEEDS_TABLE = re.compile("[" + re.escape("".join(map(chr, _ONE_TO_ONE))) + "]")
_NEEDS_SLOW = re.compile(
    "[" + re.escape(_SLOW_CHARS) + "]|[^\\x00-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\uffff]"
)
_NEEDS_WORK = re.compile(_NEEDS_SLOW.pattern + "|" + _NEEDS_TABLE.pattern)
_CN_DIGITS = "〇零幺一二三四五六七八九○"
_CN_TO_ASCII = str.maketrans(_CN_DIGITS, "0011234567890")
# A run of at least 7 digits or Chinese numerals, single separators allowed, holding at
# least one Chinese numeral: 一三八零零一三八零零零, 138零零13八000, 一三八 零零一三 八零零零.
_CN_RUN = re.compile(
    f"(?=[0-9{_CN_DIGITS}](?:[ .\\-]?[0-9{_CN_DIGITS}]){{6}})"
    f"[0-9{_CN_DIGITS}](?:[ .\\-]?[0-9{_CN_DIGITS}])*"
)
_HAS_CN_DIGIT = re.compile(f"[{_CN_DIGITS}]")
# Any character that normalisation changes or a number detector starts from: a text without
# one (most sentences) is read as it is, by the name detectors only. One character class,
# so one fast pass; the last ranges are those outside the known-simple ones of _NEEDS_SLOW.
TRIGGER = re.compile(
    "[0-9@号室户栋幢单" + _CN_DIGITS + re.escape(_SLOW_CHARS + "".join(map(chr, _ONE_TO_ONE)))
    + "\u4dc0-\u4dff\ua000-\uf8ff\U00010000-\U0010ffff]"
)


class Normalised(str):
    """Text as the detectors read it, remembering where each character came from.

    ``origin[i]`` is the offset in the original text of character ``i``; ``origin`` is
    None when the two have the same length and offsets (the common case).
    """

    origin: list[int] | None
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for ``self[start:end]`` (``end > start``)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _fold(ch: str) -> str:
    """One character as `normalise` reads it: like the table, and for the rest NFKC where
    that gives a letter, a digit or punctuation the patterns read."""
    mapped = _ONE_TO_ONE.get(ord(ch))
    if mapped is not None:
        return mapped
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and any(c.isalnum() or c in _KEPT for c in folded):
        return folded.translate(_ONE_TO_ONE)
    return ch


def _slow_normalise(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        folded = " " if category == "Zs" else _fold(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def normalise(text: str) -> Normalised:
    """Fold `text` for matching: NFKC, no format characters (Cf), Unicode spaces as spaces,
    dashes as '-', middle dots as '.', and Chinese numerals read as digits within a run of
    at least seven digits or numerals. The result maps back to `text` (`Normalised.span`).
    """
    origin: list[int] | None = None
    work = None if text.isascii() else _NEEDS_WORK.search(text)
    if work is None:
        folded = text
    elif _NEEDS_SLOW.search(text, work.start()):
        folded, origin = _slow_normalise(text)
    else:
        folded = text.translate(_ONE_TO_ONE)
    if _CN_RUN.search(folded):
        folded = _CN_RUN.sub(_read_cn_run, folded)
    norm = Normalised(folded)
    norm.origin = origin
    norm.original = text
    return norm


def keep_unchanged(text: str) -> Normalised:
    """`text` as a `Normalised` that maps every offset to itself (nothing to fold)."""
    norm = Normalised(text)
    norm.origin = None
    norm.original = text
    return norm


def _read_cn_run(m: re.Match[str]) -> str:
    run = m.group()
    return run.translate(_CN_TO_ASCII) if _HAS_CN_DIGIT.search(run) else run


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (a Chinese character)."""
    return "\u4e00" <= ch <= "\u9fff"


def read_words(text: str) -> frozenset[str]:
    """The white-space separated words of `text` (word lists written as one string)."""
    return frozenset(text.split())
