"""Fuzzing: mutated real records go through load → validate → generate; only `DataError` may escape.

Each example takes one file of a valid data folder (the records of `tests.conftest`, or the
sample data under ``data/``), applies a few mutations to its bytes, writes it, and runs the
pipeline in this process. A `DataError` is the checker doing its job; any other exception is
a bug. ``FAZHI_FUZZ_EXAMPLES=5000`` runs a longer campaign than the default CI budget.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.pipeline import generate, load_dataset
from fazhi.problems import DataError
from tests.conftest import AGENCIES, CAMPAIGN, CASE, METRICS, SAMPLE_DATA, TOPICS

EXAMPLES = int(os.environ.get("FAZHI_FUZZ_EXAMPLES", "1000"))

MINIMAL = {"agencies.yaml": AGENCIES, "topics.yaml": TOPICS, "metrics.yaml": METRICS,
           "campaigns/xinchun.yaml": CAMPAIGN, "cases/baomou.yaml": CASE}

UNICODE = ["法院", "𠀋", "😀", "👩‍⚖️", "\u200b", "\ufeff", "\u200f", "\u202e", "\u0301", "e\u0301",
           "\u3000", "\u2028", "\x85", "\t", "\r", "\r\n", "\x7f", "\x1b"]
YAML_TOKENS = ["&a ", "*a", "<<: ", "<<: *a", "!!int ", "!!python/object:os.system ", "!tag ", "---\n",
               "...\n", "? ", "|\n", ">\n", "|-", "{", "}", "[", "]", ": ", ":", "#", "%YAML 1.1\n",
               "%TAG ! tag:x,2024:\n", "@", "`", "'", '"', "- ", ",", "~", "null", "yes", "0x1F",
               "1e999", "2024-13-45", ".inf", "=", "\\", "!!binary ", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
               "{a: {b: {c: {d: {e: "]
RAW_BYTES = [b"\x00", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xfe\xff", b"\xc3", b"\xe6\xb3"]
TOKENS = [text.encode("utf-8") for text in UNICODE + YAML_TOKENS] + RAW_BYTES

OPERATIONS = ["delete_line", "duplicate_line", "swap_lines", "reindent", "insert", "truncate", "flip"]


def _mutate(data: bytes, operation: str, first: int, second: int, token: bytes, shift: int) -> bytes:
    """One mutation of `data`; positions are taken modulo its length (or line count)."""
    lines = data.splitlines(keepends=True) or [b""]
    line, other = first % len(lines), second % len(lines)
    if operation == "delete_line":
        del lines[line]
    elif operation == "duplicate_line":
        lines.insert(line, lines[line])
    elif operation == "swap_lines":
        lines[line], lines[other] = lines[other], lines[line]
    elif operation == "reindent":
        text = lines[line]
        lines[line] = b" " * shift + text if shift > 0 else text[min(-shift, len(text) - len(text.lstrip(b" "))):]
    else:
        at = first % (len(data) + 1)
        if operation == "insert":
            return data[:at] + token + data[at:]
        if operation == "truncate":
            return data[:at]
        if data:  # flip
            at = first % len(data)
            return data[:at] + bytes([data[at] ^ (second % 255 + 1)]) + data[at + 1:]
        return data
    return b"".join(lines)


MUTATION = st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1 << 20), st.integers(0, 1 << 20),
                     st.sampled_from(TOKENS), st.sampled_from([-2, -1, 1, 2]))


def _folders(tmp_path: Path) -> dict[str, Path]:
    minimal = tmp_path / "minimal"
    for name, text in MINIMAL.items():
        (minimal / name).parent.mkdir(parents=True, exist_ok=True)
        (minimal / name).write_text(text, encoding="utf-8")
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_DATA, sample)
    return {"minimal": minimal, "sample": sample}


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.yaml"))


def test_no_mutated_record_makes_the_pipeline_raise(tmp_path: Path) -> None:
    folders = _folders(tmp_path)
    files = [(name, path) for name, folder in folders.items() for path in _files(folder)]
    for folder in folders.values():
        load_dataset(folder)  # both start valid, so a mutation is what any problem comes from
    tried: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(st.sampled_from(files), st.lists(MUTATION, min_size=1, max_size=4))
    def run(file: tuple[str, str], mutations: list[tuple[str, int, int, bytes, int]]) -> None:
        target = folders[file[0]] / file[1]
        original = target.read_bytes()
        data = original
        for mutation in mutations:
            data = _mutate(data, *mutation)
        target.write_bytes(data)
        tried["inputs"] += 1
        try:
            load_dataset(folders[file[0]])
        except DataError:
            tried["refused"] += 1
            return
        else:
            tried["valid"] += 1
            generate(folders[file[0]], workers=1)
        finally:
            target.write_bytes(original)

    run()
    print(f"\nfuzz: {tried['inputs']} inputs tried, {tried['refused']} refused with DataError, "
          f"{tried['valid']} valid and generated")
    assert tried["inputs"] >= min(EXAMPLES, 50)


@pytest.mark.parametrize(("operation", "expected"), [
    ("delete_line", b"b\nc\n"), ("duplicate_line", b"a\na\nb\nc\n"), ("swap_lines", b"c\nb\na\n"),
    ("truncate", b""), ("insert", b"&a a\nb\nc\n"),
])
def test_mutations_do_what_they_say(operation: str, expected: bytes) -> None:
    assert _mutate(b"a\nb\nc\n", operation, 0, 2, b"&a ", 1) == expected


def test_reindent_moves_a_line_by_one_or_two_spaces() -> None:
    assert _mutate(b"a:\n  b: 1\n", "reindent", 1, 0, b"", 2) == b"a:\n    b: 1\n"
    assert _mutate(b"a:\n  b: 1\n", "reindent", 1, 0, b"", -1) == b"a:\n b: 1\n"
    assert _mutate(b"a:\n  b: 1\n", "reindent", 0, 0, b"", -2) == b"a:\n  b: 1\n"
