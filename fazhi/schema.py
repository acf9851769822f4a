"""JSON Schemas for editors, generated from the record models.

One schema per record kind (`campaign`, `case`) and per registry (`agencies`, `topics`,
`metrics`), committed under `schemas/` so that an editor with the YAML language server
(VS Code with redhat.vscode-yaml) shows hover help, completes field names and allowed values,
and underlines mistakes while staff type. The models in `fazhi.models` are the only source:
descriptions and allowed values come from them; this module only adds Chinese titles and
packages the result as draft-07 (the draft the YAML language server implements).

The checker remains the authority: a schema cannot know the registries, the value grammar
or the privacy rules. It catches typos in field names, missing fields and values outside
their list before `python build_stats.py check` runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from fazhi.models import RECORD_MODELS, REGISTRY_MODELS

__all__ = ["SCHEMAS", "SchemaKind", "build_schema", "render_schema", "stale_schemas", "write_schemas"]

DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class SchemaKind:
    """One schema file: the model it describes, its Chinese title and the files it covers."""

    name: str
    model: type[BaseModel]
    title: str
    registry: bool
    files: str
    """The data files the schema applies to, as a glob relative to the project root."""

    @property
    def file_name(self) -> str:
        """``case.schema.json`` and so on."""
        return f"{self.name}.schema.json"


SCHEMAS: tuple[SchemaKind, ...] = (
    SchemaKind("campaign", RECORD_MODELS["campaigns"], "专项行动", False, "data/campaigns/*.yaml"),
    SchemaKind("case", RECORD_MODELS["cases"], "典型案例", False, "data/cases/*.yaml"),
    SchemaKind("agencies", REGISTRY_MODELS["agencies"], "机关登记表", True, "data/agencies.yaml"),
    SchemaKind("topics", REGISTRY_MODELS["topics"], "专题登记表", True, "data/topics.yaml"),
    SchemaKind("metrics", REGISTRY_MODELS["metrics"], "指标登记表", True, "data/metrics.yaml"),
)

#: Chinese titles of the nested models, shown as the heading of hover help.
_MODEL_TITLES = {
    "Agency": "机关", "Topic": "专题", "Metric": "指标", "Source": "来源报道",
    "Breakdown": "带分项的指标值", "Waiver": "个人信息复核豁免",
    "Campaign": "专项行动", "Case": "典型案例",
}

#: Field titles for the few descriptions that do not start with a Chinese label.
_FIELD_TITLES = {"status": "发布状态", "kind": "类别", "complete": "分项是否齐全"}

_LABEL_END = re.compile(r"[，：；（(]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def field_title(name: str, description: str | None) -> str:
    """A field's Chinese title: its description up to the first comma, colon or bracket."""
    label = _LABEL_END.split(description or "", maxsplit=1)[0].strip()
    if not label or _ASCII_LETTER.search(label):
        return _FIELD_TITLES.get(name, name)
    return label


def build_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft-07) for one record kind or registry."""
    target: Any = list[kind.model] if kind.registry else kind.model  # type: ignore[name-defined]
    schema = TypeAdapter(target).json_schema(
        ref_template="#/definitions/{model}", mode="validation")
    definitions = schema.pop("$defs", {})
    for name, definition in definitions.items():
        _retitle(definition, name)
    if not kind.registry:
        _retitle(schema, kind.model.__name__)
    result: dict[str, Any] = {
        "$schema": DRAFT,
        "$comment": "由 python build_stats.py schema 根据 fazhi/models.py 生成，请勿手工修改。",
        **schema,
        "title": kind.title,
    }
    if kind.registry:
        item = _MODEL_TITLES.get(kind.model.__name__, kind.model.__name__)
        result["description"] = f"{kind.title}：一个列表，每项是一个{item}，以“- ”开头。"
    if definitions:
        result["definitions"] = definitions
    return result


def _retitle(model_schema: dict[str, Any], model_name: str) -> None:
    """Replace pydantic's English titles (``Privacy Reviewed``) by Chinese ones."""
    model_schema["title"] = _MODEL_TITLES.get(model_name, model_name)
    for name, prop in model_schema.get("properties", {}).items():
        prop["title"] = field_title(name, prop.get("description"))


def render_schema(kind: SchemaKind) -> str:
    """The schema file's text: pretty, keys sorted, UTF-8 characters as they are, final newline."""
    return json.dumps(build_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def stale_schemas(directory: Path) -> list[Path]:
    """The schema files under `directory` that are missing or differ from the models."""
    return [directory / kind.file_name for kind in SCHEMAS
            if not (directory / kind.file_name).is_file()
            or (directory / kind.file_name).read_text(encoding="utf-8") != render_schema(kind)]


def write_schemas(directory: Path) -> list[Path]:
    """(Re)write every schema file under `directory`; return the files that changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale_schemas(directory)
    for path in changed:
        kind = next(k for k in SCHEMAS if k.file_name == path.name)
        path.write_text(render_schema(kind), encoding="utf-8", newline="\n")
    return changed
