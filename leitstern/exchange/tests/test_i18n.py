"""Every message of an import reaches people in their language (English, German)."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation

from leitstern.exchange.document import MAX_BYTES, DocumentError, load_data, parse
from leitstern.exchange.importer import Report, import_document, import_file
from leitstern.okrs.models import Cycle, Objective
from leitstern.tests import factories

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[1] / "locale/de/LC_MESSAGES/django.po"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its person's language for the thread; later tests expect English."""
    with translation.override(translation.get_language()):
        yield


def _bad_document(world) -> dict:
    return {
        "leitstern": 1,
        "teams": [{"slug": "ops", "name": "Ops"}],
        "cycles": [{"name": "Q1", "starts_on": "someday", "ends_on": "2026-04-05"}],
        "objectives": [
            {
                "key": "o",
                "cycle": "Q1",
                "team": "ops",
                "title": "Calm nights",
                "key_results": [{"key": "k", "title": "Pages", "baseline": 3, "target": "lots"}],
                "colour": "blue",
            }
        ],
    }


def _upload(client: Client, name: str, content: bytes) -> str:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/o/acme/exchange/", {"file": upload}).content.decode()


def _speaking(world, language: str) -> Client:
    world.admin.person.language = language
    world.admin.person.save()
    client = Client()
    client.force_login(world.admin.person)
    return client


def test_upload_page_shows_problems_in_german_to_a_german_user(world) -> None:
    page = _upload(_speaking(world, "de"), "okrs.json", json.dumps(_bad_document(world)).encode())
    assert "3 Probleme gefunden – nichts wurde importiert." in page
    assert "„lots“ ist keine Zahl; schreibt sie wie 12.5 (mit Punkt)" in page
    assert "hier wird ein Datum erwartet, geschrieben als Jahr-Monat-Tag" in page
    assert "unbekanntes Feld: prüft die Schreibweise" in page
    assert "<code>objectives[0].key_results[0].target</code>" in page
    assert "is not a number" not in page and "unknown field" not in page


def test_upload_page_shows_problems_in_english_to_an_english_user(world) -> None:
    page = _upload(_speaking(world, "en"), "okrs.json", json.dumps(_bad_document(world)).encode())
    assert "3 problems found — nothing was imported." in page
    assert "“lots” is not a number; write it like 12.5" in page
    assert "unknown field: check its spelling" in page
    assert "keine Zahl" not in page


def test_csv_problems_name_row_and_column_in_the_users_language(world) -> None:
    sheet = "Ziel;Schlüsselergebnis;Team;Startwert;Zielwert;Zuversicht;Aktuell\n"
    sheet += "A;B;Alpha;5;7;8;6\nC;D;Alpha;viel;3;11;2\n"
    german = _upload(_speaking(world, "de"), "blatt.csv", sheet.encode())
    assert "<code>Zeile 3 (Startwert)</code>: „viel“ ist keine Zahl" in german
    assert "<code>Zeile 3 (Zuversicht)</code>: die Zuversicht ist eine ganze Zahl" in german
    english = _upload(_speaking(world, "en"), "blatt.csv", sheet.encode())
    assert "<code>row 3 (Startwert)</code>: “viel” is not a number" in english
    assert not Objective.objects.filter(title__in=["A", "C"]).exists()


def test_preview_report_is_in_the_users_language(world) -> None:
    sheet = "Objective,Key result,Team,Start,Target\nCalm nights,Pages per week,Alpha,9,3\n"
    page = _upload(_speaking(world, "de"), "okrs.csv", sheet.encode())
    assert "Vorschau: Das würde der Import ändern." in page
    assert "Zuordnung der Spalten:" in page and "„Start“ → Ausgangswert" in page
    assert "Objectives: 1 würden angelegt, 0 würden aktualisiert, 0 unverändert" in page


def test_import_command_speaks_the_organisations_language_or_the_chosen_one(
    world, tmp_path, capsys
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_bad_document(world)))
    world.org.language = "de"
    world.org.save()
    with pytest.raises(CommandError, match="3 Probleme gefunden; nichts wurde importiert"):
        call_command("import", str(bad), "--org", "acme")
    assert "„lots“ ist keine Zahl" in capsys.readouterr().err
    with pytest.raises(CommandError, match="3 problems found; nothing was imported"):
        call_command("import", str(bad), "--org", "acme", "--language", "en")
    assert "“lots” is not a number" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("Objective,Key result,Team,Start,Target\nCalm,Pages,Alpha,9,3\n")
    call_command("import", str(good), "--org", "acme", "--dry-run")
    out = capsys.readouterr().out
    assert "Probelauf: Nichts wurde geschrieben." in out and "„Start“ → Ausgangswert" in out
    with pytest.raises(CommandError, match="Es gibt keine Organisation „nope“"):
        call_command("import", str(good), "--org", "nope", "--language", "de")


