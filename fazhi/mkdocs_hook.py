"""The MkDocs glue: the only module that imports MkDocs.

Declared under `hooks:` in mkdocs.yml. It runs the pure pipeline and hands its output to
MkDocs as files; `mkdocs serve` rebuilds as soon as a record file changes (`on_serve`).
Invalid data fails the build with the checker's own messages. After the build, Pagefind
indexes the written site for search (`fazhi.search`).

`make serve` runs ``mkdocs serve --dirty``. For that preview the generated pages are
mirrored to a folder on disk and rewritten only when their text changed, so MkDocs rebuilds
only those pages (the edited record's, the lists and statistics that show it), and knows the
others, whose HTML is in place, only as link targets (`_MirrorFile`); the search index is
built once. Any preview re-reads only the record files that changed, and renders
again only the pages an edit reaches, lists and statistics included: each page job says what
it reads (`fazhi.render.PageJob`, `fazhi.render.preview.RenderMemo`).
`mkdocs build` and a plain ``mkdocs serve`` rebuild every page. MkDocs keeps this module
loaded between rebuilds, so its state lives here.

`mkdocs build` (and a preview's first build) converts and writes the pages on every core
(`_Share`): once the nav is known each page is independent, so forked copies of the build
each take a share of the pages and skip the others; the output is byte for byte that of one
process.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import multiprocessing
import os
import pickle
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from fazhi.ci import source_date_epoch
from fazhi.crash import internal_error_line, leave_note, report_text, save_report
from fazhi.names import load_tagger
from fazhi.parallel import available_cores
from fazhi.pipeline import generate, is_generated_path
from fazhi.problems import DataError
from fazhi.records import RecordCache
from fazhi.render import RenderedPage
from fazhi.render.address import PREVIEW_STATUS
from fazhi.render.kit import put_back, set_aside
from fazhi.render.preview import PreviewPages, RenderMemo, status_json
from fazhi.search import SearchIndexError, build_index
from fazhi.serving import Collector, CompiledTemplates, FileChanges

log = logging.getLogger("mkdocs.plugins.fazhi")

#: The data folder to build from, absolute (`build_stats.py --data X site` sets it); by
#: default ``data/`` beside mkdocs.yml.
DATA_ENV = "FAZHI_DATA"
#: China has one time zone and no daylight saving.
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))

# True under `mkdocs serve`: the local preview also shows drafts, marked as such, so staff
# see a record made with `build_stats.py new` before publishing it. `mkdocs build` (and so
# `make site` and CI) never does.
_preview = False
# Under `mkdocs serve`: garbage collection kept out of the rebuilds (`fazhi.serving.Collector`).
_collector: Collector | None = None
# Under `mkdocs serve`: the system's file events for the data folder (see `on_serve`).
_events: watchdog.observers.api.BaseObserver | None = None
# True while no thread but the main one runs: `mkdocs build`, and the first build of `mkdocs
# serve` (its server and watchers start after it). Pages are then written on every core (`_Share`).
_may_fork = False
# True under `mkdocs serve --dirty`: rebuild only what changed (see `_Mirror`).
_incremental = False
# Under `mkdocs serve`: records read before, reused while their files are unchanged.
_records: RecordCache | None = None
# Under `mkdocs serve`: the last pages that passed the check, shown while the data has problems.
_pages: PreviewPages | None = None
# Under `mkdocs serve`: the pages of the last rebuild and what each read (the dependency map).
_memo: RenderMemo | None = None
# The HTML-ready blocks of the page being converted, by page (`on_page_markdown`).
_set_aside: dict[str, list[str]] = {}


class _MirrorFile(File):
    """A generated page's file in the incremental preview.

    While its HTML is `current` (written by an earlier build from the same text), MkDocs takes
    it for a file already in place: links to it resolve as to the page, but MkDocs neither
    makes a page of it nor checks it again on every rebuild. At 10,000 cases that spares about
    0.6 s a rebuild. The link and output paths are worked out while it is a page (`_Mirror._file`).
    """

    current = False
    markdown = True  # a page, not a download or the feed (set by `_Mirror._file`)

    def is_documentation_page(self) -> bool:
        return self.markdown and not self.current

    def copy_file(self, dirty: bool = False) -> None:
        """Copy a download or the feed; a current page's HTML is in place."""
        if not self.markdown:
            super().copy_file(dirty)


