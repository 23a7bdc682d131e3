"""JSON Schemas of the data files, generated from the models.

The committed copies in ``schemas/`` let editors (through the ``# yaml-language-server:
$schema=...`` line at the top of each data file) complete and check the YAML as it is
typed; a test fails when they drift from the models.
"""

from __future__ import annotations

import json
from typing import Any

from kpartner.catalog import FileKind

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: FileKind) -> dict[str, Any]:
    schema = kind.model.model_json_schema()
    return {
        "$schema": DRAFT,
        "title": f"kpartner {kind.file_name}",
        "description": schema.pop("description", f"The {kind.value} of the kpartner catalog."),
        **{key: value for key, value in schema.items() if key != "title"},
    }


def json_schema_text(kind: FileKind) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"