# ---- every message, in both languages


def _messages(outcome: Report | DocumentError) -> list[str]:
    if isinstance(outcome, DocumentError):
        return [f"{p}: {m}" for p, m in outcome.errors]
    return [f"{p}: {m}" for p, m in outcome.errors] + outcome.notes + outcome.summary()


def _raises(action: Callable[[], object]) -> DocumentError:
    try:
        action()
    except DocumentError as exc:
        return exc
    raise AssertionError("no DocumentError")


def _syntax_cases() -> list[Callable[[], DocumentError]]:
    files = [
        (b'{"leitstern": 1,, }', "x.json"),
        (b'{"leitstern": 1 "teams": []}', "x.json"),
        (b'{"leitstern": 1} trailing', "x.json"),
        (b'{"a": "line\nbreak"}', "x.json"),
        (b'{"a" 1}', "x.json"),
        (b"{a: 1}", "x.json"),
        (b'{"a": "open', "x.json"),
        (b"a: b: c", "x.yaml"),
        (b"a:\n\t- b", "x.yaml"),
        (b"- &x a\n- *x", "x.yaml"),
        (b"!!python/object/apply:os.system ['echo hi']", "x.yaml"),
        (b"a: [1, 2", "x.yaml"),
        (b"a:\n  b: 1\n c: 2", "x.yaml"),
        (b"\xff\xfe", "x.yaml"),
        (b"[" * 5000, "x.json"),
        (b" " * (MAX_BYTES + 1), "x.json"),
    ]
    return [
        lambda raw=raw, name=name: _raises(lambda: load_data(raw, name=name)) for raw, name in files
    ]


def _structure_cases() -> list[Callable[[], DocumentError]]:
    wrong = {
        "leitstern": 1,
        "settings": {"max_objectives_per_team": 99, "late_checkin_days": "x", "language": "fr"},
        "frame": [1],
        "moals": [{"key": "m", "title": "t", "archived": "vielleicht", "horizon": 5}],
        "teams": [{"slug": "a b", "name": ""}, 5],
        "cycles": [{"name": "x" * 90, "starts_on": "2026-01-01T10:00:00", "ends_on": "1"}],
        "objectives": [
            {
                "key": "k",
                "cycle": 1,
                "team": "t",
                "title": "x",
                "committed_at": "yesterday",
                "moals": "m",
                "key_results": [
                    {
                        "key": "a",
                        "title": "b",
                        "baseline": True,
                        "target": "1e20",
                        "checkins": [
                            {
                                "week": "2026-01-05",
                                "checked_on": "2026-01-05",
                                "value": None,
                                "confidence": 1.5,
                                "note": "a\x00",
                                "indicator_values": [],
                            }
                        ],
                    }
                ],
            }
        ],
        "health_metrics": [{"key": "m", "name": "n", "readings": [{"value": "NaN"}]}],
        "unknown": 1,
    }
    docs = [wrong, [1], {"leitstern": 2}, {"leitstern": 1, "objectives": [{"owner": "kim"}]}]
    return [lambda doc=doc: _raises(lambda: parse(doc)) for doc in docs]