class _Mirror:
    """Generated pages as files in a private folder, each rewritten only when its text changed.

    A rewritten file is newer than its HTML, so a dirty build rebuilds it; the others keep
    their HTML, and those built by an earlier build that succeeded are handed to MkDocs as
    current files, not pages (`_MirrorFile`), except the pages of the nav, which MkDocs needs
    as pages. Pages that are no longer generated lose their HTML too.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="fazhi-preview-"))
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
        self.texts: dict[str, str] = {}
        self.outputs: dict[str, str] = {}  # src_uri -> the HTML file it was built into
        self.made: dict[str, _MirrorFile] = {}  # the files of earlier rebuilds, reused: each holds its paths
        self.where: tuple[str, bool] | None = None  # the site folder and URL style they were made for
        self.built: set[str] = set()  # pages whose HTML a build that succeeded wrote from their text
        self.theme_stamp = 0.0

    def files(self, outputs: list[RenderedPage], config: MkDocsConfig) -> list[File]:
        """MkDocs files for `outputs`, after writing the changed ones and dropping stale HTML."""
        changed = [page for page in outputs if self.texts.get(page.src_uri) != page.content]
        for page in changed:
            target = self.folder / page.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
            self.texts[page.src_uri] = page.content
            self.built.discard(page.src_uri)
        where = (config.site_dir, config.use_directory_urls)
        if where != self.where:  # a File holds its output path, worked out once
            self.made, self.where, self.built = {}, where, set()
        in_nav = set(_nav_paths(config.nav))
        files = [self.made.get(page.src_uri) or self._file(page.src_uri, config) for page in outputs]
        for file in files:
            file.page = None  # MkDocs makes a new page for a file without one; it would reuse an old one
            file.current = file.src_uri in self.built and file.src_uri not in in_nav
        current = {file.src_uri: file.abs_dest_path for file in files}
        for src_uri in self.outputs.keys() - current.keys():
            Path(self.outputs[src_uri]).unlink(missing_ok=True)
            (self.folder / src_uri).unlink(missing_ok=True)
            self.texts.pop(src_uri, None)
            self.made.pop(src_uri, None)
        self.outputs = current
        log.info("预览：%d 个生成页面有变化，只重建它们", len(changed))
        return files

    def _file(self, src_uri: str, config: MkDocsConfig) -> _MirrorFile:
        file = self.made[src_uri] = _MirrorFile(src_uri, str(self.folder), config.site_dir, config.use_directory_urls)
        file.markdown = File.is_documentation_page(file)
        file.url, file.abs_dest_path  # noqa: B018 -- worked out (and kept) while it is a page
        return file

    def finished(self, succeeded: bool) -> None:
        """After a build: what it built is current, or, when it failed, nothing is known to be."""
        self.built = set(self.outputs) if succeeded else set()

    def refresh_theme(self, config: MkDocsConfig) -> None:
        """Empty the site folder when the configuration or theme overrides changed."""
        watched = [Path(config.config_file_path)]
        if config.theme.custom_dir:
            watched.extend(p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file())
        stamp = max(path.stat().st_mtime for path in watched)
        if stamp != self.theme_stamp and self.theme_stamp:
            shutil.rmtree(config.site_dir, ignore_errors=True)
            self.built.clear()
            log.info("预览：主题或配置有变化，重建全部页面")
        self.theme_stamp = stamp


def _nav_paths(nav: Any) -> Iterator[str]:
    """The page paths the nav configuration names."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


_mirror: _Mirror | None = None


_templates = CompiledTemplates()


#: How many processes `mkdocs build` converts and writes pages in; by default every core.
PROCESSES_ENV = "FAZHI_BUILD_PROCESSES"
#: Below this many pages a process, forking costs more than it saves (unless `PROCESSES_ENV` is set).
_MIN_PAGES_PER_PROCESS = 300
#: The template of a page another process writes: empty, so MkDocs writes nothing for it here.
_SKIP_TEMPLATE = "fazhi-written-elsewhere.html"


