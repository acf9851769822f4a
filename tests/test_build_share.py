"""`mkdocs build` on several cores (`fazhi.mkdocs_hook._Share`): forked build processes each
write a share of the pages; the site is byte for byte the one-process site, and the warnings
and anchor checks of every process still count."""

from __future__ import annotations

import filecmp
from pathlib import Path

import yaml

from tests.conftest import SAMPLE_DATA, SAMPLE_SITE_URL, copy_project, mkdocs_build

_ENV = {"FAZHI_SITE_URL": SAMPLE_SITE_URL, "FAZHI_REPO_URL": None, "FAZHI_EDIT_URI": None,
        "SOURCE_DATE_EPOCH": "1700000000"}


def _differences(left: Path, right: Path) -> list[str]:
    """Files that differ or exist on one side only, under two folders."""
    found: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in compared.left_only + compared.right_only)
        _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in compared.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


def test_three_processes_write_the_site_one_process_writes(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    one, three = tmp_path / "one", tmp_path / "three"
    for site, processes in ((one, "1"), (three, "3")):
        result = mkdocs_build(root, site, FAZHI_DATA=str(SAMPLE_DATA), FAZHI_BUILD_PROCESSES=processes, **_ENV)
        assert result.returncode == 0, result.stderr
        assert "Page skipped" not in result.stderr
    assert len(list(one.rglob("*.html"))) > 50
    assert _differences(one, three) == []


def _project_with_pages(tmp_path: Path, pages: dict[str, str], **config: object) -> Path:
    """A copy of the project with hand-written pages added (titled in their front matter, so
    they are shared out like generated pages) and `config` merged into mkdocs.yml."""
    project = copy_project(tmp_path / "project")
    for name, text in pages.items():
        (project / "content" / name).write_text(text, encoding="utf-8")
    settings = (project / "mkdocs.yml").read_text(encoding="utf-8")
    extra = yaml.safe_dump(config, allow_unicode=True) if config else ""
    names = "\n".join(f"  {name}" for name in pages)
    settings = settings.replace("not_in_nav: |\n", f"not_in_nav: |\n{names}\n", 1)
    (project / "mkdocs.yml").write_text(settings + "\n" + extra, encoding="utf-8")
    return project


def test_a_warning_in_any_process_fails_a_strict_build(tmp_path: Path) -> None:
    # Two neighbouring titled pages go to different processes; each has a broken link.
    project = _project_with_pages(tmp_path, {
        "zz-a.md": "---\ntitle: 甲\n---\n\n[断链](no-such-a.md)\n",
        "zz-b.md": "---\ntitle: 乙\n---\n\n[断链](no-such-b.md)\n",
    })
    result = mkdocs_build(project, tmp_path / "site", FAZHI_BUILD_PROCESSES="2", **_ENV)
    assert result.returncode != 0
    assert "no-such-a.md" in result.stderr and "no-such-b.md" in result.stderr
    assert "并行构建进程报告了 1 个警告" in result.stderr


def test_links_to_anchors_are_checked_against_pages_written_elsewhere(tmp_path: Path) -> None:
    project = _project_with_pages(tmp_path, {
        "zz-a.md": "---\ntitle: 甲\n---\n\n[有](zz-b.md#there) [无](zz-b.md#missing)\n",
        "zz-b.md": "---\ntitle: 乙\n---\n\n## 小节 {#there}\n\n正文\n",
    }, validation={"anchors": "warn"})
    result = mkdocs_build(project, tmp_path / "site", FAZHI_BUILD_PROCESSES="2", **_ENV)
    assert result.returncode != 0
    assert "'#missing'" in result.stderr
    assert "'#there'" not in result.stderr
