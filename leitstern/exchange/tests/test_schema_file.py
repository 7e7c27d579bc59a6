"""The published JSON Schema stays in step with the code that reads the files."""

from __future__ import annotations

import json
from pathlib import Path

from leitstern.exchange.document import json_schema

SCHEMA = Path(__file__).resolve().parents[3] / "docs/schema/leitstern-export.schema.json"


def test_published_schema_matches_the_importer() -> None:
    assert json.loads(SCHEMA.read_text()) == json_schema(), (
        "Regenerate docs/schema/leitstern-export.schema.json (see docs/okr-as-code.md)."
    )
