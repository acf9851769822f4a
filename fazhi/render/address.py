"""Where every generated file lives: one `Address` per page or download.

Like MkDocs' own `File`, an address owns its path under the docs directory (``src_uri``), the
URL MkDocs serves it at (``x/<id>.md`` at ``x/<id>/``; other files as they are) and the text a
link to it shows. Every renderer takes its paths and links from here; nothing else assembles
a page path from strings.

Region pages are named ``r-`` and the first 10 hex digits of the SHA-1 of the region path as
written (``贵州省/安顺市``). No pinyin table is available, the hash is stable across builds and
data changes, and it is plain ASCII for Markdown links.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from fazhi.dataset import CampaignEntry, CaseEntry
from fazhi.models import ADDRESS_PART, Agency, Law, Topic
from fazhi.render.kit import Link

__all__ = [
    "DATA_INDEX", "ERRORS", "FEED", "GENERATED_ROOTS", "HOME", "PREVIEW_PROBLEMS", "PREVIEW_STATUS", "REGIONS",
    "SITEMAP_STUB", "STATS",
    "Address", "agency", "archive", "campaign", "case", "download", "law", "region", "region_slug",
    "section_index", "topic",
]

_SEGMENT = re.compile(ADDRESS_PART)


@dataclass(frozen=True)
class Address:
    """A generated file: its path under the docs directory and the text of a link to it."""

    path: str
    """POSIX path under the docs directory, e.g. ``cases/2024-hlr-labor-fee.md``."""
    text: str = ""
    """What a link to the page shows (raw data, escaped when written)."""

    @property
    def folder(self) -> str:
        """The directory the file is in ("" for the docs root)."""
        return posixpath.dirname(self.path)

    @property
    def url(self) -> str:
        """The address MkDocs serves the file at, relative to the site root (directory URLs)."""
        if not self.path.endswith(".md"):
            return self.path
        stem = self.path.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("index") if stem.endswith("/index") else f"{stem}/"

    def absolute(self, base: str) -> str:
        """The full address under `base`, the site's address ending with ``/``."""
        return base + self.url

    def href(self, here: Address) -> str:
        """The relative link to this file's ``.md`` from the page at `here`."""
        return posixpath.relpath(self.path, here.folder or ".")

    def link(self, here: Address, text: str | None = None, query: str = "") -> Link:
        """A link from `here`, showing `text` (else the page's own link text)."""
        return Link(self.text if text is None else text, self.href(here) + query)


def _segment(value: str) -> str:
    """An id or slug used in a page path; refuse anything that is not a plain ASCII name."""
    if not _SEGMENT.fullmatch(value):
        raise ValueError(f"cannot use {value!r} as a page name (ids and slugs are "
                         "lowercase ASCII letters, digits and hyphens, and not 'index')")
    return value


def filter_query(name: str, value: str) -> str:
    """``?name=value`` for a list page's filters, which read it from the address."""
    return f"?{name}={quote(value, safe='')}"


# --- the fixed pages and files ------------------------------------------------------------

HOME = Address("index.md", "首页")
STATS = Address("stats/index.md", "数据")
REGIONS = Address("regions/index.md", "地区")
DATA_INDEX = Address("data/index.md", "数据下载")
ERRORS = Address("guide/errors.md", "检查报错一览")
#: The local preview's list of data problems (`make serve` only, never a published build).
PREVIEW_PROBLEMS = Address("guide/preview-problems.md", "预览：数据里的问题")
#: What the preview's banner script reads after each rebuild (`make serve` only).
PREVIEW_STATUS = Address("guide/preview-status.json")
#: The feed lives in a folder of its own because Material's script fetches ``sitemap.xml``
#: beside every ``<link rel="alternate">`` on every page load (for language alternates):
#: beside a root ``feed.xml`` that is the whole site map (215 KB at 1,658 pages).
#: `SITEMAP_STUB` is where the feed module answers that request with a few bytes.
FEED = Address("feeds/atom.xml", "atom.xml")
SITEMAP_STUB = Address("feeds/sitemap.xml")

_SECTION_TITLES = {"campaigns": "专项行动", "cases": "典型案例", "agencies": "机关", "topics": "专题",
                   "laws": "法律法规"}
_ARCHIVE = "archive"

#: Where generated files live under the docs folder: the one list of them in Python (the
#: ``.gitignore`` and ``mkdocs.yml`` name them too; tests/test_layout.py compares). Nothing
#: hand-written may live there: `build_stats.py build` clears these before writing, and the
#: MkDocs hook drops any file there that the current data did not generate (a stale copy of
#: an unpublished record).
GENERATED_ROOTS: tuple[str, ...] = (HOME.path, *sorted({
    *_SECTION_TITLES, _ARCHIVE, DATA_INDEX.folder, STATS.folder, REGIONS.folder, ERRORS.folder, FEED.folder,
}))


def section_index(section: str) -> Address:
    """``<section>/index.md``: the list of all campaigns, cases, agencies, topics or laws."""
    return Address(f"{section}/index.md", _SECTION_TITLES[section])


def campaign(entry: CampaignEntry) -> Address:
    """``campaigns/<id>.md``, linked by the campaign's title."""
    return Address(f"campaigns/{_segment(entry.id)}.md", entry.model.title)


def case(entry: CaseEntry) -> Address:
    """``cases/<id>.md``, linked by the case's title."""
    return Address(f"cases/{_segment(entry.id)}.md", entry.model.title)


def agency(found: Agency) -> Address:
    """``agencies/<slug>.md``, linked by the agency's name."""
    return Address(f"agencies/{_segment(found.slug)}.md", found.name)


def topic(found: Topic) -> Address:
    """``topics/<slug>.md``, linked by the topic's name."""
    return Address(f"topics/{_segment(found.slug)}.md", found.name)


def law(found: Law) -> Address:
    """``laws/<slug>.md``, linked by the law's full name in 《》."""
    return Address(f"laws/{_segment(found.slug)}.md", f"《{found.name}》")


def region_slug(path: str) -> str:
    """The page name of a region: ``r-`` + the first 10 hex digits of SHA-1 of its path."""
    return "r-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


def region(path: str, name: str) -> Address:
    """``regions/<slug>.md`` for the region `path` (``贵州省/安顺市``), linked by `name`."""
    return Address(f"regions/{region_slug(path)}.md", name)


def archive(section: str, year: int) -> Address:
    """``archive/<section>-<year>.md``: one year of a long campaign or case list."""
    return Address(f"{_ARCHIVE}/{section}-{year}.md", f"{year}年")


def download(name: str, extension: str) -> Address:
    """``data/<name>.<extension>``: a data download, served as is."""
    return Address(f"{DATA_INDEX.folder}/{name}.{extension}", f"{name}.{extension}")
