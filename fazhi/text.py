"""Escaping and sanitizing: the only way data reaches a rendered page.

Every string taken from the data goes through one of the functions here before it is
written into a page, and each returns an `Escaped` string. The templates' `finalize` hook
refuses anything else, so a value that skipped escaping fails the build instead of going
live.

- `escape_text` makes plain text (titles, summaries, names, headings, keywords) inert in
  Markdown, in every extension MkDocs sites commonly enable, and in HTML.
- `escape_front_matter` writes a value for the YAML front matter (title, description),
  which the theme inserts into HTML without escaping it. Every page sets a title: without
  one, MkDocs takes the title from the H1 and Material's ``<title>`` unescapes it.
- `markdown_block` converts a Markdown field (case sections, campaign body) to sanitized
  HTML, wrapped in one raw HTML block that MkDocs passes through untouched.
- `link_target` checks a link destination: a relative path to a generated page, or an
  http(s) address.
"""

from __future__ import annotations

import functools
import html
import json
import re
from urllib.parse import quote

import markdown
import nh3

__all__ = [
    "ALLOWED_TAGS",
    "Escaped",
    "escape_front_matter",
    "escape_text",
    "is_web_url",
    "link_target",
    "markdown_block",
    "markdown_html",
    "normalize_text",
    "sanitize_html",
]


class Escaped(str):
    """A string that is safe to write into a page's Markdown as it is."""

    __slots__ = ()


# --- plain text ---------------------------------------------------------------------------

# ASCII punctuation that Markdown or a common extension gives a meaning, each written as a
# character reference. A reference is literal text whatever extensions a site enables;
# backslash escapes are not: `\(` and `\[` open math with pymdownx.arithmatex, and `\|` or
# `\~` are escapes only when the table or tilde extension is loaded. HTML-special characters
# use their usual named entities.
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    **{ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#+!|~^=$@:?/"},
}

# Block syntax that only counts at the start of a line: a list item (`- `, `1. `) or a rule.
# Values are written on one line, so only their first characters can be there.
_LEADING_NUMBER_DOT = re.compile(r"^\d+\.(?=\s|$)")
_ENTITY_TABLE = str.maketrans(_ENTITIES)

# What `normalize_text` drops: control characters that are not white space (category Cc;
# white space is collapsed instead), surrogates (Cs) and the noncharacters U+FFFE, U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def normalize_text(value: object) -> str:
    """Plain text on one line: control characters dropped, runs of white space made one space.

    Collapsing line breaks keeps a value from starting a new Markdown block (a heading, a list,
    a setext underline, a table row) wherever it is written. Control characters include the
    STX/ETX placeholders Python-Markdown uses internally.
    """
    return " ".join(_CONTROL.sub("", str(value)).split())


def escape_text(value: object) -> Escaped:
    """Plain text made literal in Markdown and HTML.

    HTML-special characters become entities (``&lt;script&gt;``) and the punctuation Markdown
    and its extensions use becomes a numeric character reference (``&#91;点我&#93;``, ``&#124;``
    for a table pipe). A leading ``-`` or ``1.`` is escaped too so that the text cannot start a
    list; elsewhere those characters stay plain (``2024-01-14``, ``101.2万元``). Already
    escaped values pass through unchanged; `None` is refused (the caller decides what a
    missing value shows).
    """
    if isinstance(value, Escaped):
        return value
    if value is None:
        raise TypeError("escape_text() got None; decide what a missing value shows")
    plain = normalize_text(value)
    escaped = plain.translate(_ENTITY_TABLE)
    if plain.startswith("-"):
        escaped = "&#45;" + escaped[1:]
    elif leading := _LEADING_NUMBER_DOT.match(plain):
        dot = leading.end() - 1  # digits are never escaped, so offsets before it are the same
        escaped = plain[:dot] + "&#46;" + escaped[dot + 1:]
    return Escaped(escaped)


def escape_front_matter(value: object) -> Escaped:
    """A YAML scalar for the front matter, holding the value as escaped HTML text.

    MkDocs themes insert ``page.title`` (the front-matter title when there is one) and
    ``page.meta.description`` into HTML without escaping, so the text is HTML-escaped. Some
    template paths also unescape (``page.title | striptags``), so ASCII ``<`` and ``>`` are
    first replaced by their full-width forms (＜ ＞): no template, escaping or not, can turn
    the value into a tag. Braces become references too, as in page text. The result is a JSON
    string, which is valid YAML on one line.
    """
    text = normalize_text(value).replace("<", "＜").replace(">", "＞")
    escaped = html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return Escaped(json.dumps(escaped, ensure_ascii=False))


# --- Markdown fields ----------------------------------------------------------------------

