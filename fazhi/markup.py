"""HTML in record text (rule 9 of the record contract, version 2).

Record text is plain text or Markdown. Markdown passes raw HTML through, so a tag in a
field changes the page: an unclosed ``<script>`` or ``<style>`` swallows the rest of the
field, an unclosed ``<div>``, ``<p>`` or ``<details>`` leaves the rest as raw Markdown. The
checker therefore refuses anything that starts a tag, closed or not.

A tag start is ``<`` followed by a tag name (a letter, then letters, digits or hyphens,
then a space, ``/``, ``>`` or the end of the line), by ``/`` and a tag name, by ``!``
(comments, ``<!DOCTYPE``, ``<![CDATA[``) or by ``?`` and a letter (``<?php``). Not tags: a
Markdown autolink (``<https://…>``, ``<mailto:…>``, ``<name@example.com>``), and a less-than
sign before a space, a digit or Chinese text (``a < b``, ``<5万元``, ``x<y的值``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Tag", "find_html"]

_TAG_START = re.compile(
    r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|!(?:--|\[CDATA\[|[A-Za-z])|\?[A-Za-z])",
    re.MULTILINE,
)
# CommonMark autolinks: <scheme:…> with a scheme of 2 to 32 characters, and <address@host>.
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_NAME = re.compile(r"<[!?/]?[A-Za-z0-9\-\[]*")
_SHOWN = 40  # at most this many characters of a tag are quoted in a message


@dataclass(frozen=True)
class Tag:
    """One HTML tag (or the start of an unclosed one) at `start:end` of the text."""

    start: int
    end: int
    text: str


def _tag_end(text: str, start: int) -> int:
    """The end of the tag starting at `start`: after its '>' on the same line, or after its name."""
    line_end = text.find("\n", start)
    close = text.find(">", start, line_end if line_end >= 0 else len(text))
    if close >= 0 and close - start < _SHOWN:
        return close + 1
    name = _NAME.match(text, start)
    return name.end() if name else start + 1


def find_html(text: str) -> list[Tag]:
    """Every HTML tag start in `text`, in order, each with the tag as written (cut at 40
    characters; an unclosed tag is quoted up to the end of its name)."""
    if "<" not in text:
        return []
    tags = []
    for m in _TAG_START.finditer(text):
        if _AUTOLINK.match(text, m.start()):
            continue
        end = _tag_end(text, m.start())
        tags.append(Tag(m.start(), end, text[m.start():end]))
    return tags
