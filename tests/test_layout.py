"""The generated part of the docs folder, named in three places that cannot import Python.

`fazhi.render.address.GENERATED_ROOTS` is the list; ``.gitignore`` (what git must not track)
and ``mkdocs.yml`` (``nav`` and ``not_in_nav``) name the same folders. These tests compare
them, and check with git itself that nothing under ``data/`` is ignored.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pathspec.gitignore
import pytest
import yaml

from fazhi.pipeline import generate, is_generated_path
from fazhi.render import address
from fazhi.render.address import GENERATED_ROOTS
from tests.conftest import ROOT, SAMPLE_DATA

CONTENT = ROOT / "content"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: its ``!ENV`` values are not needed here."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def _mkdocs_config() -> dict[str, Any]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)


def _nav_pages(nav: list[Any]) -> list[str]:
    """Every page path in a MkDocs ``nav`` (nested sections included)."""
    pages: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


@pytest.fixture(scope="module")
def generated() -> list[str]:
    """Every file the sample data generates, with an archive page (the sample has too few cases)."""
    paths = [page.src_uri for page in generate(SAMPLE_DATA, workers=1)]
    return [*paths, address.archive("cases", 2024).path]


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty git repository with the project's .gitignore: answers as the project would.

    The project's own checkout may be absent (an unpacked archive), and in it `git check-ignore`
    says "not ignored" for every tracked file: a fresh repository with ``--no-index`` does not.
    """
    if shutil.which("git") is None:
        pytest.fail("git is needed to check the .gitignore")
    folder = tmp_path_factory.mktemp("ignore")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    return folder


def _ignored(repository: Path, paths: list[str]) -> set[str]:
    """Which of `paths` the .gitignore in `repository` ignores."""
    result = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=repository,
                            input="\n".join(paths) + "\n", capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr  # 1: none of them is ignored
    return set(result.stdout.splitlines())


def test_gitignore_names_exactly_the_generated_roots() -> None:
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    named = [line.removeprefix("/content/").rstrip("/") for line in lines if line.startswith("/content/")]
    assert sorted(named) == sorted(GENERATED_ROOTS)


def test_every_generated_file_is_ignored(repository: Path, generated: list[str]) -> None:
    paths = [f"content/{path}" for path in generated]
    assert len(paths) > 50
    assert _ignored(repository, paths) == set(paths)


def test_hand_written_content_and_all_data_are_not_ignored(repository: Path) -> None:
    hand_written = [p.relative_to(ROOT).as_posix() for p in CONTENT.rglob("*")
                    if p.is_file() and not is_generated_path(p.relative_to(CONTENT).as_posix())]
    sample = [p.relative_to(SAMPLE_DATA).as_posix() for p in SAMPLE_DATA.rglob("*") if p.is_file()]
    data = [f"data/{name}" for name in sample] + [f"tests/data/{name}" for name in sample]
    new_files = ["data/agencies.yaml", "data/topics.yaml", "data/metrics.yaml", "data/cases/x.yaml",
                 "data/campaigns/x.yaml", "data/notes.md"]  # what an agency replacing data/ adds
    assert "content/guide.md" in hand_written and "data/agencies.yaml" in data
    assert _ignored(repository, hand_written + data + new_files) == set()


def test_nav_shows_generated_section_indexes_and_hand_written_pages(generated: list[str]) -> None:
    pages = _nav_pages(_mkdocs_config()["nav"])
    assert pages
    for page in pages:
        if is_generated_path(page):
            assert page in generated, page
        else:
            assert (CONTENT / page).is_file(), page


def test_not_in_nav_covers_every_generated_page_outside_the_nav(generated: list[str]) -> None:
    config = _mkdocs_config()
    patterns = config["not_in_nav"].split()
    assert patterns
    for pattern in patterns:
        assert pattern.strip("/").split("/")[0] in GENERATED_ROOTS, pattern
    hidden = pathspec.gitignore.GitIgnoreSpec.from_lines(patterns)  # as MkDocs reads it
    in_nav = set(_nav_pages(config["nav"]))
    pages = [path for path in generated if path.endswith(".md")]
    assert len(pages) > 50
    assert [path for path in pages if path not in in_nav and not hidden.match_file(path)] == []