#: The HTML a Markdown field may produce; everything else is stripped (its text is kept,
#: except inside script and style, which are dropped with their content).
ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td",
    "h3", "h4", "h5", "h6", "a", "code", "pre",
})

_WEB_URL = re.compile(r"^https?://[^\s<>\"'`{}|\\^\x00-\x1f\x7f]+$", re.IGNORECASE)
_BARE_LINK = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.DOTALL)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")

# Characters that raw-text preprocessors (pymdownx.superfences, pymdownx.critic,
# pymdownx.snippets, mkdocs-macros) would act on even inside a raw HTML block. In sanitized
# HTML they only occur in text and attribute values, where a character reference means the
# same character.
_HTML_NEUTRAL = {"`": "&#96;", "~": "&#126;", "{": "&#123;", "}": "&#125;"}
_NEUTRAL_TABLE = str.maketrans(_HTML_NEUTRAL)

# What `_source_text` drops: control characters except tab and line feed, and surrogates.
_SOURCE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# One converter, reset before each field: building one costs more than converting a field.
_CONVERTER = markdown.Markdown(
    extensions=["tables", "fenced_code", "sane_lists", "toc"],
    extension_configs={"toc": {"baselevel": 3}},
    output_format="html",
)

# The wrapper that makes the converted field one raw HTML block for MkDocs' Markdown.
_BLOCK_OPEN = '<div class="fazhi-prose">'
_BLOCK_CLOSE = "</div>"


def is_web_url(url: str) -> bool:
    """True when `url` is an absolute http(s) address without spaces or quote characters."""
    return bool(_WEB_URL.match(url))


def _keep_web_links(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return value if is_web_url(value.strip()) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={"*": set(), "a": {"href"}},  # "*": drop ammonia's default title and lang
    attribute_filter=_keep_web_links,
    url_schemes={"http", "https"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(fragment: str) -> str:
    """`fragment` reduced to `ALLOWED_TAGS`; links keep only an http(s) ``href``.

    A link whose address was removed (``javascript:``, relative, ``mailto:``) is unwrapped to
    its text, so no dead ``<a>`` remains; paragraphs left empty (an image, a script) go too.
    """
    cleaned = _BARE_LINK.sub(r"\1", _CLEANER.clean(fragment))
    return _EMPTY_PARAGRAPH.sub("", cleaned)


def _source_text(text: str) -> str:
    """Markdown source without control characters (tabs and line breaks kept)."""
    return _SOURCE_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@functools.lru_cache(maxsize=65536)
def markdown_html(text: str) -> str:
    """A Markdown field converted to sanitized HTML (no wrapper).

    Headings are shifted so that ``#`` becomes ``<h3>`` (the page's own sections are h2).
    Results are memoised by text: under ``mkdocs serve`` a rebuild converts only the fields
    that changed.
    """
    converted = _CONVERTER.reset().convert(_source_text(text))
    return sanitize_html(converted).strip().translate(_NEUTRAL_TABLE)


def markdown_block(text: str) -> Escaped:
    """A Markdown field as one raw HTML block for the page (surround it with blank lines).

    The field is converted with the `markdown` library, sanitized with nh3 and wrapped in a
    ``<div>``, so that MkDocs passes it through instead of reading its text as Markdown again.
    """
    body = markdown_html(text)
    return Escaped("\n".join(part for part in (_BLOCK_OPEN, body, _BLOCK_CLOSE) if part))


# --- link destinations --------------------------------------------------------------------

_PAGE_PATH = re.compile(
    r"^(?:\.\./)*(?:[a-z0-9][a-z0-9-]*/)*(?:[a-z0-9][a-z0-9-]*|index)\.(?:md|csv|json|xml)"
    r"(?:\?[a-z]+=[A-Za-z0-9%._~-]+)?$")
_LINKABLE_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
_URL_SAFE = "-._~:/?#@!$&*+,;=%"


def link_target(target: str) -> Escaped:
    """A link destination for Markdown: a generated page's relative path or an http(s) URL.

    Relative paths must look like ``x.md``, ``../cases/x.md``, ``cases/x.md`` (from the home
    page), ``../index.md`` or ``../../regions/a-sheng/b-shi.md`` (a region page is a folder per
    level; ids, slugs and folders are lowercase ASCII), optionally with one percent-encoded
    filter parameter (``../archive/cases-2024.md?topic=wage-arrears``), or name a generated
    download the same way (``cases.csv``, ``../feeds/atom.xml``).
    URLs are percent-encoded where Markdown would read a character as syntax (parentheses,
    angle brackets, quotes, spaces, non-ASCII). Anything else raises `ValueError`.
    """
    if _PAGE_PATH.match(target):
        return Escaped(target)
    if _LINKABLE_URL.match(target):
        return Escaped(quote(target, safe=_URL_SAFE))
    raise ValueError(f"not a page path or web address: {target!r}")
