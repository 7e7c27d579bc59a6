"""Export → import into an empty organisation → export gives the same file (demo data)."""

from __future__ import annotations

import pytest

from leitstern.cli.demo import load_demo
from leitstern.exchange.document import parse
from leitstern.exchange.export import build_document, to_json, to_yaml
from leitstern.exchange.importer import import_document
from leitstern.okrs.models import Cycle
from leitstern.orgs.models import Organization
from leitstern.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Organization:
    load_demo()
    return Organization.objects.get(slug="example")


def test_demo_round_trips_exactly_through_an_empty_organisation(demo) -> None:
    original = build_document(demo)
    empty = factories.organization("copy")
    report = import_document(empty, parse(original))
    assert report.ok, report.errors[:5]
    assert to_json(build_document(empty)) == to_json(original)
    assert to_yaml(build_document(empty)) == to_yaml(original)


def test_reimporting_the_same_file_changes_nothing(demo) -> None:
    doc = parse(build_document(demo))
    report = import_document(demo, doc)
    assert report.ok, report.errors[:5]
    assert not report.changed, (report.created, report.updated)
    assert sum(report.unchanged.values()) > 100


def test_cycle_files_imported_one_after_the_other_restore_every_objective(demo) -> None:
    """What docs/okr-as-code.md promises for organisations too large for one download."""
    empty = factories.organization("copy")
    for cycle in Cycle.objects.filter(organization=demo).order_by("starts_on"):
        report = import_document(empty, parse(build_document(demo, cycle=cycle)))
        assert report.ok, report.errors[:5]
    whole, copy = build_document(demo), build_document(empty)
    assert copy["objectives"] == whole["objectives"]
    assert copy["cycles"] == whole["cycles"] and copy["teams"] == whole["teams"]