class _Share:
    """`mkdocs build` on every core: forked copies of the build, each writing a share of the pages.

    Forked once the nav is known (`on_nav`), every process runs MkDocs' whole page loop over
    the same pages in the same order. A page whose title is in its front matter (every
    generated page) belongs to one process, in turn: the others give it empty Markdown and an
    empty template, so they neither convert it nor write it. A page whose title may come from
    its first heading is converted everywhere (every process's nav needs the title) and
    written by the first. The last page is the first process's; at it the others send what
    the first needs to check links to anchors, and how many warnings they logged, and leave
    without running the rest of the build (static files, the sitemap, the search index),
    which the first does alone.
    """

    def __init__(self, processes: int, pages: list[File]) -> None:
        self.processes = processes
        self.index = 0  # this process's number; 0 is the one MkDocs started
        self.owner = {file.src_uri: i % processes for i, file in enumerate(pages)}
        self.last = pages[-1].src_uri
        self.owner[self.last] = 0
        self.skipped: set[str] = set()
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self.pipe = -1
        self.warnings = _WarningCount()
        self.files = Files([])  # the build's files, from `on_env`

    def fork(self) -> None:
        """Start the other processes; each continues the build from here with its own number."""
        for index in range(1, self.processes):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                for _, other in self.children:
                    os.close(other)
                self.index, self.pipe, self.children = index, write, []
                logging.getLogger("mkdocs").addHandler(self.warnings)
                return
            os.close(write)
            self.children.append((pid, read))

    def take(self, page: Page) -> bool:
        """Whether this process converts `page`; a page it does not write gets the empty template."""
        owner = self.owner.get(page.file.src_uri, 0) if "title" in page.meta else 0
        if owner == self.index:
            return True
        page.meta["template"] = _SKIP_TEMPLATE
        self.skipped.add(page.file.src_uri)
        return "title" not in page.meta

    def finish(self, page: Page) -> None:
        """At the last page: the others report and leave; the first takes their reports in."""
        if page.file.src_uri != self.last:
            return
        if self.index:
            self._report_and_exit(self.files)
        failed, warnings = self._collect(self.files)
        self.children = []
        if failed:
            raise PluginError(f"{failed} 个并行构建进程出错，网站没有生成（原因见上方信息）")
        if warnings:
            log.warning("并行构建进程报告了 %d 个警告（见上方信息）", warnings)

    def stop(self) -> None:
        """After a failed build: end the other processes."""
        if self.index:
            sys.stderr.flush()
            os._exit(1)
        for pid, read in self.children:
            os.kill(pid, signal.SIGTERM)
            os.close(read)
            os.waitpid(pid, 0)
        self.children = []

    def _report_and_exit(self, files: Files) -> None:
        mine = [f.page for f in files.documentation_pages()
                if f.page is not None and f.src_uri not in self.skipped]
        report = {
            "warnings": self.warnings.count,
            "anchors": {p.file.src_uri: (p.present_anchor_ids, _links(p)) for p in mine},
        }
        with os.fdopen(self.pipe, "wb") as out:
            pickle.dump(report, out)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def _collect(self, files: Files) -> tuple[int, int]:
        failed = warnings = 0
        for pid, read in self.children:
            with os.fdopen(read, "rb") as source:
                data = source.read()
            _, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                failed += 1
                continue
            report: dict[str, Any] = pickle.loads(data)
            warnings += report["warnings"]
            for src_uri, (anchors, links) in report["anchors"].items():
                page = files.get_file_from_path(src_uri).page  # type: ignore[union-attr]
                page.present_anchor_ids = anchors
                page.links_to_anchors = {files.get_file_from_path(uri): found for uri, found in links.items()}
        return failed, warnings


def _links(page: Page) -> dict[str, dict[str, str]]:
    """A page's links to anchors of other pages, by the linked page's path (`File` does not pickle)."""
    return {file.src_uri: found for file, found in (page.links_to_anchors or {}).items()}


