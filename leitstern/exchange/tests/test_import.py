"""Import: validation with paths, atomicity, dry run, person refusal, CSV, web and API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from leitstern.exchange.document import MAX_BYTES, DocumentError, load_data, parse
from leitstern.exchange.export import build_document, safe_cell, to_csv, to_json
from leitstern.exchange.importer import import_document, import_file
from leitstern.okrs.models import KeyResult, Objective
from leitstern.orgs.models import Team
from leitstern.tests import factories
from leitstern.tests.apiclient import ApiClient, assert_problem

pytestmark = pytest.mark.django_db


def _doc(**objective):
    return {
        "leitstern": 1,
        "teams": [{"slug": "ops", "name": "Ops"}],
        "cycles": [{"name": "Q1", "starts_on": "2026-01-05", "ends_on": "2026-04-05"}],
        "objectives": [
            {
                "key": "calm-nights",
                "cycle": "Q1",
                "team": "ops",
                "title": "Calm nights on call",
                "key_results": [
                    {"key": "pages", "title": "Night pages per week", "baseline": 12, "target": 3}
                ],
                **objective,
            }
        ],
    }


def _facilitator_doc(world):
    """Facilitators import OKRs for existing teams; the team tree is the admins'."""
    return {**_doc(team=world.team.slug), "teams": []}


def test_hand_written_file_imports_and_reimport_changes_nothing(world) -> None:
    report = import_document(world.org, parse(_doc()))
    assert report.ok and report.created["objective"] == 1 and report.created["key_result"] == 1
    again = import_document(world.org, parse(_doc()))
    assert again.ok and not again.changed
    assert (
        Objective.objects.filter(organization=world.org, title="Calm nights on call").count() == 1
    )


def test_every_error_is_reported_with_its_path_and_nothing_is_written(world) -> None:
    doc = _doc()
    doc["objectives"][0]["key_results"].append(
        {"key": "same", "title": "X", "baseline": 5, "target": 5}
    )
    doc["objectives"].append({"key": "b", "cycle": "Q9", "team": "ops", "title": "Ghost cycle"})
    report = import_document(world.org, parse(doc))
    assert not report.ok
    paths = [p for p, _m in report.errors]
    assert "objectives[0].key_results[1]" in paths[0] and "objectives[1].cycle" in paths
    assert any("describe no change" in m for _p, m in report.errors)
    assert not Team.objects.filter(organization=world.org, slug="ops").exists()


def test_structural_errors_name_each_path(world) -> None:
    doc = _doc()
    doc["objectives"][0]["key_results"][0]["target"] = "lots"
    doc["cycles"][0]["starts_on"] = "someday"
    with pytest.raises(DocumentError) as caught:
        parse(doc)
    paths = [p for p, _m in caught.value.errors]
    assert "objectives[0].key_results[0].target" in paths and "cycles[0].starts_on" in paths


def test_person_as_owner_is_refused_with_the_explanation(world) -> None:
    with pytest.raises(DocumentError) as caught:
        parse(_doc(owner="anna@example.test"))
    path, message = caught.value.errors[0]
    assert path == "objectives[0].owner" and "team OKRs only" in message


def test_dry_run_reports_and_writes_nothing(world) -> None:
    report = import_document(world.org, parse(_doc()), dry_run=True)
    assert report.ok and report.created["objective"] == 1
    assert "would be created" in report.summary()[0] or any(
        "would be" in s for s in report.summary()
    )
    assert not Objective.objects.filter(title="Calm nights on call").exists()


def test_yaml_is_loaded_safely_and_size_is_limited() -> None:
    with pytest.raises(DocumentError) as caught:
        load_data(b"!!python/object/apply:os.system ['echo hi']", name="x.yaml")
    assert "not valid YAML" in caught.value.errors[0][1]
    with pytest.raises(DocumentError) as too_big:
        load_data(b" " * (MAX_BYTES + 1), name="x.json")
    assert "20 MB" in too_big.value.errors[0][1]


