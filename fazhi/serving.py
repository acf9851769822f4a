"""What the long-lived process of the local preview (`make serve`) does to rebuild fast.

Nothing here imports MkDocs: `fazhi.mkdocs_hook` uses these under ``mkdocs serve``. The
theme's templates are compiled once (`CompiledTemplates`), Python's garbage collection is
kept out of the rebuilds (`Collector`), and the data folder's file events count only when a
file changed (`FileChanges`).
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import ClassVar

import jinja2
import watchdog.events
import watchdog.observers
import watchdog.observers.api

__all__ = ["Collector", "CompiledTemplates", "FileChanges"]


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per preview process, not once per rebuild.

    MkDocs makes a new Jinja environment for every build, which compiles Material's templates
    again (about 40). Jinja checks each template's source against the stored code's checksum,
    so an edited override is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class Collector:
    """The preview's garbage collection, moved out of its rebuilds.

    A rebuild at 10,000 cases set off four or five full collections of Python's garbage
    collector (0.7 s of 4 s). In the preview automatic collection is off; a collection runs
    in the background two seconds after each build, while the server waits for the next
    edit. The first build leaves most of the garbage (at 10,000 cases some 4.7 million
    objects in reference cycles: each page's Markdown converter, MkDocs' pages and files),
    and collecting it takes seconds, during which no other thread runs: the server would not
    answer and an edit would wait. So it is collected at the end of that build, before the
    server starts, and what every rebuild keeps (records read, pages kept, compiled templates)
    is then set aside from later collections (`gc.freeze`), which stay short.
    """

    #: Builds in a row without a collection (saves faster than every two seconds) before one
    #: runs at the start of the next build, so memory stays bounded.
    MOST_UNCOLLECTED = 5
    #: Seconds after a build before its garbage is collected.
    DELAY = 2.0

    def __init__(self) -> None:
        self.uncollected = 0
        self.frozen = False
        self.timer: threading.Timer | None = None
        self._collecting = threading.Lock()  # a build waits for a collection under way

    def before_build(self) -> None:
        """Stop collecting during the build; collect first if the collections fell behind."""
        if self.timer is not None:
            self.timer.cancel()
        gc.disable()
        if self.uncollected >= self.MOST_UNCOLLECTED:
            self._collect()
        with self._collecting:
            pass

    def after_build(self) -> None:
        """Collect the build's garbage: the first build's now, a later one's a little later, in
        the background."""
        self.uncollected += 1
        if not self.frozen:
            self._collect()
            return
        self.timer = threading.Timer(self.DELAY, self._collect)
        self.timer.daemon = True
        self.timer.start()

    def _collect(self) -> None:
        """Collect; the first time, freeze what is left."""
        with self._collecting:
            gc.collect()
            self.uncollected = 0
            if not self.frozen:
                gc.freeze()
                self.frozen = True


class FileChanges(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's file events that change a file: every rebuild opens the changed records,
    and an event for that would start another rebuild."""

    CHANGES: ClassVar[list[type[watchdog.events.FileSystemEvent]]] = [
        watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileClosedEvent,
        watchdog.events.FileDeletedEvent, watchdog.events.FileMovedEvent]

    def schedule(self, event_handler: watchdog.events.FileSystemEventHandler, path: str | Path, *,
                 recursive: bool = False, event_filter: object = None,
                 follow_symlink: bool = False) -> watchdog.observers.api.ObservedWatch:
        return super().schedule(event_handler, path, recursive=recursive, event_filter=self.CHANGES,
                                follow_symlink=follow_symlink)