def _import_cases(world) -> list[Callable[[], Report]]:
    cycle, team, other = world.cycle, world.team.slug, world.other_team.slug
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    def monday(day: datetime.date) -> str:
        return (day - datetime.timedelta(days=day.weekday())).isoformat()

    def checkin(day: datetime.date, week: str, **more: object) -> dict:
        return {"week": week, "checked_on": day.isoformat(), "value": 1, "confidence": 5, **more}

    objective = {
        "key": "o3",
        "cycle": cycle.name,
        "team": team,
        "title": "y",
        "carried_over_from": "zz",
        "contributes_to": ["oo"],
        "key_results": [
            {"key": "k1", "title": "same", "baseline": 5, "target": 5},
            {
                "key": "k2",
                "title": "t",
                "baseline": 1,
                "target": 2,
                "checkins": [
                    checkin(tomorrow, monday(tomorrow)),
                    checkin(today, "2020-01-06"),
                    checkin(cycle.starts_on - datetime.timedelta(days=1), "2020-01-06"),
                    checkin(today, monday(today), indicator_values={"li": 3}),
                ],
            },
        ],
    }
    errors = {
        "leitstern": 1,
        "moals": [{"key": "m1", "title": "M"}, {"key": "m1", "title": "dup"}],
        "objectives": [
            {"key": "o1", "cycle": cycle.name, "team": "nope", "title": "x"},
            {"key": "o2", "cycle": "Q9", "team": team, "title": "x"},
            objective,
            {**objective, "key": "o4", "carried_over_from": None, "moals": ["mm"]},
        ],
        "learnings": [{"key": "l1", "team": team, "text": "x", "key_result": "kk"}],
    }
    krs = [{"key": f"kr{i}", "title": f"KR {i}", "baseline": 1, "target": 2} for i in range(6)]
    limits = {
        "leitstern": 1,
        "objectives": [
            {
                "key": f"o{i}",
                "cycle": cycle.name,
                "team": team,
                "title": f"O {i}",
                "key_results": krs,
            }
            for i in range(6)
        ][:6],
    }
    facilitator = {
        "leitstern": 1,
        "settings": {"pulse_min_responses": 9},
        "teams": [
            {"slug": "newteam", "name": "New"},
            {"slug": team, "name": world.team.name, "parent": other},
        ],
    }
    preview = {"leitstern": 1, "teams": [{"slug": "ops", "name": "Ops"}]}
    return [
        lambda: import_document(world.org, parse(errors)),
        lambda: import_document(world.org, parse(limits)),
        lambda: import_document(world.org, parse(facilitator), admin=False),
        lambda: import_document(world.org, parse(preview), dry_run=True),
    ]


def _csv_cases(world) -> list[Callable[[], Report]]:
    header = "Ziel;Schlüsselergebnis;Team;Startwert;Zielwert;Aktuell;Zuversicht;Letzter Check-in;"
    header += "Zyklus;Zyklusbeginn;Zyklusende;Status;Art;Zyklusphase\n"
    rows = [
        ";B;Alpha;1;2;;;;;;;;;",
        "A;B;Alpha;x;2,5;3;;;;;;;;",
        "A;C;Alpha;1;2;3;11;;;;;;;",
        "A;D;Alpha;1;2;3;5;gestern;;;;;;",
        "A;E;Alpha;1;2;;;;Neu;2026-01-05;;;;",
        "A;F;Alpha;1;2;;;;Neu2;2026-01-05;2026-03-01;fertig;rund;bald",
        "A;G;Alpha;1;2;;;;Neu2;2026-01-12;2026-03-01;;;",
    ]
    sheets = [
        b"",
        b"Titel,Wert\nA,1\n",
        b"Objective,Key result,Team,Owner\nA,B,Alpha,kim\n",
        (header + "\n".join(rows) + "\n").encode(),
        b"Objective,Key result,Team,Current\nA,B,Neues Team,5\n",
        b"Objective,Key result,Team,Start,Target\nA,B,Alpha,1,1\n",
    ]
    kept = f"Objective,KR,Team,Cycle,Cycle start,Cycle end\nA,B,Alpha,{world.cycle.name},"
    sheets.append(f"{kept}2020-01-06,2020-03-01\n".encode())
    no_cycles = factories.organization("leer")
    cases: list[Callable[[], Report]] = [
        lambda sheet=sheet: import_file(sheet, world.org, name="x.csv", dry_run=True)
        for sheet in sheets
    ]
    cases.append(lambda: import_file(b"Objective,KR,Team\nA,B,C\n", no_cycles, name="x.csv"))
    return cases


def test_every_import_message_has_a_german_translation(world) -> None:
    cases: list[Callable[[], object]] = [
        *_syntax_cases(),
        *_structure_cases(),
        *_import_cases(world),
        *_csv_cases(world),
    ]
    total = 0
    for case in cases:
        with translation.override("en"):
            english = _messages(case())  # type: ignore[arg-type]
        with translation.override("de"):
            german = _messages(case())  # type: ignore[arg-type]
        assert english and len(english) == len(german), (english, german)
        same = [(e, g) for e, g in zip(english, german, strict=True) if e == g]
        assert same == [], same
        total += len(english)
    assert total > 80
    assert not Cycle.objects.filter(name__startswith="Neu").exists()


def test_catalogue_is_complete() -> None:
    """No untranslated or fuzzy entry in the exchange catalogue (the header aside)."""
    entries = CATALOGUE.read_text().split("\n\n")[1:]
    assert entries
    for entry in entries:
        lines = entry.strip().splitlines()
        assert not any(line.startswith("#,") and "fuzzy" in line for line in lines), entry
        translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', entry, re.M)
        assert translations and all(a or b for a, b in translations), entry
