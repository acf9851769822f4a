"""Read the `data/` folder: registries and records, each validated by its model.

Every pydantic error is translated into a Chinese problem at the line and column of the
offending key or value. Nothing here knows about other records; see `fazhi.validate`.
"""

from __future__ import annotations

import difflib
import errno
import gc
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fazhi.loader import Document, Loc, parse_bytes, read_regular, read_regular_status
from fazhi.models import (
    ID_PATTERN,
    OPTIONAL_REGISTRIES,
    RECORD_MODELS,
    REGISTRY_MODELS,
    Breakdown,
    Model,
    Record,
    Release,
    Source,
    Waiver,
)
from fazhi.problems import Problem, make_problem

_ID = re.compile(ID_PATTERN)


@dataclass
class Loaded:
    """A record or registry entry that passed its model, with its document for positions."""

    model: Any
    doc: Document
    loc: Loc = ()
    id: str = ""


@dataclass
class RawData:
    """Everything read from `data/` that passed the per-file checks, plus the problems."""

    registries: dict[str, list[Loaded]] = field(default_factory=dict)
    records: dict[str, list[Loaded]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    broken: set[str] = field(default_factory=set)
    """Ids and registry names of items that failed their model: not reported again as unknown."""


class RecordCache:
    """What reading each record file gave, reused while the file is unchanged.

    For a long-running process that reads the same folder again after each edit (the
    `mkdocs serve` preview): parsing and model-checking are most of reading, and an edit
    changes one file. A file is unchanged when its bytes are; reading all of them again costs
    a few tenths of a second at 10,000 records, so a file whose status (inode, size,
    modification and change times) is the same as when it was read is not opened at all, once
    that status is older than the read by more than `RACY_NS`. Within that window a second
    save could leave the status as it was (file systems with coarse clocks), so such a "racily
    clean" file (git's term) is compared by its bytes, as is every file where the change time
    is not kept (Windows). Nothing can set the change time back: restoring the modification
    time after an edit does not hide it.
    """

    #: How far a file's change time must lie before its reading to trust its status alone: the
    #: coarsest file-system clock in common use (FAT) ticks every two seconds.
    RACY_NS = 2_000_000_000
    #: Whether a file's change time moves on every write (not on Windows, where it is the creation time).
    STATUS_TELLS = os.name != "nt"

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, type[Record]], _Cached] = {}
        self.opened = 0
        """How many files were read from disk (the others were known unchanged by their status)."""

    def read(self, file: str, display: str, model: type[Record]) -> _FileResult:
        """The result of reading the file at path `file` as a `model` record, from the cache if
        still current.

        `OSError` when `file` is a symbolic link or not a regular file: it is never read through.
        """
        key = (file, display, model)
        cached = self._entries.get(key)
        if cached is not None and cached.trusted and cached.status == _status(os.lstat(file)):
            return cached.result
        started = time.time_ns()
        content, status = read_regular_status(Path(file))
        self.opened += 1
        if cached is None or cached.content != content:
            cached = _Cached(content, _read_record(content, Path(file).stem, display, model))
        cached.status = _status(status)
        cached.trusted = self.STATUS_TELLS and max(status.st_mtime_ns, status.st_ctime_ns) < started - self.RACY_NS
        self._entries[key] = cached
        return cached.result


@dataclass
class _Cached:
    """A record file's bytes and what reading them gave, with the file's status when read."""

    content: bytes
    result: _FileResult
    status: tuple[int, ...] = ()
    trusted: bool = False
    """Whether an unchanged status proves the bytes unchanged (see `RecordCache`)."""