class _WarningCount(logging.Handler):
    """Counts the warnings a forked build process logs, for the first process to report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _share_for(files: Files) -> _Share | None:
    """A `_Share` for this build, or None when one process is enough or fork is missing."""
    named = os.environ.get(PROCESSES_ENV, "").strip()
    pages = list(files.documentation_pages())
    processes = int(named) if named.isdigit() else min(available_cores(), len(pages) // _MIN_PAGES_PER_PROCESS)
    # Only where fork is the platform's usual way to start a process (Linux): macOS makes new
    # processes by spawning, as forking a process that has loaded its system libraries is unsafe.
    if processes < 2 or multiprocessing.get_all_start_methods()[0] != "fork" or not pages:
        return None
    return _Share(processes, pages)


_share: _Share | None = None


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build, which strict mode would count as a failure."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _DropSkippedPages(logging.Filter):
    """MkDocs says "Page skipped" for each page another build process writes (`_Share`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (_share is not None and message.startswith("Page skipped: '")
                    and message.split("'", 2)[1] in _share.skipped)


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this MkDocs process serves a local preview, and how it rebuilds."""
    global _preview, _incremental, _mirror, _records, _pages, _memo, _may_fork, _collector
    _preview = command == "serve"
    _collector = Collector() if _preview else None
    _may_fork = True
    logging.getLogger("mkdocs.commands.build").addFilter(_DropSkippedPages())
    _incremental = _preview and dirty
    _records = RecordCache() if _preview else None
    _pages = PreviewPages() if _preview else None
    _memo = RenderMemo() if _preview else None
    if _incremental:
        _mirror = _Mirror()
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild as soon as a record file changes.

    MkDocs looks for changes by listing its watched folders every half second; the data
    folder is watched through the system's file events instead (inotify, FSEvents …), which
    saves that wait after each save and the listing of thousands of records. Where the
    system cannot watch it (no watches left), MkDocs' listing watches it.
    """
    global _events
    folder = str(_data_dir(Path(config.config_file_path).parent))
    events = FileChanges()
    try:
        events.schedule(watchdog.events.FileSystemEventHandler(), folder, recursive=True)
        events.unschedule_all()
    except OSError as error:
        log.info("预览：系统无法监视数据文件夹（%s），改为每半秒检查一次", error)
        server.watch(folder)
        return server
    listing, server.observer = server.observer, events
    try:
        server.watch(folder)  # MkDocs' rebuild trigger, on the event-driven observer
    finally:
        server.observer = listing
    events.start()
    _events = events
    return server


def on_shutdown() -> None:
    """Stop watching the data folder."""
    if _events is not None:
        _events.stop()
        _events.join()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """No repository address (FAZHI_REPO_URL unset): no edit links, rather than broken ones.

    Also hands the footer the day the data last changed (`config.extra.data_updated`).
    """
    if not config.repo_url:
        config.repo_url = None
        config.edit_uri = None
    if _preview:  # the banner that lists data problems on every page (fazhi.render.preview)
        config.extra_javascript.append("assets/fazhi/preview.js")
    config.extra["data_updated"] = _data_updated(_data_dir(Path(config.config_file_path).parent))
    return config


def _data_updated(data_dir: Path) -> str:
    """The day the data last changed, in Beijing time (2024年3月5日): its last commit's time,
    so that two builds of the same data say the same (`fazhi.ci.source_date_epoch`)."""
    stamp = int(source_date_epoch(data_dir)) if data_dir.is_dir() else 0
    if stamp <= 0:
        return ""
    day = datetime.datetime.fromtimestamp(stamp, _BEIJING).date()
    return f"{day.year}年{day.month}月{day.day}日"


def on_pre_build(config: MkDocsConfig) -> None:
    """In the incremental preview, start over when the theme or mkdocs.yml changed."""
    if _collector is not None:
        _collector.before_build()
    if _mirror is not None:
        _mirror.refresh_theme(config)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated files, dropping any copies `build_stats.py build` left on disk."""
    root = Path(config.config_file_path).parent
    try:
        # The preview renders in this process, whose memos of read records and converted
        # fields make a rebuild after one edit cheap; a build renders on every core.
        def make() -> list[RenderedPage]:
            return generate(_data_dir(root), site_url=config.site_url or "http://127.0.0.1:8000/",
                            drafts=_preview, workers=1 if _preview else None, cache=_records, memo=_memo)

        # The preview never stops on bad data: it keeps the last good pages and lists the problems.
        outputs = _pages.update(make) if _pages is not None else make()
        if _pages is not None and _pages.problems:  # info, not a warning: strict mode would stop the preview
            log.info("数据有问题，预览显示%s：\n%s", "上一次检查通过的页面" if _pages.last_good else "空白页面",
                     DataError(_pages.problems).report())
    except DataError as error:
        raise PluginError("数据有问题，网站没有生成：\n" + error.report()) from None
    except Exception as error:
        raise _internal_error(error) from None
    for stale in [f for f in files if is_generated_path(f.src_uri)]:
        files.remove(stale)  # copies written by `build_stats.py build`, possibly outdated
    generated = (_mirror.files(outputs, config) if _mirror is not None
                 else [File.generated(config, page.src_uri, content=page.content) for page in outputs])
    folders: dict[str, str] = {}  # a record folder, relative to the docs folder
    for page, file in zip(outputs, generated, strict=True):
        if page.source:  # the page's "edit" link opens its YAML record
            folder, _, name = page.source.replace(os.sep, "/").rpartition("/")
            if folder not in folders:
                folders[folder] = os.path.relpath(root / folder, config.docs_dir).replace(os.sep, "/")
            file.edit_uri = f"{folders[folder]}/{name}"
        files.append(file)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Share the pages out between processes on every core (`_Share`), where forking is safe."""
    global _share
    if _may_fork:
        _share = _share_for(files)
        if _share is not None:
            _share.fork()
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A page another build process writes is not converted here (see `_Share.take`).

    A generated page's HTML-ready blocks (the case tables) are set aside until `on_page_content`:
    converting them would only pass them through, after parsing each of their tags.
    """
    if _share is not None and not _share.take(page):
        return ""
    if not is_generated_path(page.file.src_uri):
        return markdown
    markdown, _set_aside[page.file.src_uri] = set_aside(markdown)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the blocks `on_page_markdown` set aside back into the converted page."""
    blocks = _set_aside.pop(page.file.src_uri, None)
    return put_back(html, blocks) if blocks else html


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Under `mkdocs serve`, reuse the theme's compiled templates between rebuilds; an
    incremental rebuild keeps the site map of the build before.

    Under a shared `mkdocs build`, add the empty template of pages written elsewhere; a
    forked process leaves the static files, the sitemap and the 404 page to the first.
    """
    if _preview:
        env.bytecode_cache = _templates
    if _mirror is not None and _mirror.built:
        # An incremental rebuild does not know every page as a page (`_MirrorFile`): the
        # site map of the first build, which lists them all, stays.
        config.theme.static_templates.discard("sitemap.xml")
    if _share is not None:
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_SKIP_TEMPLATE: ""}), env.loader])
        _share.files = files
        if _share.index:
            for file in [f for f in files if not f.is_documentation_page()]:
                files.remove(file)
            config.theme.static_templates.clear()
            config.extra_templates.clear()
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Under a shared `mkdocs build`, gather the other processes at the last page."""
    if _share is not None:
        _share.finish(page)
    return output


def on_build_error(error: Exception) -> None:
    """A failed shared build ends its other processes."""
    global _share
    if _share is not None:
        _share.stop()
        _share = None
    if _collector is not None:
        _collector.after_build()
    if _mirror is not None:
        _mirror.finished(succeeded=False)


def on_post_build(config: MkDocsConfig) -> None:
    """Index the written site with Pagefind into ``<site_dir>/pagefind/``.

    The incremental preview indexes once (and again after a full rebuild): its search may
    miss the latest edits, which the pages themselves show. The preview also writes the
    status its problem banner reads.
    """
    global _share, _may_fork
    _share = None
    if _preview and _may_fork:  # the first build: the first edit need not wait for the name tagger
        load_tagger()
    _may_fork = False  # a preview's later builds run beside its server's threads
    if _mirror is not None:
        _mirror.finished(succeeded=True)
    if _collector is not None:
        _collector.after_build()
    if _pages is not None:
        status = Path(config.site_dir) / PREVIEW_STATUS.path
        status.parent.mkdir(parents=True, exist_ok=True)
        status.write_text(status_json(_pages.problems, stale=_pages.last_good is not None), encoding="utf-8")
    if _incremental and (Path(config.site_dir) / "pagefind").is_dir():
        return
    try:
        report = build_index(Path(config.site_dir))
    except SearchIndexError as error:
        raise PluginError(str(error)) from None
    except Exception as error:
        raise _internal_error(error) from None
    log.info("搜索索引：%d 个页面，%d 个文件，%.1f KB", report.pages, report.files, report.bytes / 1024)


def _data_dir(root: Path) -> Path:
    """The folder `DATA_ENV` names, else ``data/`` beside mkdocs.yml."""
    named = os.environ.get(DATA_ENV)
    return Path(named) if named else root / "data"


def _internal_error(error: Exception) -> PluginError:
    """A program error as one Chinese message (no MkDocs traceback); the details go to a file."""
    saved = save_report(error, sys.argv)
    line = internal_error_line(error, saved)
    leave_note(line)
    details = "" if saved is not None else "\n" + report_text(error, sys.argv)
    return PluginError(line + details)
