"""The laws index: ``laws/index.md`` and ``laws/<slug>.md``, the public counterpart of a case
library's related-statute index.

Each registered law (``data/laws.yaml``) gets a page: the articles the published cases cite,
in article order, each with the cases citing it (newest first), then the cases that cite the
law as a whole. The index lists every law with how many cases and articles cite it. Short
names in the records were resolved to the registry's full name by the checker, so
《民事诉讼法》 and 《中华人民共和国民事诉讼法》 are one law here.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass

from fazhi.dataset import CaseEntry
from fazhi.models import Law
from fazhi.render import address
from fazhi.render.address import Address
from fazhi.render.collection import CASES, Collection, case_key
from fazhi.render.kit import Item, RenderedPage, render_template
from fazhi.stats import Stats
from fazhi.values import parse_chinese_number

__all__ = ["LawPages", "article_key"]

_NUMBERS = re.compile(r"第([零〇一二三四五六七八九十百千]+)")


@dataclass(frozen=True)
class ArticleGroup:
    """An article (or the law as a whole when `article` is empty) and the cases citing it."""

    article: str
    cases: list[Item]


def article_key(article: str) -> tuple[int, ...]:
    """Sort key of 第一百零九条第二款: its numbers in order (109, 2)."""
    numbers = []
    for numeral in _NUMBERS.findall(article):
        value = parse_chinese_number(numeral.replace("〇", "零"))
        numbers.append(int(value) if value is not None else 10**6)
    return tuple(numbers)


class LawPages:
    """The laws index and one page per registered law."""

    def __init__(self, stats: Stats) -> None:
        self.order = stats.order
        self.citing: dict[str, list[CaseEntry]] = {law.slug: [] for law in self.order.laws}
        for case in self.order.cases:  # newest first
            if not case.citations:  # most cases cite nothing: skip the work for them
                continue
            for slug in dict.fromkeys(citation.law.slug for citation in case.citations):
                self.citing.setdefault(slug, []).append(case)

    def _items(self, cases: list[CaseEntry], here: Address) -> list[Item]:
        return Collection(CASES, cases, archived=False).items(here, CASES.where)

    def _groups(self, law: Law, here: Address) -> list[ArticleGroup]:
        """The cited articles in article order, then the citations of the whole law."""
        by_article: dict[str, list[CaseEntry]] = {}
        for case in self.citing.get(law.slug, []):
            for citation in case.citations:
                if citation.law.slug != law.slug:
                    continue
                for article in citation.articles or ("",):
                    cases = by_article.setdefault(article, [])
                    if case not in cases:
                        cases.append(case)
        ordered = sorted((a for a in by_article if a), key=article_key)
        if "" in by_article:
            ordered.append("")
        return [ArticleGroup(article, self._items(by_article[article], here)) for article in ordered]

    def law_page(self, law: Law) -> RenderedPage:
        """``laws/<slug>.md``: the law's cited articles and the cases citing each."""
        here = address.law(law)
        cases = self.citing.get(law.slug, [])
        markdown = render_template(
            "law.md.j2",
            title=f"《{law.name}》",
            crumbs=address.crumbs(here, address.section_index("laws")),
            current=here.text,
            description=f"引用《{law.name}》的典型案例，按条文排列。",
            law=law,
            groups=self._groups(law, here),
            total=len(cases),
            index=address.section_index("laws").link(here, "全部法律法规"),
        )
        return RenderedPage(here.path, markdown, None)

    def law_reads(self, law: Law) -> tuple[Hashable, ...]:
        """What `law_page` shows beyond the registries: the cases citing the law, newest first."""
        return tuple(case_key(case.id) for case in self.citing.get(law.slug, []))

    def _notes(self) -> list[str]:
        """How many cases and articles cite each law, in registry order, as the index writes it."""
        notes = []
        for law in self.order.laws:
            cases = self.citing.get(law.slug, [])
            articles = {a for case in cases for c in case.citations if c.law.slug == law.slug for a in c.articles}
            notes.append(f"案例{len(cases)}件，条文{len(articles)}条" if cases else "暂无已发布案例引用")
        return notes

    def laws_index_reads(self) -> tuple[Hashable, ...]:
        """What `laws_index` shows beyond the registries: each law's counts."""
        return tuple(self._notes())

    def laws_index(self) -> RenderedPage:
        """``laws/index.md``: every registered law with how many cases and articles cite it."""
        here = address.section_index("laws")
        rows = [Item(address.law(law).link(here), note)
                for law, note in zip(self.order.laws, self._notes(), strict=True)]
        markdown = render_template(
            "laws_index.md.j2",
            title=here.text,
            description="典型案例引用的法律、法规和司法解释，每部列出被引用的条文和引用它的案例。",
            rows=rows,
            cited=sum(1 for law in self.order.laws if self.citing.get(law.slug)),
        )
        return RenderedPage(here.path, markdown, None)
