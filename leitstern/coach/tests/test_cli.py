"""The command line, called through main() with StringIO streams."""

from __future__ import annotations

import io
import json
from pathlib import Path

from leitstern.coach.cli import main


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_readable_review() -> None:
    code, out, err = run(["Launch the new onboarding"])
    assert code == 0 and err == ""
    assert "Kind: output" in out
    assert "Language: en" in out
    assert "KR_OUTPUT" in out
    assert "Suggestion: What changes for users once the new onboarding is launched?" in out


def test_readable_review_in_german_for_a_german_reader() -> None:
    code, out, _ = run(["Keep uptime at 99.9%", "--lang", "de"])
    assert code == 0
    assert "Art: kpi_maintenance" in out
    assert "Sprache: en" in out
    assert "Wahrscheinlich: KPI-Pflege" in out


def test_text_may_come_in_several_words() -> None:
    code, out, _ = run(["Reduce", "churn", "from", "5%", "to", "3%"])
    assert code == 0
    assert "Kind: outcome" in out
    assert "Findings: none" in out


def test_json_output() -> None:
    code, out, _ = run(["--json", "Maximize revenue"])
    data = json.loads(out)
    assert code == 0
    assert data["kind"] == "unmeasurable"
    assert "MAXIMIZE_WITHOUT_TARGET" in [f["code"] for f in data["findings"]]


def test_jsonl_good_and_bad_lines_keep_order() -> None:
    lines = [
        json.dumps({"text": "Launch the new onboarding", "id": 1}),
        "",
        "{not json",
        json.dumps({"text": 5}),
        json.dumps({"objective": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Kündigungsquote senken", "lang": "fr"}),
        json.dumps({"text": "Kündigungsquote senken", "objective": 3}),
        json.dumps({"text": "NPS steigern", "target": "viel"}),
        json.dumps({"text": "Kündigungsquote von 5 % auf 3 % senken", "lang": "de"}),
    ]
    code, out, err = run(["--jsonl", "-"], "\n".join(lines) + "\n")
    rows = out.split("\n")[:-1]
    assert code == 0 and err == ""
    assert len(rows) == len(lines)
    first = json.loads(rows[0])
    assert first["id"] == 1 and first["kind"] == "output" and first["lang"] == "en"
    assert first["findings"][0] == {"code": "KR_OUTPUT", "message": first["findings"][0]["message"]}
    assert set(first["findings"][0]) == {"code", "message"}
    assert first["suggestion"].startswith("What changes for users")
    assert rows[1] == ""
    bad = json.loads(rows[2])
    assert bad["raw"] == "{not json" and "invalid JSON" in bad["error"]
    for row in rows[3:9]:
        assert "error" in json.loads(row)
    assert json.loads(rows[3])["text"] == 5
    last = json.loads(rows[9])
    assert last["kind"] == "outcome" and last["findings"] == [] and last["suggestion"] is None


def test_jsonl_reader_language_flag(tmp_path: Path) -> None:
    source = tmp_path / "krs.jsonl"
    source.write_text(json.dumps({"text": "Launch the new onboarding"}) + "\n", encoding="utf-8")
    code, out, _ = run(["--jsonl", str(source), "--lang", "de"])
    row = json.loads(out)
    assert code == 0
    assert row["lang"] == "en"
    assert row["findings"][0]["message"].startswith("Wahrscheinlich: ein Output")


def test_jsonl_reads_stdin_without_file_argument() -> None:
    code, out, _ = run(["--jsonl"], json.dumps({"text": "Hold 4 workshops"}) + "\n")
    assert code == 0
    assert json.loads(out)["kind"] == "activity"


def test_file_not_found_is_exit_1_without_traceback() -> None:
    code, out, err = run(["--jsonl", "/no/such/file.jsonl"])
    assert code == 1 and out == ""
    assert "cannot read /no/such/file.jsonl" in err
    assert "Traceback" not in err


def test_usage_errors_are_exit_2() -> None:
    for argv in ([], ["--lang", "fr", "text"], ["--jsonl", "a", "b"], ["--unknown"]):
        code, _, err = run(argv)
        assert code == 2, argv
        assert "usage: leitstern coach" in err
        assert "Traceback" not in err


def test_help_is_exit_0() -> None:
    code, out, _ = run(["--help"])
    assert code == 0
    assert "leitstern coach" in out and "--jsonl" in out
