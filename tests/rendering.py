"""Shared helpers for the rendering tests: render a data set, read a page as MkDocs would,
compare with a golden file, and check that a page's HTML tags are balanced."""

from __future__ import annotations

import html as html_lib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml

from fazhi.dataset import Dataset
from fazhi.render import render_pages
from fazhi.render.kit import RenderedPage
from fazhi.stats import aggregate

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FAZHI_UPDATE_GOLDEN") == "1"

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)

# A generous set of the extensions MkDocs/Material sites enable: escaping must hold in all.
SITE_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    "toc", "pymdownx.caret", "pymdownx.details", "pymdownx.mark", "pymdownx.magiclink",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tilde", "pymdownx.critic",
    "pymdownx.arithmatex", "pymdownx.smartsymbols", "pymdownx.snippets", "pymdownx.emoji",
]


def render(dataset: Dataset) -> list[RenderedPage]:
    """Every page of `dataset`, with its statistics aggregated as the pipeline does."""
    return render_pages(dataset, aggregate(dataset))


def pages_by_uri(dataset: Dataset) -> dict[str, RenderedPage]:
    """`render(dataset)` by path."""
    return {page.src_uri: page for page in render(dataset)}


def split_front_matter(page: str) -> tuple[dict[str, Any], str]:
    """The page's front matter (parsed) and its Markdown body."""
    match = _FRONT_MATTER.match(page)
    assert match, "every page starts with front matter"
    return yaml.safe_load(match.group(1)), page[match.end():]


def to_html(page: str) -> str:
    """The page's Markdown body as HTML, the way MkDocs converts it."""
    _, body = split_front_matter(page)
    return markdown.markdown(body, extensions=SITE_EXTENSIONS)


def visible_text(html: str) -> str:
    """Text a reader sees: tags dropped, entities resolved."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/`name`; FAZHI_UPDATE_GOLDEN=1 rewrites the file."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"missing {path}; run with FAZHI_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file; if the change is " \
                             "intended, run with FAZHI_UPDATE_GOLDEN=1 and review the diff"


# Elements without an end tag in HTML.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(HTMLParser):
    """Every end tag closes the innermost open element; nothing is left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <br/>, <path/>: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {('<' + self.open[-1] + '>') if self.open else 'nothing'}"
                               f" at line {self.getpos()[0]}")
            return
        self.open.pop()


def unbalanced_tags(text: str) -> list[str]:
    """What is wrong with the nesting of the HTML tags in `text` ([] when balanced)."""
    parser = _Balance()
    parser.feed(text)
    parser.close()
    return parser.errors + [f"<{tag}> is never closed" for tag in parser.open]
