"""What a personal-data detector reports: a `Finding`, worded by the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fazhi.privacy.normalise import Normalised
from fazhi.problems import CATALOGUE

__all__ = ["Detector", "Finding", "quote_finding"]


@dataclass(frozen=True)
class Finding:
    """One piece of suspected personal data.

    `code` is a stable id (one of `fazhi.privacy.CODES`, a `fazhi.problems.CATALOGUE` entry);
    `match` is the offending text exactly as it appears, at `start:end` in the scanned
    (original) text; `params` fill the catalogue's wording besides ``{match}`` (the role word,
    the surname to keep). `message` and `hint` are the Chinese texts shown to the user.
    """

    code: str
    match: str
    start: int
    end: int
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """What was found, in Chinese."""
        return CATALOGUE[self.code].text.format(match=self.match, **self.params)

    @property
    def hint(self) -> str:
        """How to fix it, in Chinese."""
        return CATALOGUE[self.code].hint.format(match=self.match, **self.params)


Detector = Callable[[str, Normalised], list[Finding]]


def quote_finding(code: str, text: str, norm: Normalised, start: int, end: int, **params: str) -> Finding:
    """A finding for ``norm[start:end]``, quoting the original `text`."""
    s, e = norm.span(start, end)
    return Finding(code, text[s:e], s, e, params)
