"""Property: for any valid document, import → export → import elsewhere → export is stable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitstern.exchange.document import parse
from leitstern.exchange.export import build_document, to_json, to_yaml
from leitstern.exchange.importer import import_document
from leitstern.tests import factories

pytestmark = pytest.mark.django_db

_orgs = count(1)
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
title = text.map(str.strip).filter(bool)
amount = st.decimals(
    min_value=Decimal("-99999"), max_value=Decimal("99999"), places=2, allow_nan=False
)


@st.composite
def key_result(draw: st.DrawFn, n: int) -> dict:
    baseline = draw(amount)
    target = draw(amount.filter(lambda t: t != baseline))
    return {
        "key": f"kr-{n}",
        "title": draw(title),
        "hypothesis": draw(text),
        "unit": draw(st.sampled_from(["", "%", "€", "Tage"])),
        "baseline": str(baseline),
        "target": float(target) if draw(st.booleans()) else str(target),
        "leading_indicators": [{"key": f"li-{n}", "name": draw(title)}]
        if draw(st.booleans())
        else [],
    }


@st.composite
def document(draw: st.DrawFn) -> dict:
    teams = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    start = datetime.date(2025, 1, 6)
    objectives = []
    for i in range(draw(st.integers(0, 4))):
        krs = [draw(key_result(i * 10 + j)) for j in range(draw(st.integers(0, 3)))]
        objectives.append(
            {
                "key": f"o-{i}",
                "cycle": "Q1",
                "team": draw(st.sampled_from(teams)),
                "title": draw(title),
                "why": draw(text),
                "kind": draw(st.sampled_from(["committed", "aspirational"])),
                "key_results": krs,
                "contributes_to": ["o-0"] if i > 0 and draw(st.booleans()) else [],
            }
        )
    return {
        "leitstern": 1,
        "frame": {"vision": draw(text), "purpose": draw(text)},
        "teams": [
            {"slug": t, "name": t.upper(), "parent": "a" if t != "a" else None} for t in teams
        ]
        if "a" in teams
        else [{"slug": t, "name": t.upper()} for t in teams],
        "cycles": [
            {
                "name": "Q1",
                "starts_on": start.isoformat(),
                "ends_on": (start + datetime.timedelta(days=90)).isoformat(),
            }
        ],
        "objectives": objectives,
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=document())
def test_export_import_export_is_the_same_file(db: None, doc: dict) -> None:
    first = factories.organization(f"prop-a-{next(_orgs)}")
    report = import_document(first, parse(doc))
    assert report.ok, report.errors
    exported = build_document(first)
    second = factories.organization(f"prop-b-{next(_orgs)}")
    assert import_document(second, parse(exported)).ok
    assert to_json(build_document(second)) == to_json(exported)
    assert to_yaml(build_document(second)) == to_yaml(exported)
    assert not import_document(second, parse(exported)).changed
