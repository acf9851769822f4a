"""JSON Schemas for editors, generated from the record models.

One schema per record kind (`campaign`, `case`) and per registry (`agencies`, `topics`,
`metrics`, `laws`), committed under `schemas/` so that an editor with the YAML language server
(VS Code with redhat.vscode-yaml) shows hover help, completes field names and allowed values,
and underlines mistakes while staff type. The models in `fazhi.models` are the only source:
descriptions, Chinese titles and allowed values come from them; this module only
packages the result as draft-07 (the draft the YAML language server implements).

The checker remains the authority: a schema cannot know the registries, the value grammar
or the privacy rules. It catches typos in field names, missing fields and values outside
their list before `python build_stats.py check` runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from fazhi.models import GUIDE, RECORD_MODELS, REGISTRY_MODELS

__all__ = ["SCHEMAS", "SchemaKind", "build_schema", "render_schema", "stale_schemas", "write_schemas"]

DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class SchemaKind:
    """One schema file: the model it describes, whether it is a registry and the files it covers."""

    name: str
    model: type[BaseModel]
    registry: bool
    files: str
    """The data files the schema applies to, as a glob relative to the project root."""

    @property
    def file_name(self) -> str:
        """``case.schema.json`` and so on."""
        return f"{self.name}.schema.json"

    @property
    def item_title(self) -> str:
        """The model's Chinese title: ``典型案例``, ``机关``."""
        return str(self.model.model_config.get("title", self.model.__name__))

    @property
    def title(self) -> str:
        """The schema's Chinese title: the model's, ``登记表`` added for a registry."""
        return self.item_title + ("登记表" if self.registry else "")


SCHEMAS: tuple[SchemaKind, ...] = (
    SchemaKind("campaign", RECORD_MODELS["campaigns"], False, "data/campaigns/*.yaml"),
    SchemaKind("case", RECORD_MODELS["cases"], False, "data/cases/*.yaml"),
    SchemaKind("agencies", REGISTRY_MODELS["agencies"], True, "data/agencies.yaml"),
    SchemaKind("topics", REGISTRY_MODELS["topics"], True, "data/topics.yaml"),
    SchemaKind("metrics", REGISTRY_MODELS["metrics"], True, "data/metrics.yaml"),
    SchemaKind("laws", REGISTRY_MODELS["laws"], True, "data/laws.yaml"),
)

def build_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft-07) for one record kind or registry."""
    target: Any = list[kind.model] if kind.registry else kind.model  # type: ignore[name-defined]
    schema = TypeAdapter(target).json_schema(
        ref_template="#/definitions/{model}", mode="validation")
    definitions = schema.pop("$defs", {})
    for definition in [*definitions.values(), schema]:
        _drop_guides(definition)
    result: dict[str, Any] = {
        "$schema": DRAFT,
        "$comment": "由 python build_stats.py schema 根据 fazhi/models.py 生成，请勿手工修改。",
        **schema,
        "title": kind.title,
    }
    if kind.registry:
        result["description"] = f"{kind.title}：一个列表，每项是一个{kind.item_title}，以“- ”开头。"
    if definitions:
        result["definitions"] = definitions
    return result


def _drop_guides(model_schema: dict[str, Any]) -> None:
    """Leave out the guidance for the new-record template (`fazhi.models.guide`): not hover help."""
    for prop in model_schema.get("properties", {}).values():
        prop.pop(GUIDE, None)


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
