"""Where every generated file lives: one `Address` per page or download.

Like MkDocs' own `File`, an address owns its path under the docs directory (``src_uri``), the
URL MkDocs serves it at (``x/<id>.md`` at ``x/<id>/``; other files as they are) and the text a
link to it shows. Every renderer takes its paths and links from here; nothing else assembles
a page path from strings.

Region pages are named by the pinyin of the region's path, one folder per level:
``regions/neimenggu-zizhiqu/hulunbeier-shi/hailaer-qu.md`` (served at
``/regions/neimenggu-zizhiqu/hulunbeier-shi/hailaer-qu/``). Each level is the pinyin of its
proper name, without tones, run together, then a hyphen and the pinyin of its administrative
suffix (省, 市, 自治区, 县, 旗 …): ``hulunbeier-shi``, ``guanlingbuyizumiaozu-zizhixian``.
The address depends only on the region's path, so it stays the same across builds and data
changes, with one exception: siblings whose names read the same (山西省 and 陕西省 are both
``shanxi-sheng``) are told apart in the order of their names (Unicode code points): the first
keeps the plain name, the second gets ``-2``, the third ``-3`` (`RegionAddresses`). A name
that gives no pinyin at all falls back to ``r-`` and 10 hex digits of the SHA-1 of its path.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from pypinyin import lazy_pinyin

from fazhi.dataset import CampaignEntry, CaseEntry
from fazhi.models import ADDRESS_PART, Agency, Law, Topic
from fazhi.render.kit import Link, served_url

__all__ = [
    "DATA_INDEX", "ERRORS", "FEED", "GENERATED_ROOTS", "HOME", "PREVIEW_PROBLEMS", "PREVIEW_STATUS", "REGIONS",
    "SITEMAP_STUB", "STATS",
    "Address", "RegionAddresses", "agency", "archive", "campaign", "case", "crumbs", "download", "law",
    "region_slug", "relative_path", "section_index", "topic", "year_in_list",
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
        return served_url(self.path)

    def absolute(self, base: str) -> str:
        """The full address under `base`, the site's address ending with ``/``."""
        return base + self.url

    def href(self, here: Address) -> str:
        """The relative link to this file's ``.md`` from the page at `here`."""
        return relative_path(self.path, here.folder)

    def link(self, here: Address, text: str | None = None, query: str = "") -> Link:
        """A link from `here`, showing `text` (else the page's own link text)."""
        return Link(self.text if text is None else text, self.href(here) + query)


_ODD_PARTS = frozenset(("", ".", ".."))


def relative_path(path: str, folder: str) -> str:
    """`posixpath.relpath(path, folder or ".")` for the paths of generated files, without
    its two calls of `os.getcwd`: a table of a thousand rows makes several thousand links.

    Exact for relative paths whose parts are names (no ``.``, ``..`` or empty parts), which
    every `Address` has; any other path goes to `posixpath.relpath`.
    """
    parts = path.split("/")
    base = folder.split("/") if folder else []
    if not _ODD_PARTS.isdisjoint(parts) or not _ODD_PARTS.isdisjoint(base):
        return posixpath.relpath(path, folder or ".")
    common = 0
    for mine, theirs in zip(base, parts, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


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
#: The record format reference, generated from the models (`fazhi.render.reference`).
FORMAT = Address("guide/format.md", "记录格式说明")
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


def crumbs(here: Address, *trail: Address | Link) -> list[Link]:
    """The breadcrumbs of the page at `here`: 首页, then `trail` (addresses, shown by their
    link text, or links already made from `here`), as links from `here`. The page itself is
    not among them: the template writes its title last, unlinked."""
    return [HOME.link(here), *(step if isinstance(step, Link) else step.link(here) for step in trail)]


def year_in_list(section: str, year: int, archived: bool, here: Address) -> Link:
    """A link from `here` to one year of the campaign or case list, showing 2024年: the year's
    archive page when the list is `archived`, else the list filtered to the year."""
    if archived:
        return archive(section, year).link(here)
    return section_index(section).link(here, f"{year}年", filter_query("year", str(year)))


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


#: Administrative suffixes of region names, longest first: ``-<pinyin>`` in a page name.
_REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "矿区",
                    "省", "市", "区", "县", "旗", "盟", "州")


@functools.lru_cache(maxsize=1 << 14)  # every rebuild of the preview names the same regions
def _pinyin(text: str) -> str:
    """`text` in toneless pinyin run together, lowercase ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(text)).lower())


def _level_slug(name: str, path: str) -> str:
    """One level of a region's page path: ``hulunbeier-shi`` for 呼伦贝尔市."""
    suffix = next((s for s in _REGION_SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    stem = _pinyin(name.removesuffix(suffix) if suffix else name)
    slug = f"{stem}-{_pinyin(suffix)}" if stem and suffix else stem
    if not _SEGMENT.fullmatch(slug):
        return "r-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]
    return slug


def _levels(path: str) -> list[str]:
    return [part.strip() for part in path.split("/") if part.strip()]


def region_slug(path: str) -> str:
    """The page path of the region `path` (``内蒙古自治区/呼伦贝尔市``) under ``regions/``,
    before same-pinyin siblings are told apart: ``neimenggu-zizhiqu/hulunbeier-shi``. It is the
    region's page path whenever no sibling of it or of a region above it reads the same."""
    levels = _levels(path)
    return "/".join(_level_slug(name, "/".join(levels[: n + 1])) for n, name in enumerate(levels))


class RegionAddresses:
    """The page of every region of a data set, siblings that read the same told apart.

    Built from all the region paths at once (any order; the regions above each are added), so
    that two siblings with the same pinyin get ``-2``, ``-3`` … in the order of their names.
    """

    def __init__(self, paths: Iterable[str]) -> None:
        every: set[tuple[str, ...]] = set()
        for path in paths:
            levels = tuple(_levels(path))
            every.update(levels[: n + 1] for n in range(len(levels)))
        by_parent: dict[tuple[str, ...], list[str]] = {}
        for levels in every:
            by_parent.setdefault(levels[:-1], []).append(levels[-1])
        self._level: dict[tuple[str, ...], str] = {}
        for parent, names in by_parent.items():
            taken: set[str] = set()
            for name in sorted(names):
                base = _level_slug(name, "/".join((*parent, name)))
                slug, number = base, 1
                while slug in taken:
                    number += 1
                    slug = f"{base}-{number}"
                taken.add(slug)
                self._level[(*parent, name)] = slug

    def slug(self, path: str) -> str:
        """The region's page path under ``regions/`` (raises `KeyError` for an unknown region)."""
        levels = tuple(_levels(path))
        return "/".join(self._level[levels[: n + 1]] for n in range(len(levels)))

    def region(self, path: str, name: str) -> Address:
        """``regions/<slug>.md`` for the region `path` (``贵州省/安顺市``), linked by `name`."""
        return Address(f"regions/{self.slug(path)}.md", name)


def archive(section: str, year: int) -> Address:
    """``archive/<section>-<year>.md``: one year of a long campaign or case list."""
    return Address(f"{_ARCHIVE}/{section}-{year}.md", f"{year}年")


def download(name: str, extension: str) -> Address:
    """``data/<name>.<extension>``: a data download, served as is."""
    return Address(f"{DATA_INDEX.folder}/{name}.{extension}", f"{name}.{extension}")