def test_import_command_exit_codes_and_messages(world, tmp_path, capsys) -> None:
    good = tmp_path / "okrs.json"
    good.write_text(json.dumps(_doc()))
    call_command("import", str(good), "--org", "acme", "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_doc(owner="kim")))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(bad), "--org", "acme")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("import", str(good), "--org", "nope")


def test_export_command_writes_json_yaml_and_csv(world, tmp_path) -> None:
    out = io.StringIO()
    call_command("export", "--org", "acme", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["objectives"][0]["title"] == world.objective.title
    target = tmp_path / "okrs.yaml"
    call_command(
        "export", "--org", "acme", "--format", "yaml", "-o", str(target), stderr=io.StringIO()
    )
    assert "leitstern: 1" in target.read_text()
    with pytest.raises(CommandError, match="No cycle"):
        call_command("export", "--org", "acme", "--cycle", "nope", stdout=io.StringIO())


def test_export_never_contains_another_organisation(world) -> None:
    text = to_json(build_document(world.org))
    assert "Globex private plans" not in text and "@" not in text


# ---- CSV


def test_csv_export_neutralises_formulas() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM") == "'@SUM" and safe_cell(-5) == "-5" and safe_cell("Plain") == "Plain"


def test_csv_export_has_a_row_per_key_result(world) -> None:
    world.key_result.title = "=cmd|' /C calc'!A0"
    world.key_result.save()
    rows = to_csv(world.org).splitlines()
    assert rows[0].startswith("cycle,team,objective") and len(rows) == 2
    assert "'=cmd" in rows[1]


CSV = """Objective;Key Result;Team;Einheit;Startwert;Zielwert;Aktuell;Zuversicht
Calm nights;Night pages per week;Alpha;pages;12;3;9;6
Calm nights;MTTR in minutes;Alpha;min;40;20;;
New friends;Referrals per month;Vertrieb;;2;10;;
"""


def test_csv_import_maps_common_headers_and_reports_the_mapping(world) -> None:
    report = import_file(CSV.encode(), world.org, name="sheet.csv")
    assert report.ok, report.errors
    notes = "\n".join(report.notes)
    assert "“Startwert” → start" in notes and "“Zuversicht” → confidence" in notes
    assert "new team “Vertrieb”" in notes
    kr = KeyResult.objects.get(organization=world.org, title="Night pages per week")
    assert kr.current_value == 9 and kr.current_confidence == 6
    again = import_file(CSV.encode(), world.org, name="sheet.csv")
    assert again.ok and not again.changed


def test_csv_with_an_owner_column_is_refused(world) -> None:
    report = import_file(
        b"Objective,Key result,Team,Owner\nA,B,Alpha,kim\n", world.org, name="x.csv"
    )
    assert not report.ok and "team OKRs only" in report.errors[0][1]


def test_csv_errors_name_the_row(world) -> None:
    sheet = b"objective,key result,team,start,target\nA,B,Alpha,5,5\nC,D,Alpha,x,3\n"
    report = import_file(sheet, world.org, name="x.csv")
    assert [p for p, _m in report.errors] == ["row 3 (start)"]
    sheet = b"objective,key result,team,start,target\nA,B,Alpha,5,5\n"
    report = import_file(sheet, world.org, name="x.csv")
    assert report.errors and report.errors[0][0].startswith("row 2")


# ---- web and API


def test_exchange_page_for_facilitators_with_preview_then_confirm(world, client) -> None:
    client.force_login(world.facilitator.person)
    page = client.get("/o/acme/exchange/")
    assert page.status_code == 200 and b"Download YAML" in page.content
    download = client.get("/o/acme/exchange/", {"download": "yaml"})
    assert (
        download["Content-Disposition"].startswith("attachment")
        and b"leitstern: 1" in download.content
    )
    upload = io.BytesIO(json.dumps(_facilitator_doc(world)).encode())
    upload.name = "okrs.json"
    preview = client.post("/o/acme/exchange/", {"file": upload})
    assert b"Import now" in preview.content
    assert not Objective.objects.filter(title="Calm nights on call").exists()
    token = preview.context["pending"].token
    done = client.post("/o/acme/exchange/", {"confirm": token})
    assert done.status_code == 302
    assert Objective.objects.filter(title="Calm nights on call").exists()


def test_exchange_page_shows_errors_and_refuses_members(world, client) -> None:
    client.force_login(world.member.person)
    assert client.get("/o/acme/exchange/").status_code == 403
    client.force_login(world.outsider.person)
    assert client.get("/o/acme/exchange/").status_code == 404
    client.force_login(world.admin.person)
    upload = io.BytesIO(json.dumps(_doc(owner="x")).encode())
    upload.name = "okrs.json"
    response = client.post("/o/acme/exchange/", {"file": upload})
    assert b"nothing was imported" in response.content and b"team OKRs only" in response.content


def test_api_export_and_import(world) -> None:
    cache.clear()
    client = ApiClient(world.facilitator)
    exported = client.get("/export").json()
    assert exported["leitstern"] == 1
    doc = _facilitator_doc(world)
    assert client.post("/import?dry_run=true", doc).json()["created"]["objective"] == 1
    assert not Objective.objects.filter(title="Calm nights on call").exists()
    assert client.post("/import", doc).json()["changed"] is True
    new_team = assert_problem(client.post("/import", _doc()), 422)
    assert "only admins create or rename teams" in json.dumps(new_team)
    refused = client.post("/import", _doc(assignee="kim"))
    assert assert_problem(refused, 422)["type"].endswith("team-okrs-only")
    assert_problem(ApiClient(world.member).get("/export"), 403)


def test_round_trip_keeps_uuids_when_restoring_into_a_fresh_installation(world) -> None:
    doc = build_document(world.org)
    key = doc["objectives"][0]["key"]
    Objective.objects.filter(organization=world.org).delete()
    empty = factories.organization("fresh")
    assert import_document(empty, parse(doc)).ok
    assert str(Objective.objects.get(organization=empty).uuid) == key


def test_import_never_writes_back_the_values_check_ins_derive(world) -> None:
    from leitstern.exchange.importer import _stored_fields

    fields = _stored_fields(world.key_result)
    assert "title" in fields and "target" in fields
    assert not {"current_value", "current_confidence", "last_checkin_on"} & set(fields)
    assert "title" in _stored_fields(world.objective)
