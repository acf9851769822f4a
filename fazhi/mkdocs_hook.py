"""The MkDocs glue: the only module that imports MkDocs.

Declared under `hooks:` in mkdocs.yml. It runs the pure pipeline and hands its output to
MkDocs as in-memory files; `watch: [data]` in mkdocs.yml makes `mkdocs serve` rebuild
when a record changes. Invalid data fails the build with the checker's own messages.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from fazhi.pipeline import generate
from fazhi.problems import DataError


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated files, replacing stale copies written by `build_stats.py build`."""
    root = Path(config.config_file_path).parent
    try:
        outputs = generate(root / "data")
    except DataError as error:
        raise PluginError("数据有问题，网站没有生成：\n" + error.report()) from None
    for output in outputs:
        stale = files.get_file_from_path(output.src_uri)
        if stale is not None:
            files.remove(stale)
        file = File.generated(config, output.src_uri, content=output.content)
        if output.source:  # the page's "edit" link opens its YAML record
            file.edit_uri = os.path.relpath(root / output.source, config.docs_dir).replace(os.sep, "/")
        files.append(file)
    return files