def _status(found: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is written, replaced or touched."""
    return (found.st_dev, found.st_ino, found.st_mode, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def read_data(
    data_dir: Path, progress: Callable[[], None] | None = None, cache: RecordCache | None = None,
) -> RawData:
    """Read and model-check every registry and record file under `data_dir`.

    `progress`, when given, is called once per file read (the CLI's progress bar). `cache`
    reuses what unchanged record files gave when read before.
    """
    tick = progress or _no_progress
    raw = RawData()
    with gc_paused():
        for name, model in REGISTRY_MODELS.items():
            raw.registries[name] = _read_registry(data_dir, name, model, raw)
            tick()
        for folder, model in RECORD_MODELS.items():
            raw.records[folder] = list(_read_records(data_dir, folder, model, raw, tick, cache))
    return raw


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, then restore its state (for reading and checking).

    Reading builds objects that all stay alive (documents, positions, models) and no reference
    cycles, so the collector's full passes, which rerun each time the heap grows by a quarter,
    find nothing: at 10,000 records they took 1.7 of 3.8 CPU seconds. Reference counting
    still frees every temporary (the YAML node trees) at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _no_progress() -> None:
    pass


def _display(data_dir: Path, file: Path) -> str:
    try:
        return file.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return file.as_posix()


def _read_registry(data_dir: Path, name: str, model: type[Model], raw: RawData) -> list[Loaded]:
    file = data_dir / f"{name}.yaml"
    display = _display(data_dir, file)
    try:
        mode = os.lstat(file).st_mode
    except FileNotFoundError:
        if name not in OPTIONAL_REGISTRIES:
            raw.problems.append(make_problem("file.missing", display, 1, 1, name=f"{name}.yaml"))
        return []
    except OSError:
        mode = 0
    refusal = _refuse_file(mode, display, file.name, _REGISTRY)
    if refusal is not None:
        raw.problems.append(refusal)
        return []
    raw.files += 1
    try:
        content = read_regular(file)
    except OSError as error:
        raw.problems.append(_unreadable(error, display, file.name, _REGISTRY))
        return []
    doc, problems = parse_bytes(content, display)
    raw.problems += problems
    if doc is None:
        return []
    if not isinstance(doc.data, list):
        raw.problems.append(make_problem(
            "file.not_list", display, 1, 1, found=_type_name(doc.data)))
        return []
    entries = []
    for index, item in enumerate(doc.data):
        model_obj = _validate(model, item, doc, (index,), raw.problems)
        if model_obj is not None:
            entries.append(Loaded(model=model_obj, doc=doc, loc=(index,)))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            raw.broken.add(item["name"])
    return entries


@dataclass(frozen=True)
class _FileResult:
    """What one record file gave: its record if it passed, and its problems."""

    loaded: Loaded | None
    problems: list[Problem]
    broken: bool
    """Whether the record's id must not be reported again as unknown elsewhere."""


def _read_record(content: bytes, stem: str, display: str, model: type[Record]) -> _FileResult:
    doc, problems = parse_bytes(content, display)
    if doc is None:
        return _FileResult(None, problems, broken=True)
    if not isinstance(doc.data, dict):
        problems.append(make_problem("file.not_mapping", display, 1, 1, found=_type_name(doc.data)))
        return _FileResult(None, problems, broken=False)
    record = _validate(model, doc.data, doc, (), problems)
    loaded = Loaded(model=record, doc=doc, id=stem) if record is not None else None
    return _FileResult(loaded, problems, broken=loaded is None)


def _read_records(
    data_dir: Path, folder: str, model: type[Record], raw: RawData,
    tick: Callable[[], None] = _no_progress, cache: RecordCache | None = None,
) -> Iterator[Loaded]:
    directory = data_dir / folder
    prefix = _display(data_dir, directory)
    if directory.is_symlink():
        raw.problems.append(make_problem("file.symlink_folder", prefix, 1, 1, name=folder))
        return
    if not directory.is_dir():
        return
    place = _record_place(prefix)
    with os.scandir(directory) as found:
        # Sorting by name is the same order as sorting the paths (one folder).
        entries = sorted(found, key=lambda item: item.name)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        tick()
        display = f"{prefix}/{name}"
        refusal = _refuse_entry(entry, display, place)
        if refusal is not None:
            raw.problems.append(refusal)
            continue
        if not name.endswith(".yaml"):
            raw.problems.append(make_problem("file.extension", display, 1, 1, name=name))
            continue
        raw.files += 1
        stem = name[: -len(".yaml")]
        if not _ID.match(stem):
            raw.problems.append(make_problem("file.bad_id", display, 1, 1, name=name))
        try:
            result = (cache.read(entry.path, display, model) if cache is not None
                      else _read_record(read_regular(directory / name), stem, display, model))
        except OSError as error:
            raw.problems.append(_unreadable(error, display, name, place))
            raw.broken.add(stem)
            continue
        raw.problems += result.problems
        if result.broken:
            raw.broken.add(stem)
        if result.loaded is not None:
            yield result.loaded


# --- what a file in data/ may be ------------------------------------------------------------

@dataclass(frozen=True)
class _Place:
    """Where a refused file stands: the codes for a link and a folder there, and their parameters."""

    symlink: str
    directory: str
    params: dict[str, str] = field(default_factory=dict)


_REGISTRY = _Place("file.symlink_registry", "file.directory_registry")
_SPECIAL_KINDS = ((stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字"),
                  (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"))


def _record_place(prefix: str) -> _Place:
    return _Place("file.symlink", "file.directory", {"folder": prefix})


def _refuse_entry(entry: os.DirEntry[str], display: str, place: _Place) -> Problem | None:
    """A problem when a folder entry is a link, a folder or not a regular file (by its type alone)."""
    try:
        if entry.is_file(follow_symlinks=False):
            return None
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        mode = 0
    return _refuse_file(mode, display, entry.name, place)


def _refuse_file(mode: int, display: str, name: str, place: _Place) -> Problem | None:
    """A problem for a symbolic link, a folder or anything but a regular file; None for a file.

    `mode` is from `lstat` (the link itself, never what it points to); 0 when it could not be read.
    """
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return make_problem(place.symlink, display, 1, 1, name=name, **place.params)
    if stat.S_ISDIR(mode):
        return make_problem(place.directory, display, 1, 1, name=name, **place.params)
    if mode == 0:
        return make_problem("file.unreadable", display, 1, 1, name=name)
    kind = next((label for test, label in _SPECIAL_KINDS if test(mode)), "特殊文件")
    return make_problem("file.not_regular", display, 1, 1, name=name, kind=kind)


def _unreadable(error: OSError, display: str, name: str, place: _Place) -> Problem:
    """The problem for a file that could not be opened (replaced by a link after the checks…)."""
    if error.errno == errno.ELOOP:
        return make_problem(place.symlink, display, 1, 1, name=name, **place.params)
    if error.errno == errno.EINVAL:
        return make_problem("file.not_regular", display, 1, 1, name=name, kind="特殊文件")
    return make_problem("file.unreadable", display, 1, 1, name=name)


def _validate(
    model: type[Model], data: Any, doc: Document, loc: Loc, problems: list[Problem]
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        # A value the loader already explained (e.g. a bare `no`) is not reported twice.
        explained = {(p.path, p.line, p.column) for p in problems}
        problems += [p for p in translate_errors(error, model, doc, loc)
                     if (p.path, p.line, p.column) not in explained]
        return None


# --- pydantic errors in Chinese -----------------------------------------------------------

_TYPE_NAMES = {
    "str": "文字", "int": "整数", "Decimal": "数字", "bool": "true/false", "list": "列表",
    "dict": "“字段: 值”的映射", "NoneType": "空值",
}
_TYPE_CODES = {
    "string_type": "field.type_text",
    "list_type": "field.type_list",
    "dict_type": "field.type_mapping",
    "model_type": "field.type_fields",
    "model_attributes_type": "field.type_fields",
    "bool_type": "field.type_bool",
    "int_type": "field.type_int",
    "fazhi_metric_value": "field.type_metric",
}
_FORMAT_CODES = {
    "part_of": "field.format_part_of",
    "campaign": "field.format_campaign",
    "slug": "field.format_slug",
    "region": "field.format_region",
    "url": "field.format_url",
}
_CHILD_MODELS: dict[str, type[BaseModel]] = {
    "sources": Source, "metrics": Breakdown, "privacy_reviewed": Waiver, "release": Release}


def translate_errors(
    error: ValidationError, model: type[Model], doc: Document, base: Loc
) -> list[Problem]:
    """Turn pydantic's errors for one item into problems at their places in the file."""
    found: dict[Loc, tuple[bool, dict[str, Any]]] = {}
    for item in error.errors(include_url=False):
        loc, skipped = _data_loc(doc.get(base), item["loc"], item["type"] == "missing")
        # A breakdown with neither parts nor shares says so, rather than "not a number".
        if loc not in found or (found[loc][0] and not skipped) or item["type"] == "fazhi_breakdown_empty":
            found[loc] = (skipped, item)
    # A union member's error on a whole value hides the precise errors inside it.
    precise = [loc for loc in found if not any(
        other[: len(loc)] == loc and other != loc for other in found) or not found[loc][0]]
    return [_problem(found[loc][1], model, doc, base, loc) for loc in precise]


def _data_loc(data: Any, loc: tuple[Any, ...], missing: bool) -> tuple[Loc, bool]:
    """Keep the parts of pydantic's `loc` that address data, dropping union member tags.

    Returns the data path and whether a tag was dropped (the error came from a union member).
    A name absent from the data is kept only at the end of a `missing` error.
    """
    kept: list[str | int] = []
    skipped = False
    for index, part in enumerate(loc):
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_dict or in_list:
            data = data[part]
        elif missing and index == len(loc) - 1 and isinstance(data, dict):
            pass  # a missing field
        else:
            skipped = True
            continue
        kept.append(part)
    return tuple(kept), skipped


def _problem(item: dict[str, Any], model: type[Model], doc: Document, base: Loc,
             loc: Loc) -> Problem:
    kind = item["type"]
    full = (*base, *loc)
    name = _field_name(loc)
    value = item.get("input")
    ctx = item.get("ctx") or {}
    if kind == "missing":
        at = doc.where(full[:-1])
        owner = _owner_model(model, loc[:-1])
        description = _description(owner, str(loc[-1]))
        return make_problem("field.missing", doc.path, at.line, at.column,
                            field_name=_field_name(loc[:-1]), name=loc[-1],
                            description=description)
    at = doc.where(full, key=kind == "extra_forbidden")
    code, params = _explain(kind, model, loc, value, ctx)
    return make_problem(code, doc.path, at.line, at.column, field_name=name, **params)


def _explain(kind: str, model: type[Model], loc: Loc, value: Any,
             ctx: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    last = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        allowed = list(_owner_model(model, loc[:-1]).model_fields)
        close = difflib.get_close_matches(last, allowed, n=1, cutoff=0.5)
        params = {"name": last, "allowed": "、".join(allowed)}
        return ("field.unknown_close", {**params, "close": close[0]}) if close else ("field.unknown", params)
    if kind in ("literal_error", "enum"):
        allowed = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        allowed = allowed.replace(", ", "、")
        if value is None or (isinstance(value, str) and not value.strip()):
            return "field.choice_empty", {"allowed": allowed}
        bare = value.strip("“”‘’\"' ") if isinstance(value, str) else ""
        if bare != value and bare in allowed.split("、"):
            return "field.choice_quoted", {"value": _show(value), "bare": bare}
        return "field.choice", {"value": _show(value), "allowed": allowed}
    if kind in _TYPE_CODES:
        return _TYPE_CODES[kind], {"found": _type_name(value)}
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, str)):
        return "field.blank", {"description": _field_label(model, loc)}
    if kind == "too_short":
        return "field.empty", {}
    if kind == "string_pattern_mismatch":
        return _FORMAT_CODES.get(last, "field.format"), {"value": _show(value)}
    if kind == "fazhi_date":
        return "field.date", {"value": _show(value)}
    if kind == "fazhi_date_zero":
        return "field.date_zero", {"value": _show(value), "part": ctx.get("part", "月份")}
    if kind == "fazhi_date_order":
        return "field.date_order", {"start": ctx.get("start"), "end": ctx.get("end")}
    if kind == "fazhi_law":
        return "field.law", {"value": _show(value)}
    if kind == "fazhi_case_number":
        return "field.case_number", {"value": _show(value)}
    if kind == "fazhi_breakdown_empty":
        return "breakdown.empty", {}
    if kind == "fazhi_money_unit":
        return "field.money_unit", {"value": _show(value)}
    return "field.invalid", {"value": _show(value)}


def _owner_model(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """The model that owns the field at `loc` (top level, a source, a breakdown…)."""
    if loc and isinstance(loc[0], str) and loc[0] in _CHILD_MODELS:
        return _CHILD_MODELS[loc[0]]
    return model


def _field_label(model: type[BaseModel], loc: Loc) -> str:
    """What a text value holds, for "fill this in": ``标题``, ``报道或文件的标题``, ``“基本案情”的内容``."""
    names = tuple(part for part in loc if isinstance(part, str))  # list positions dropped
    if not names:
        return "这一项"
    owner, name = _owner_model(model, names[:-1]), names[-1]
    if name not in owner.model_fields:
        return f"“{name}”的内容"  # a value in a mapping: sections.基本案情
    label = re.split(r"[，：；（]", _description(owner, name), maxsplit=1)[0]
    return "这一项" if label == "见模板说明" else label


def _description(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    return (info.description if info and info.description else "见模板说明")


def _field_name(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _type_name(value: Any) -> str:
    if isinstance(value, Decimal):
        return "数字"
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
