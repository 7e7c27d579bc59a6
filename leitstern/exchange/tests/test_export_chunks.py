"""The export reads objectives in chunks: the document is the same whatever the chunk size."""

from __future__ import annotations

import pytest

from leitstern.exchange import export, rows
from leitstern.tests import factories as f

pytestmark = pytest.mark.django_db


def test_chunked_export_equals_one_chunk(world: f.World, monkeypatch: pytest.MonkeyPatch) -> None:
    for title in ("Second objective of Alpha", "Third objective of Alpha"):
        f.key_result(f.objective(world.team, world.cycle, title))
    beta = f.objective(world.other_team, world.cycle, "Beta's outcome")
    f.checkin(f.key_result(beta), "12", 5)
    f.checkin(world.key_result, "20", 6)
    whole = export.build_document(world.org)
    monkeypatch.setattr(rows, "OBJECTIVES_PER_CHUNK", 1)
    seen: list[tuple[int, int]] = []
    chunked = export.build_document(world.org, progress=lambda i, n: seen.append((i, n)))
    assert chunked == whole
    assert len(whole["objectives"]) == 4
    assert seen[-1] == (4, 4)
    assert whole["objectives"][0]["key_results"][0]["checkins"]  # history travels along
