"""Export an organisation's OKR work as an OKR-as-code document (JSON, YAML) or a CSV sheet.

The output is deterministic: the same data gives the same bytes, so files diff cleanly
under version control, and export → import → export gives the same file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from leitstern.checkins.models import CheckIn
from leitstern.exchange.render import compact_json_pieces, json_pieces, yaml_pieces
from leitstern.exchange.rows import Progress, Streamed, document_parts, objective_documents
from leitstern.exchange.values import Keys, number
from leitstern.okrs.models import Cycle, KeyResult, Objective
from leitstern.orgs.models import Organization

FORMULA_START = "=+-@\t\r"


def build_document(
    organization: Organization, *, cycle: Cycle | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Everything of the organisation's OKR work, or of one cycle plus the shared parts.

    The whole document in memory, for tests and small callers; files, downloads and the API
    write it piece by piece (`document_text`, `csv_pieces`, `api_text`).
    """
    return {
        key: list(value) if isinstance(value, Streamed) else value
        for key, value in document_parts(organization, cycle=cycle, progress=progress)
    }


def document_text(
    organization: Organization,
    *,
    format: str,
    cycle: Cycle | None = None,
    progress: Progress | None = None,
) -> Iterator[str]:
    """The document as JSON or YAML text in pieces, read and written one chunk at a time."""
    parts = document_parts(organization, cycle=cycle, progress=progress)
    return json_pieces(parts) if format == "json" else yaml_pieces(parts)


def api_text(organization: Organization, *, cycle: Cycle | None = None) -> Iterator[str]:
    """The document as the API has always answered it (compact JSON), in pieces."""
    return compact_json_pieces(document_parts(organization, cycle=cycle))


def web_export_rows(
    organization: Organization, *, cycle: Cycle | None = None, format: str = "json"
) -> int:
    """The check-ins (JSON, YAML) or key results (CSV) of an export, which its work grows with.

    Counted only up to one past settings.LEITSTERN_EXPORT_WEB_LIMIT, the most a download in
    the browser or through the API may hold (the web server stops a request after its
    timeout, streamed or not), so that asking costs little for a large organisation too.
    """
    rows: QuerySet[Any]
    if format == "csv":
        rows = KeyResult.objects.filter(organization=organization)
        if cycle is not None:
            rows = rows.filter(objective__cycle=cycle)
    else:
        rows = CheckIn.objects.filter(organization=organization)
        if cycle is not None:
            rows = rows.filter(key_result__objective__cycle=cycle)
    # Unordered: the models' default order would sort every row before the limit applies.
    return rows.order_by()[: settings.LEITSTERN_EXPORT_WEB_LIMIT + 1].count()


def to_json(doc: dict[str, Any]) -> str:
    return "".join(json_pieces(doc.items()))


def to_yaml(doc: dict[str, Any]) -> str:
    return "".join(yaml_pieces(doc.items()))


def _objective(objective: Objective, keys: Keys) -> dict[str, Any]:
    """One objective as the document has it, for the CSV import to complete from a sheet.

    Its check-ins newest first, as the import has always read them (the model's ordering):
    its messages name a check-in by its place.
    """
    doc = objective_documents([objective.pk], keys)[0]
    for kr in doc["key_results"]:
        kr["checkins"].reverse()
    return doc


