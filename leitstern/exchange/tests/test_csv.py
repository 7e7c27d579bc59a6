"""CSV: the app's own sheet round-trips (also with late check-ins), German Excel both ways."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from leitstern.checkins.models import CheckIn
from leitstern.checkins.services import record_checkin
from leitstern.exchange.csvsheet import parse_date, parse_number, read_rows
from leitstern.exchange.export import safe_cell, to_csv
from leitstern.exchange.importer import import_file
from leitstern.okrs.models import Cycle, KeyResult, Objective, ObjectiveStatus, Phase
from leitstern.okrs.services import add_key_result
from leitstern.orgs.models import Organization
from leitstern.tests import factories

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its person's language for the thread; later tests expect English."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def sheet_org(db: None) -> Organization:
    """A closed cycle with a late check-in, a running one, umlauts, levels, tricky text."""
    org = factories.organization("blatt")
    team = factories.team(org, "Kundenglück")
    past = factories.cycle(org, weeks_ago=17, name="Q3 – Über den Sommer")
    running = factories.cycle(org, weeks_ago=4, name="Q4 2026")
    heard = factories.objective(team, past, "Kundinnen fühlen sich gehört; wirklich")
    share = factories.key_result(
        heard, "Anteil zufriedener Kundinnen", baseline="12.5", target="30.25", unit="%"
    )
    guide = add_key_result(
        objective=heard,
        title="=Onboarding-Leitfaden",
        kind="ordinal",
        commit_level="Entwurf liegt vor",
        target_level="Alle Teams nutzen ihn",
        stretch_level="'+ Kund:innen loben ihn",
    )
    calm = factories.objective(team, running, "Ruhige Nächte")
    pages = factories.key_result(calm, "Nächtliche Alarme", baseline="-5", target="5", unit="")
    Objective.objects.filter(pk=heard.pk).update(status=ObjectiveStatus.COMMITTED)
    week_before = past.ends_on - datetime.timedelta(days=7)
    record_checkin(key_result=share, value=Decimal("14"), confidence=5, on=week_before)
    late = past.ends_on + datetime.timedelta(days=2)  # within late_checkin_days (7)
    record_checkin(
        key_result=share, value=Decimal("17.75"), confidence=6, on=late, note="Spät, aber ehrlich"
    )
    record_checkin(key_result=guide, value=Decimal("2"), confidence=7, on=late)
    record_checkin(key_result=pages, value=Decimal("-1.5"), confidence=4)
    Cycle.objects.filter(pk=past.pk).update(phase=Phase.CLOSED)
    return org


def _last_monday(cycle: Cycle) -> datetime.date:
    return cycle.ends_on - datetime.timedelta(days=cycle.ends_on.weekday())


@pytest.mark.parametrize("dialect", ["standard", "excel-de"])
def test_own_csv_round_trips_through_an_empty_organisation(sheet_org, dialect) -> None:
    first = to_csv(sheet_org, dialect=dialect)
    fresh = factories.organization("frisch")
    report = import_file(first.encode("utf-8"), fresh, name="okrs.csv")
    assert report.ok, report.errors
    assert to_csv(fresh, dialect=dialect) == first
    again = import_file(first.encode("utf-8"), fresh, name="okrs.csv")
    assert again.ok and not again.changed, (again.created, again.updated)
    past = Cycle.objects.get(organization=fresh, name="Q3 – Über den Sommer")
    assert past.phase == Phase.CLOSED
    late = CheckIn.objects.get(organization=fresh, key_result__title="Anteil zufriedener Kundinnen")
    assert late.checked_on > past.ends_on and late.week == _last_monday(past)
    assert late.value == Decimal("17.75") and late.confidence == 6
    guide = KeyResult.objects.get(organization=fresh, title="=Onboarding-Leitfaden")
    assert guide.stretch_level == "'+ Kund:innen loben ihn" and guide.current_value == 2


def test_reimporting_own_csv_keeps_everything_the_sheet_does_not_carry(sheet_org) -> None:
    report = import_file(to_csv(sheet_org).encode(), sheet_org, name="okrs.csv")
    assert report.ok, report.errors
    assert not report.changed, (report.created, report.updated)
    late = CheckIn.objects.get(key_result__title="Anteil zufriedener Kundinnen", confidence=6)
    assert late.note == "Spät, aber ehrlich"
    assert CheckIn.objects.filter(organization=sheet_org).count() == 4


def test_a_check_in_after_the_late_window_is_refused_by_row_and_nothing_is_written(
    sheet_org,
) -> None:
    past = Cycle.objects.get(organization=sheet_org, name="Q3 – Über den Sommer")
    too_late = past.ends_on + datetime.timedelta(days=8)
    sheet = to_csv(sheet_org).replace(
        (past.ends_on + datetime.timedelta(days=2)).isoformat(), too_late.isoformat(), 1
    )
    fresh = factories.organization("frisch")
    report = import_file(sheet.encode(), fresh, name="okrs.csv")
    assert [p for p, _m in report.errors] == ["row 2 (last_checkin)"]
    assert "late check-ins are accepted until" in report.errors[0][1]
    assert not Cycle.objects.filter(organization=fresh).exists()
    assert not Objective.objects.filter(organization=fresh).exists()


def test_excel_de_export_has_bom_semicolons_decimal_commas_and_umlauts(sheet_org) -> None:
    raw = to_csv(sheet_org, dialect="excel-de").encode("utf-8")
    assert raw.startswith(BOM) and b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.startswith("cycle;team;objective;objective_key")
    assert "Q3 – Über den Sommer" in text
    assert '"Kundinnen fühlen sich gehört; wirklich"' in text  # a ; in a cell is quoted
    share = next(r for r in rows if "Anteil zufriedener" in r)
    assert ";12,5;30,25;17,75;6;" in share
    assert "'=Onboarding-Leitfaden" in text and ";-5;5;-1,5;4;" in text


def test_german_excel_sheet_with_bom_decimal_commas_and_german_dates_imports(world) -> None:
    sheet = (
        "Zyklus;Team;Ziel;Schlüsselergebnis;Einheit;Startwert;Zielwert;Aktuell;Zuversicht;"
        "Letzter Check-in;Zyklusbeginn;Zyklusende\r\n"
        "Sommer 2026;Größte Bäckerei;Brötchen überzeugen;Anteil Stammkundschaft;%;"
        "12,5;1.234,75;20,25;7;{day};{start};{end}\r\n"
    )
    start = timezone.localdate() - datetime.timedelta(weeks=30)
    end = start + datetime.timedelta(weeks=13, days=-1)
    day = end - datetime.timedelta(days=1)
    text = sheet.format(
        day=day.strftime("%d.%m.%Y"), start=start.strftime("%d.%m.%Y"), end=end.isoformat()
    )
    report = import_file(BOM + text.encode("utf-8"), world.org, name="Tabelle.csv")
    assert report.ok, report.errors
    kr = KeyResult.objects.get(organization=world.org, title="Anteil Stammkundschaft")
    assert (kr.baseline, kr.target) == (Decimal("12.5"), Decimal("1234.75"))
    assert kr.current_value == Decimal("20.25") and kr.last_checkin_on == day
    assert kr.objective.team.name == "Größte Bäckerei" and kr.objective.cycle.starts_on == start
    notes = "\n".join(report.notes)
    assert "“Zyklusbeginn” → start of the cycle" in notes
    assert "new cycle “Sommer 2026”" in notes and "new team “Größte Bäckerei”" in notes


def test_windows_1252_sheet_without_bom_keeps_its_umlauts(world) -> None:
    sheet = (
        "Ziel;Schlüsselergebnis;Team;Startwert;Zielwert\n"
        "Ärger senken;Beschwerden je Woche;Alpha;9,5;3\n"
    )
    report = import_file(sheet.encode("cp1252"), world.org, name="alt.csv")
    assert report.ok, report.errors
    kr = KeyResult.objects.get(organization=world.org, title="Beschwerden je Woche")
    assert kr.objective.title == "Ärger senken" and kr.baseline == Decimal("9.5")


def test_separator_comes_from_the_header_not_from_decimal_commas() -> None:
    rows = read_rows(b"Ziel;KR;Team\nA,b,c;1,5;x\nB;2,5;y\n")
    assert rows == [["Ziel", "KR", "Team"], ["A,b,c", "1,5", "x"], ["B", "2,5", "y"]]
    assert read_rows(b'Objective,KR,Team\nA;b,"1,5",x\n')[1] == ["A;b", "1,5", "x"]
    assert read_rows(b"Objective\tKR\tTeam\nA\t1,5\tx\n")[1] == ["A", "1,5", "x"]
    assert read_rows(b"sep=;\r\nObjective;KR\r\nA;1,5\r\n") == [["Objective", "KR"], ["A", "1,5"]]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("40 %", "40"),
        ("−3,25", "-3.25"),
        ("1\u00a0000", "1000"),
        ("", None),
    ],
)
def test_numbers_as_spreadsheets_write_them(cell, value) -> None:
    assert parse_number(cell) == (None if value is None else Decimal(value))


def test_dates_as_spreadsheets_write_them() -> None:
    day = datetime.date(2026, 10, 29)
    assert parse_date("2026-10-29") == parse_date("29.10.2026") == parse_date("29.10.26") == day
    assert parse_date("2026-10-29 00:00:00") == day
    with pytest.raises(ValueError, match="not a date"):
        parse_date("10/29/2026")


def test_formula_guard_reverses_exactly() -> None:
    from leitstern.exchange.csvsheet import unescape

    for text in ["=SUM(A1)", "'=quoted", "''", "'", "'plain", "-", "@home", "Plain", "\t"]:
        assert unescape(safe_cell(text)) == text


def test_csv_export_queries_do_not_grow_with_the_sheet(sheet_org) -> None:
    with CaptureQueriesContext(connection) as small_queries:
        small = to_csv(sheet_org)
    team = factories.team(sheet_org, "Zweites Team")
    cycle = Cycle.objects.get(organization=sheet_org, name="Q4 2026")
    for i in range(4):
        objective = factories.objective(team, cycle, f"Ziel {i}")
        for j in range(3):
            record_checkin(
                key_result=factories.key_result(objective, f"KR {i}.{j}"),
                value=Decimal("15"),
                confidence=5,
            )
    with CaptureQueriesContext(connection) as large_queries:
        large = to_csv(sheet_org)
    assert len(large.splitlines()) == len(small.splitlines()) + 12
    assert len(large_queries) == len(small_queries) <= 4


# ---- web and command line


def test_export_page_offers_excel_csv_in_the_readers_language(world, client: Client) -> None:
    world.facilitator.person.language = "de"
    world.facilitator.person.save()
    client.force_login(world.facilitator.person)
    page = client.get("/o/acme/exchange/").content.decode()
    assert "CSV für Excel (deutsch: Semikolons, Dezimalkomma)" in page
    assert "?download=csv&amp;dialect=excel-de" in page
    download = client.get("/o/acme/exchange/", {"download": "csv", "dialect": "excel-de"})
    assert download.content.startswith(BOM) and b"cycle;team;objective" in download.content
    assert download["Content-Disposition"].endswith('-excel-de.csv"')
    world.facilitator.person.language = "en"
    world.facilitator.person.save()
    assert b"CSV for Excel (German" in client.get("/o/acme/exchange/").content


def test_excel_csv_uploaded_on_the_page_previews_and_imports(sheet_org, client: Client) -> None:
    fresh = factories.organization("frisch")
    admin = factories.member(fresh, "admin")
    client.force_login(admin.person)
    upload = io.BytesIO(to_csv(sheet_org, dialect="excel-de").encode("utf-8"))
    upload.name = "blatt-okrs-excel-de.csv"
    preview = client.post("/o/frisch/exchange/", {"file": upload})
    assert preview.context["report"].ok, preview.context["report"].errors
    done = client.post("/o/frisch/exchange/", {"confirm": preview.context["pending"].token})
    assert done.status_code == 302
    assert to_csv(fresh, dialect="excel-de") == to_csv(sheet_org, dialect="excel-de")


def test_export_command_writes_the_excel_dialect(sheet_org, tmp_path) -> None:
    target = tmp_path / "blatt.csv"
    call_command(
        "export", "--org", "blatt", "--format", "csv", "--dialect", "excel-de", "-o", str(target)
    )
    raw = target.read_bytes()
    assert raw == to_csv(sheet_org, dialect="excel-de").encode("utf-8")
    assert raw.startswith(BOM) and raw.count(b"\r\n") == len(raw.splitlines())
    fresh = factories.organization("frisch")
    out = io.StringIO()
    call_command("import", str(target), "--org", "frisch", stdout=out)
    assert "Imported into frisch." in out.getvalue()
    assert to_csv(fresh, dialect="excel-de").encode("utf-8") == raw


def test_status_columns_of_other_tools_are_reported_not_refused(world) -> None:
    sheet = b"Objective,Key result,Team,Start,Target,Status\nCalm,Pages,Alpha,9,3,On track\n"
    report = import_file(sheet, world.org, name="other-tool.csv")
    assert report.ok, report.errors
    notes = "\n".join(report.notes)
    assert "column “Status”: “On track” left out" in notes and "draft, committed" in notes
    objective = Objective.objects.get(organization=world.org, title="Calm")
    assert objective.status == ObjectiveStatus.DRAFT


def test_a_refused_sheet_still_shows_how_its_columns_were_read(world) -> None:
    sheet = b"Ziel;Schl\xc3\xbcsselergebnis;Team;Startwert;Zielwert\nA;B;Alpha;viel;3\n"
    report = import_file(sheet, world.org, name="blatt.csv")
    assert report.errors == [
        ("row 2 (Startwert)", "“viel” is not a number; write it like 12.5 or 12,5")
    ]
    assert "  “Startwert” → start" in report.notes


def test_a_sheet_creates_cycles_but_never_changes_one(sheet_org) -> None:
    reopened = to_csv(sheet_org).replace(",closed\n", ",running\n")
    report = import_file(reopened.encode(), sheet_org, name="old.csv")
    assert report.ok and not report.changed, (report.created, report.updated)
    assert "the cycle “Q3 – Über den Sommer” keeps its dates and phase" in "\n".join(report.notes)
    past = Cycle.objects.get(organization=sheet_org, name="Q3 – Über den Sommer")
    assert past.phase == Phase.CLOSED
