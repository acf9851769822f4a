"""The MkDocs glue: the only module that imports MkDocs.

Declared under `hooks:` in mkdocs.yml. It runs the pure pipeline and hands its output to
MkDocs as in-memory files; `watch: [data]` in mkdocs.yml makes `mkdocs serve` rebuild
when a record changes. Invalid data fails the build with the checker's own messages.
After the build, Pagefind indexes the written site for search (`fazhi.search`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from fazhi.pipeline import generate, is_generated_path
from fazhi.problems import DataError
from fazhi.search import SearchIndexError, build_index

log = logging.getLogger("mkdocs.plugins.fazhi")

# True under `mkdocs serve`: the local preview also shows drafts, marked as such, so staff
# see a record made with `build_stats.py new` before publishing it. `mkdocs build` (and so
# `make site` and CI) never does.
_preview = False


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this MkDocs process serves a local preview."""
    global _preview
    _preview = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """No repository address (FAZHI_REPO_URL unset): no edit links, rather than broken ones."""
    if not config.repo_url:
        config.repo_url = None
        config.edit_uri = None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated files, dropping any copies `build_stats.py build` left on disk."""
    root = Path(config.config_file_path).parent
    try:
        outputs = generate(root / "data", site_url=config.site_url or "http://127.0.0.1:8000/",
                           drafts=_preview)
    except DataError as error:
        raise PluginError("数据有问题，网站没有生成：\n" + error.report()) from None
    for stale in [f for f in files if is_generated_path(f.src_uri)]:
        files.remove(stale)  # copies written by `build_stats.py build`, possibly outdated
    for output in outputs:
        file = File.generated(config, output.src_uri, content=output.content)
        if output.source:  # the page's "edit" link opens its YAML record
            file.edit_uri = os.path.relpath(root / output.source, config.docs_dir).replace(os.sep, "/")
        files.append(file)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Index the written site with Pagefind into ``<site_dir>/pagefind/``."""
    try:
        report = build_index(Path(config.site_dir))
    except SearchIndexError as error:
        raise PluginError(str(error)) from None
    log.info("搜索索引：%d 个页面，%d 个文件，%.1f KB", report.pages, report.files, report.bytes / 1024)
