"""The staff guide: the hand-written page and the error table generated from the catalogue."""

from __future__ import annotations

import re

from fazhi.pipeline import generate
from fazhi.problems import CATALOGUE
from fazhi.render.address import ERRORS
from fazhi.render.guide import RULES, describe_template, render_errors_page
from tests.conftest import ROOT, DataDir

ERRORS_PAGE = ERRORS.path


def test_every_catalogue_message_has_a_row() -> None:
    page = render_errors_page()
    assert page.src_uri == ERRORS_PAGE == "guide/errors.md"
    rows = [line for line in page.content.splitlines() if line.startswith("| `")]
    assert [re.match(r"\| `([a-z_.]+)`", row).group(1) for row in rows] == sorted(  # type: ignore[union-attr]
        CATALOGUE, key=lambda code: CATALOGUE[code].rule)
    encoding = next(row for row in rows if row.startswith("| `file.encoding`"))
    assert "| 1 |" in encoding and "用 Windows 记事本另存的 GBK 文件" in encoding


def test_the_rules_are_listed_with_their_count() -> None:
    content = render_errors_page().content
    assert "## 九条规则" in content and len(RULES) == 9
    assert "8. 任何记录（不论草稿、待审核还是已发布）里有个人信息" in content
    assert content.count("\n9. 不安全的写法：YAML 锚点、引用、合并键和标签") == 1


def test_placeholders_are_named_in_chinese() -> None:
    assert describe_template("缺少必填字段“{name}”") == "缺少必填字段“〈名称〉”"
    assert describe_template("发现“{role}”后的姓名“{match}”未匿名") == "发现“〈身份词〉”后的姓名“〈发现的内容〉”未匿名"
    content = render_errors_page().content
    assert "{" not in content.split("---", 2)[2]
    assert "检查器按具体情况" not in content and "具体内容" not in content


def test_cells_are_escaped() -> None:
    content = render_errors_page().content
    table = [line for line in content.splitlines() if line.startswith("| `")]
    for row in table:
        cells = row.strip("|").split(" | ")
        assert len(cells) == 5, row  # no cell text opened a new column
    assert "<" not in "".join(table)


def test_the_pipeline_generates_the_page(data_dir: DataDir) -> None:
    pages = {page.src_uri: page for page in generate(data_dir())}
    assert ERRORS_PAGE in pages
    assert pages[ERRORS_PAGE].source is None


def test_hand_written_guide_links_the_table_and_covers_the_rules() -> None:
    guide = (ROOT / "content" / "guide.md").read_text(encoding="utf-8")
    assert "](guide/errors.md)" in guide
    for needle in ("python build_stats.py new case", "python build_stats.py new campaign",
                   "张某", "张建国", "某公司", "身份证号", "银行卡号", "住址", "4865元",
                   "101.2万元", "8万余元", "近30万元", "约5万元", "draft", "review", "published",
                   "privacy_reviewed", "match:", "reason:", "redhat", "Ctrl+空格"):
        assert needle.lower() in guide.lower(), needle
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- 填报指南: guide.md" in mkdocs