CSV_COLUMNS = [
    "cycle",
    "team",
    "objective",
    "objective_key",
    "key_result",
    "key_result_key",
    "kind",
    "unit",
    "start",
    "target",
    "current",
    "confidence",
    "last_checkin",
    "status",
    "hypothesis_status",
    # Appended later, so that sheets that refer to the columns above by position still work:
    # with these the sheet re-imports into an empty organisation.
    "commit_level",
    "target_level",
    "stretch_level",
    "cycle_start",
    "cycle_end",
    "cycle_phase",
]


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: plain (`,` and `.`) or for German Excel."""

    delimiter: str = ","
    decimal_comma: bool = False
    bom: bool = False
    lineterminator: str = "\n"


CSV_DIALECTS = {
    "standard": CsvDialect(),
    # Excel with German regional settings splits at `;`, reads decimal commas, and needs the
    # byte order mark to take the file for UTF-8 instead of Windows-1252 (umlauts).
    "excel-de": CsvDialect(delimiter=";", decimal_comma=True, bom=True, lineterminator="\r\n"),
}


def safe_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a '.

    A text that already starts with ' before such a character gets one more, so that the
    import, which takes one ' away, gives back exactly the text.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)  # numbers, also negative ones, stay numbers
    text = "" if value is None else str(value)
    if text and (
        text[0] in FORMULA_START
        or (text[0] == "'" and text[1:2] and text[1] in FORMULA_START + "'")
    ):
        return "'" + text
    return text


def _csv_number(value: Decimal | None, dialect: CsvDialect) -> str:
    shortest = number(value)
    if shortest is None:
        return ""
    text = str(shortest)
    return text.replace(".", ",") if dialect.decimal_comma else text


def to_csv(
    organization: Organization, *, cycle: Cycle | None = None, dialect: str = "standard"
) -> str:
    """One row per key result, for spreadsheets; it imports back as it was exported."""
    return "".join(csv_pieces(organization, cycle=cycle, dialect=dialect))


def csv_pieces(
    organization: Organization, *, cycle: Cycle | None = None, dialect: str = "standard"
) -> Iterator[str]:
    """The sheet in pieces of a few thousand rows, read as plain rows, never whole."""
    style = CSV_DIALECTS[dialect]
    keys = Keys(organization)
    out = io.StringIO()
    if style.bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator=style.lineterminator)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(_sheet_rows(organization, cycle), start=1):
        writer.writerow(_csv_row(row, keys, style))
        if n % SHEET_ROWS_PER_PIECE == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


SHEET_ROWS_PER_PIECE = 2000
SHEET_COLUMNS = (
    "objective__cycle__name",
    "objective__team__slug",
    "objective__title",
    "objective__uuid",
    "title",
    "uuid",
    "kind",
    "unit",
    "baseline",
    "target",
    "current_value",
    "current_confidence",
    "last_checkin_on",
    "objective__status",
    "hypothesis_status",
    "commit_level",
    "target_level",
    "stretch_level",
    "objective__cycle__starts_on",
    "objective__cycle__ends_on",
    "objective__cycle__phase",
)


def _sheet_rows(organization: Organization, cycle: Cycle | None) -> Iterator[tuple[Any, ...]]:
    # The sheet needs the key results' derived values only, not their check-ins: reading
    # those (as the full document does) would read every check-in of every cycle.
    rows = KeyResult.objects.filter(objective__organization=organization)
    if cycle is not None:
        rows = rows.filter(objective__cycle=cycle)
    return (
        rows.order_by(
            "objective__cycle__starts_on",
            "objective__team__slug",
            "objective__position",
            "objective__created_at",
            "objective_id",
            "position",
            "created_at",
            "pk",
        )
        .values_list(*SHEET_COLUMNS)
        .iterator(chunk_size=SHEET_ROWS_PER_PIECE)
    )


def _csv_row(row: tuple[Any, ...], keys: Keys, style: CsvDialect) -> list[str]:
    (cycle, team, objective, objective_uuid, title, kr_uuid, kind, unit) = row[:8]
    baseline, target, current, confidence, last_checkin = row[8:13]
    status, hypothesis_status, commit_level, target_level, stretch_level = row[13:18]
    starts_on, ends_on, phase = row[18:]
    texts = [
        cycle,
        team,
        objective,
        keys.of("objective", objective_uuid),
        title,
        keys.of("key_result", kr_uuid),
        kind,
        unit,
    ]
    more = [
        last_checkin.isoformat() if last_checkin else "",
        status,
        hypothesis_status,
        commit_level,
        target_level,
        stretch_level,
        starts_on.isoformat(),
        ends_on.isoformat(),
        phase,
    ]
    return [
        *(safe_cell(t) for t in texts),
        *(_csv_number(n, style) for n in (baseline, target, current)),
        "" if confidence is None else str(confidence),
        *(safe_cell(t) for t in more),
    ]
