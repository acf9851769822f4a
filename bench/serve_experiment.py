"""Experiment: the proposed fast `mkdocs serve` rebuild, as a stand-in hook (not the site's hook).

The site's hook (fazhi/mkdocs_hook.py) hands MkDocs every generated page as an in-memory
file; MkDocs counts those as modified on every rebuild, so `mkdocs serve --dirty` rebuilds
all of them, and the hook also reruns Pagefind. This hook shows the cheapest change that
meets the target (an edited record's page served updated within 3 s at 1,000 cases):

1. generated pages are mirrored to a folder on disk, rewritten only when their text changed,
   and given to MkDocs as ordinary files, so ``mkdocs serve --dirty`` rebuilds only the pages
   whose text changed (the edited record's page, its campaign, the lists, the statistics);
2. Pagefind does not run during `serve` (the preview's search can stay as first built);
3. the text escaping and Markdown conversion of `fazhi.text` are replaced by equivalent faster
   versions (`faster_text`), and converted Markdown fields are memoised by their text.

State that must outlive a rebuild (the mirror, the memo, "serving") lives in `_STATE`, a
module registered in `sys.modules`: MkDocs re-executes hook files on every rebuild, but not
imported modules. The real hook would keep it in a `fazhi` module.

Try it (the project is one made by ``python -m bench.run``)::

    sed "s#fazhi/mkdocs_hook.py#$REPO/bench/serve_experiment.py#" mkdocs.yml > mkdocs-exp.yml
    mkdocs serve --dirty --no-strict -f mkdocs-exp.yml

``--no-strict`` because MkDocs warns that a dirty build may leave navigation stale.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from fazhi import text
from fazhi.pipeline import generate
from fazhi.search import build_index

_STATE: dict[str, Any] = sys.modules.setdefault(
    "_fazhi_serve_experiment", types.ModuleType("_fazhi_serve_experiment")).__dict__


# --- 3. equivalent, faster fazhi.text functions ------------------------------------------------

# Control characters that are not white space (category Cc), surrogates (Cs), U+FFFE/U+FFFF:
# what `normalize_text` drops character by character.
_DROP = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# What `_source_text` drops: Cc except tab and line feed, and Cs.
_SOURCE_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ENTITY_TABLE = str.maketrans(text._ENTITIES)
_NEUTRAL_TABLE = str.maketrans(text._HTML_NEUTRAL)
_CONVERTER = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", "toc"],
                               extension_configs={"toc": {"baselevel": 3}}, output_format="html")


def normalize_text(value: object) -> str:
    """`fazhi.text.normalize_text` with one regex and `str.split` instead of a loop per character."""
    return " ".join(_DROP.sub("", str(value)).split())


def escape_text(value: object) -> text.Escaped:
    """`fazhi.text.escape_text` with `str.translate` instead of a loop per character."""
    if isinstance(value, text.Escaped):
        return value
    if value is None:
        raise TypeError("escape_text() got None; decide what a missing value shows")
    plain = normalize_text(value)
    escaped = plain.translate(_ENTITY_TABLE)
    if plain.startswith("-"):
        escaped = "&#45;" + escaped[1:]
    elif leading := text._LEADING_NUMBER_DOT.match(plain):
        dot = leading.end() - 1  # the digits before it are never escaped: same offsets
        escaped = plain[:dot] + f"&#{ord(plain[dot])};" + escaped[dot + 1:]
    return text.Escaped(escaped)


@functools.lru_cache(maxsize=100_000)
def markdown_html(source: str) -> str:
    """`fazhi.text.markdown_html` reusing one converter (``reset()``), memoised by text."""
    cleaned = _SOURCE_DROP.sub("", source.replace("\r\n", "\n").replace("\r", "\n"))
    converted = _CONVERTER.reset().convert(cleaned)
    return text.sanitize_html(converted).strip().translate(_NEUTRAL_TABLE)


def faster_text() -> None:
    """Swap the faster functions into `fazhi.text` (and the names `fazhi.render` imported)."""
    from fazhi import render

    text.normalize_text = normalize_text
    text.escape_text = escape_text
    text.markdown_html = markdown_html
    render.escape_text = escape_text  # type: ignore[attr-defined]


if os.environ.get("FAZHI_EXPERIMENT_TEXT", "1") == "1" and not _STATE.get("faster_text"):
    faster_text()  # once per process, so the memo survives rebuilds
    _STATE["faster_text"] = True


# --- the hook ----------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this process serves (called once, before the first build only)."""
    _STATE["serving"] = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """As the site's hook: no repository address, no edit links."""
    if not config.repo_url:
        config.repo_url = None
        config.edit_uri = None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Generated pages as files on disk, rewritten only when their text changed."""
    root = Path(config.config_file_path).parent
    outputs = generate(root / "data", site_url=config.site_url or "http://127.0.0.1:8000/")
    mirror: Path = _STATE.setdefault("mirror", Path(tempfile.mkdtemp(prefix="fazhi-pages-")))
    written: dict[str, str] = _STATE.setdefault("written", {})
    for output in outputs:
        if written.get(output.src_uri) != output.content:
            target = mirror / output.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(output.content, encoding="utf-8")
            written[output.src_uri] = output.content
        stale = files.get_file_from_path(output.src_uri)
        if stale is not None:
            files.remove(stale)
        file = File(output.src_uri, str(mirror), config.site_dir, config.use_directory_urls)
        if output.source:
            file.edit_uri = os.path.relpath(root / output.source, config.docs_dir).replace(os.sep, "/")
        files.append(file)
    return files


def on_post_build(config: MkDocsConfig) -> None:
    """Pagefind for `mkdocs build` only."""
    if not _STATE.get("serving"):
        build_index(Path(config.site_dir))
