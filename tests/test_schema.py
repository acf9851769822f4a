"""The JSON Schemas under schemas/: generated from the models, current, and true to the data."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from fazhi.models import STATUS_LABELS, AgencyKind, CampaignKind, Procedure, labels_of, one_of, some_of
from fazhi.schema import SCHEMAS, SchemaKind, build_schema, render_schema
from tests.conftest import ROOT

SCHEMA_DIR = ROOT / "schemas"


def _plain(value: Any) -> Any:
    """YAML as the editor's language server sees it: dates are text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("kind", SCHEMAS, ids=lambda k: k.name)
def test_committed_schema_is_current(kind: SchemaKind) -> None:
    committed = SCHEMA_DIR / kind.file_name
    assert committed.is_file(), f"run python build_stats.py schema to create {committed}"
    assert committed.read_text(encoding="utf-8") == render_schema(kind), (
        "schemas/ is stale: run python build_stats.py schema")


@pytest.mark.parametrize("kind", SCHEMAS, ids=lambda k: k.name)
def test_every_sample_file_validates(kind: SchemaKind) -> None:
    validator = jsonschema.Draft7Validator(build_schema(kind))
    files = sorted((ROOT / "tests").glob(kind.files))  # the tests' sample, tests/data/
    assert files, kind.files
    for file in files:
        data = _plain(yaml.safe_load(file.read_text(encoding="utf-8")))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, (file.name, errors)


@pytest.mark.parametrize("kind", SCHEMAS, ids=lambda k: k.name)
def test_schema_is_draft7_closed_and_chinese(kind: SchemaKind) -> None:
    schema = build_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    models = [schema, *schema.get("definitions", {}).values()]
    for model in models:
        if "properties" not in model:
            continue
        assert model["additionalProperties"] is False
        for name, prop in model["properties"].items():
            assert prop["description"], name
            assert not re.search(r"[A-Za-z]", prop["title"]), (name, prop["title"])
    assert not re.search(r"[A-Za-z]", schema["title"])


def test_allowed_values_are_enums() -> None:
    case = build_schema(next(k for k in SCHEMAS if k.name == "case"))["properties"]
    assert case["procedure"]["enum"][:2] == ["执行", "审判"]
    assert case["status"]["enum"] == ["draft", "review", "published"]
    agencies = build_schema(next(k for k in SCHEMAS if k.name == "agencies"))
    assert agencies["type"] == "array"
    assert "法院" in agencies["definitions"]["Agency"]["properties"]["kind"]["enum"]


def test_a_typo_in_a_field_name_is_caught() -> None:
    validator = jsonschema.Draft7Validator(build_schema(next(k for k in SCHEMAS if k.name == "case")))
    record = _plain(yaml.safe_load((ROOT / "tests/data/cases/2024-hlbe-laowufei-juchuan.yaml")
                                   .read_text(encoding="utf-8")))
    record["procedur"] = record.pop("procedure")
    messages = [e.message for e in validator.iter_errors(record)]
    assert any("procedur" in m for m in messages)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build_stats.py"), *args],
                          capture_output=True, text=True, check=False, cwd=ROOT)


def test_schema_command_writes_and_check_detects_staleness(tmp_path: Path) -> None:
    stale = _cli("schema", "--check", "--dir", str(tmp_path))
    assert stale.returncode == 1
    assert "case.schema.json" in stale.stderr
    written = _cli("schema", "--dir", str(tmp_path))
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(k.file_name for k in SCHEMAS)
    assert _cli("schema", "--check", "--dir", str(tmp_path)).returncode == 0
    text = (tmp_path / "case.schema.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\n  \"$schema\"" in text and "典型案例" in text


@pytest.mark.parametrize(("kind", "field", "choices"), [
    ("agencies", "kind", AgencyKind), ("campaign", "kind", CampaignKind), ("case", "procedure", Procedure)])
def test_descriptions_list_the_allowed_values_from_the_literal(kind: str, field: str, choices: Any) -> None:
    schema = build_schema(next(k for k in SCHEMAS if k.name == kind))
    prop = schema.get("definitions", {}).get("Agency", schema)["properties"][field]
    assert prop["description"].endswith(one_of(choices))
    assert prop["enum"] == list(typing.get_args(choices))


def test_value_lists_refuse_values_the_literal_does_not_allow() -> None:
    assert one_of(AgencyKind) == "法院、检察院、司法行政、公安或其他"
    with pytest.raises(ValueError, match="not allowed"):
        some_of(Procedure, "执行", "执法")
    with pytest.raises(ValueError, match="do not match"):
        labels_of(typing.Literal["draft", "review", "published"], {"draft": "草稿"})
    assert list(STATUS_LABELS) == ["draft", "review", "published"]
