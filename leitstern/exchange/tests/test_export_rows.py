"""The export read from rows gives the document and the bytes the model-instance path gave.

`orm_reference.py` is the old export (model instances, prefetches, `json.dumps`,
`yaml.safe_dump`); the row reader and the streaming writers must match it exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leitstern.checkins.models import CheckIn, IndicatorValue
from leitstern.cli.demo import load_demo
from leitstern.exchange import export, render, rows
from leitstern.exchange.document import parse
from leitstern.exchange.export import (
    CSV_DIALECTS,
    build_document,
    document_text,
    to_csv,
    to_json,
    to_yaml,
)
from leitstern.exchange.importer import import_document
from leitstern.exchange.tests import orm_reference
from leitstern.exchange.values import Keys
from leitstern.okrs.models import Cycle, LeadingIndicator, Objective
from leitstern.okrs.services import align
from leitstern.orgs.models import Organization
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def _assert_same_export(org: Organization, cycle: Cycle | None = None) -> dict[str, Any]:
    reference = orm_reference.build_document(org, cycle=cycle)
    doc = build_document(org, cycle=cycle)
    assert doc == reference
    assert list(doc) == list(reference)  # the same order of keys, too
    json_text, yaml_text = orm_reference.to_json(reference), orm_reference.to_yaml(reference)
    assert to_json(doc) == json_text
    assert to_yaml(doc) == yaml_text
    assert "".join(document_text(org, format="json", cycle=cycle)) == json_text
    assert "".join(document_text(org, format="yaml", cycle=cycle)) == yaml_text
    for dialect in CSV_DIALECTS:
        sheet = orm_reference.to_csv(org, cycle=cycle, dialect=dialect)
        assert to_csv(org, cycle=cycle, dialect=dialect) == sheet
    return doc


def _features(doc: dict[str, Any]) -> set[str]:
    """Which optional parts of the format the document exercises."""
    seen = set()
    for name in ("moals", "teams", "cycles", "learnings", "health_metrics"):
        if doc[name]:
            seen.add(name)
    seen |= {"parent" for t in doc["teams"] if t["parent"]}
    seen |= {"strategy_time" for t in doc["teams"] if t["strategy_time"]}
    seen |= {"readings" for m in doc["health_metrics"] if m["readings"]}
    seen |= {"learning_of_objective" for lr in doc["learnings"] if lr["objective"]}
    for o in doc["objectives"]:
        seen |= {name for name in ("moals", "contributes_to", "retrospective") if o[name]}
        seen |= {"carried_over_from" for _ in [o] if o["carried_over_from"]}
        seen |= {"committed_at" for _ in [o] if o["committed_at"]}
        for kr in o["key_results"]:
            seen |= {"leading_indicators" for _ in [kr] if kr["leading_indicators"]}
            for c in kr["checkins"]:
                seen.add("checkins")
                seen |= {name for name in ("indicator_values", "problem", "learning") if c[name]}
                if c["problem"] and c["problem"]["help_offers"]:
                    seen.add("help_offers")
    return seen


ALL_FEATURES = {
    "moals",
    "teams",
    "cycles",
    "learnings",
    "health_metrics",
    "parent",
    "strategy_time",
    "readings",
    "learning_of_objective",
    "contributes_to",
    "retrospective",
    "carried_over_from",
    "committed_at",
    "leading_indicators",
    "checkins",
    "indicator_values",
    "problem",
    "learning",
    "help_offers",
}


def _complete(org: Organization) -> None:
    """What the demo lacks: alignment between objectives, a carried-over one, indicator values."""
    objectives = list(Objective.objects.filter(organization=org).order_by("cycle__starts_on", "pk"))
    first, second, last = objectives[0], objectives[1], objectives[-1]
    align(objective=second, moals=second.moals.all(), contributes_to=[first])
    Objective.objects.filter(pk=last.pk).update(carried_over_from=first)
    for indicator in LeadingIndicator.objects.filter(organization=org):
        for n, checkin in enumerate(CheckIn.objects.filter(key_result=indicator.key_result)):
            IndicatorValue.objects.create(
                organization=org, checkin=checkin, indicator=indicator, value=Decimal(n) / 8
            )


def test_demo_exports_the_same_bytes_as_the_model_instance_path() -> None:
    load_demo()
    seen: set[str] = set()
    for org in Organization.objects.filter(slug__in=["example", "beispiel"]):
        _complete(org)
        seen |= _features(_assert_same_export(org))
        for cycle in Cycle.objects.filter(organization=org):
            _assert_same_export(org, cycle)
    assert ALL_FEATURES - seen == set()  # the comparison covers every part of the format


def test_small_chunks_and_pieces_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    org = Organization.objects.get(slug="example")
    _complete(org)
    monkeypatch.setattr(rows, "OBJECTIVES_PER_CHUNK", 2)
    monkeypatch.setattr(export, "SHEET_ROWS_PER_PIECE", 3)
    monkeypatch.setattr(render, "PIECE", 10)
    _assert_same_export(org)


def test_the_csv_import_reads_an_objective_as_before() -> None:
    """The CSV import completes existing objectives from `_objective`: same dict, same order."""
    load_demo()
    org = Organization.objects.get(slug="example")
    _complete(org)
    keys, reference_keys = Keys(org), orm_reference.Keys(org)
    for objective in Objective.objects.filter(organization=org):
        expected = orm_reference._objective(objective, reference_keys)
        assert export._objective(objective, keys) == expected


def test_an_imported_file_with_own_keys_exports_the_same_bytes() -> None:
    """Remembered keys (hand-written files), texts that YAML must quote, odd numbers."""
    load_demo()
    demo = build_document(Organization.objects.get(slug="example"))
    renamed: dict[str, str] = {}
    for i, objective in enumerate(demo["objectives"]):
        renamed[objective["key"]] = f"objective-{i}: «{objective['title'][:20]}»"
        objective["why"] = "- starts like a list\n\nand has 'quotes', # and: colons  "
        for j, kr in enumerate(objective["key_results"]):
            renamed[kr["key"]] = f"{i}.{j}"  # YAML would read it as a number unless quoted
            kr["unit"] = "null" if j % 2 else "€/h"
    for objective in demo["objectives"]:
        objective["key"] = renamed[objective["key"]]
        objective["contributes_to"] = [renamed[k] for k in objective["contributes_to"]]
        for kr in objective["key_results"]:
            kr["key"] = renamed[kr["key"]]
    for learning in demo["learnings"]:
        for name in ("objective", "key_result"):
            learning[name] = renamed.get(learning[name], learning[name])
    copy = f.organization("copy")
    report = import_document(copy, parse(demo))
    assert report.ok, report.errors[:5]
    doc = _assert_same_export(copy)
    assert doc["objectives"][0]["key"].startswith("objective-0: «")


def test_the_export_reads_a_fixed_number_of_queries_per_chunk(
    world: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Queries grow with chunks of objectives, never with key results or check-ins."""
    monkeypatch.setattr(rows, "OBJECTIVES_PER_CHUNK", 2)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            "".join(document_text(world.org, format="json"))
        return len(captured)

    f.checkin(world.key_result, "20", 6)
    small = queries()
    objective = f.objective(world.other_team, world.cycle, "Beta's outcome")
    for n in range(3):
        kr = f.key_result(objective, f"Result {n}")
        f.checkin(kr, "12", 5, weeks_ago=1)
        f.checkin(kr, "14", 5, problem="We lack data")
    assert queries() == small  # still one chunk of two objectives
