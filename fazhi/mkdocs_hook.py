"""The MkDocs glue: the only module that imports MkDocs.

Declared under `hooks:` in mkdocs.yml. It runs the pure pipeline and hands its pages to
MkDocs as in-memory files; `watch: [data]` in mkdocs.yml makes `mkdocs serve` rebuild
when a record changes. Invalid data fails the build with the checker's own messages.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from fazhi.pipeline import generate
from fazhi.problems import DataError


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, replacing stale copies written by `build_stats.py build`."""
    data_dir = Path(config.config_file_path).parent / "data"
    try:
        pages = generate(data_dir)
    except DataError as error:
        raise PluginError("数据有问题，网站没有生成：\n" + error.report()) from None
    for page in pages:
        stale = files.get_file_from_path(page.src_uri)
        if stale is not None:
            files.remove(stale)
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    return files
