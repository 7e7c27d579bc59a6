"""Reading CSV sheets as spreadsheets write them: columns, separators, numbers and dates.

Spreadsheets differ by locale. German Excel writes `;` between cells, a decimal comma,
a byte order mark (UTF-8) or Windows-1252 without one, and dates as 29.10.2026; the
English world writes `,`, a decimal point and ISO or US dates. The header row tells the
separator apart reliably (data rows hold decimal commas); cells are read leniently and
every problem is named so that the person can fix the sheet.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from leitstern.exchange.document import MAX_BYTES, DocumentError, _decimal
from leitstern.exchange.export import FORMULA_START
from leitstern.exchange.messages import place_file, too_large
from leitstern.lib.apikit import PERSON_FIELDS, team_okrs_only

ALIASES: dict[str, set[str]] = {
    "objective": {
        "objective",
        "objectives",
        "objective title",
        "objective name",
        "ziel",
        "ziele",
        "objective titel",
        "o",
    },
    "key_result": {
        "key result",
        "key results",
        "kr",
        "key result title",
        "key result name",
        "schlüsselergebnis",
        "schluesselergebnis",
        "ergebnis",
        "kr title",
        "kr titel",
    },
    "team": {"team", "team name", "teams", "team slug", "teamname", "abteilung", "bereich"},
    "unit": {"unit", "units", "einheit", "metric unit", "maßeinheit", "masseinheit"},
    "start": {
        "start",
        "start value",
        "baseline",
        "startwert",
        "ausgangswert",
        "initial value",
        "starting value",
        "from",
        "von",
        "basiswert",
    },
    "target": {"target", "target value", "zielwert", "goal", "to", "bis", "soll", "sollwert"},
    "current": {
        "current",
        "current value",
        "aktuell",
        "aktueller wert",
        "istwert",
        "ist",
        "actual",
        "progress value",
        "value",
        "wert",
    },
    "confidence": {"confidence", "zuversicht", "konfidenz", "confidence level"},
    "cycle": {"cycle", "zyklus", "quarter", "quartal", "period", "periode", "timeframe"},
    "objective_key": {"objective key"},
    "key_result_key": {"key result key"},
    "kind": {"kind", "key result kind", "kr kind", "art"},
    "status": {"status", "objective status"},
    "hypothesis_status": {"hypothesis status", "stand der hypothese", "hypothesenstatus"},
    "last_checkin": {
        "last checkin",
        "last check in",
        "checked on",
        "letzter checkin",
        "letzter check in",
        "stand vom",
    },
    "commit_level": {"commit level", "mindeststufe"},
    "target_level": {"target level", "zielstufe"},
    "stretch_level": {"stretch level", "stretch stufe"},
    "cycle_start": {"cycle start", "cycle starts on", "zyklusbeginn", "zyklus beginn"},
    "cycle_end": {"cycle end", "cycle ends on", "zyklusende", "zyklus ende"},
    "cycle_phase": {"cycle phase", "phase", "zyklusphase"},
}
REQUIRED = ("objective", "key_result", "team")

# How a field is called in the mapping report (in the reader's language).
LABELS = {
    "objective": pgettext_lazy("csv column", "objective"),
    "key_result": pgettext_lazy("csv column", "key result"),
    "team": pgettext_lazy("csv column", "team"),
    "unit": pgettext_lazy("csv column", "unit"),
    "start": pgettext_lazy("csv column", "start"),
    "target": pgettext_lazy("csv column", "target"),
    "current": pgettext_lazy("csv column", "current"),
    "confidence": pgettext_lazy("csv column", "confidence"),
    "cycle": pgettext_lazy("csv column", "cycle"),
    "objective_key": pgettext_lazy("csv column", "objective key"),
    "key_result_key": pgettext_lazy("csv column", "key result key"),
    "kind": pgettext_lazy("csv column", "kind of key result"),
    "status": pgettext_lazy("csv column", "status of the objective"),
    "hypothesis_status": pgettext_lazy("csv column", "hypothesis status"),
    "last_checkin": pgettext_lazy("csv column", "date of the last check-in"),
    "commit_level": pgettext_lazy("csv column", "commit level"),
    "target_level": pgettext_lazy("csv column", "target level"),
    "stretch_level": pgettext_lazy("csv column", "stretch level"),
    "cycle_start": pgettext_lazy("csv column", "start of the cycle"),
    "cycle_end": pgettext_lazy("csv column", "end of the cycle"),
    "cycle_phase": pgettext_lazy("csv column", "phase of the cycle"),
}


# Which column a field of the document came from, by the kind of object a path names.
COLUMN_OF = {
    "key_result": {
        ".title": "key_result",
        ".key": "key_result_key",
        ".baseline": "start",
        ".target": "target",
        ".unit": "unit",
        ".kind": "kind",
        ".hypothesis_status": "hypothesis_status",
        ".commit_level": "commit_level",
        ".target_level": "target_level",
        ".stretch_level": "stretch_level",
    },
    "objective": {
        ".cycle": "cycle",
        ".team": "team",
        ".title": "objective",
        ".key": "objective_key",
        ".status": "status",
    },
    "cycle": {
        "": "cycle",
        ".name": "cycle",
        ".starts_on": "cycle_start",
        ".ends_on": "cycle_end",
        ".phase": "cycle_phase",
    },
    "team": {"": "team", ".slug": "team", ".name": "team"},
}


class SheetError(DocumentError):
    """A sheet that cannot be imported, with what the reading found out (the mapping)."""

    def __init__(self, errors: list[tuple[str, str]], *, notes: list[str]) -> None:
        super().__init__(errors)
        self.notes = notes


@dataclass
class CsvResult:
    doc: dict[str, Any]
    mapping: list[str] = field(default_factory=list)
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)  # path → (row, kind)
    headers: dict[str, str] = field(default_factory=dict)  # field → header in the sheet

    def where(self, path: str) -> str:
        """Translate an error path inside the document into the sheet's row and column."""
        found = re.match(r"((?:objectives|cycles|teams)\[\d+\])(\.key_results\[\d+\])?", path)
        for prefix in (found.group(0), found.group(1)) if found else ():
            if prefix in self.rows:
                row, kind = self.rows[prefix]
                return place(row, self._column(kind, path[len(prefix) :]), self.headers)
        return place_file()

    def _column(self, kind: str, rest: str) -> str | None:
        if kind == "key_result" and rest.startswith(".checkins"):
            if rest.endswith((".checked_on", ".week")) and "last_checkin" in self.headers:
                return "last_checkin"
            return "confidence" if rest.endswith(".confidence") else "current"
        return COLUMN_OF[kind].get(rest)


def place(row: int, column: str | None, headers: dict[str, str]) -> str:
    """“row 5 (Zielwert)”: the row and the column as the sheet names it."""
    if column is None or column not in headers:
        return _("row %(row)s") % {"row": row}
    return _("row %(row)s (%(column)s)") % {"row": row, "column": headers[column]}


def header_row() -> str:
    return _("(header row)")


def _normal(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower().lstrip("\ufeff")).strip()


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[str], list[tuple[str, str]]]:
    """Column index per field, lines of the mapping report, and refusals (person columns)."""
    found: dict[str, int] = {}
    report: list[str] = []
    refusals: list[tuple[str, str]] = []
    for index, header in enumerate(headers):
        name = _normal(header)
        if name.replace(" ", "_") in PERSON_FIELDS or name in PERSON_FIELDS:
            refusals.append((_("column “%(header)s”") % {"header": header}, team_okrs_only()))
            continue
        target = next((f for f, names in ALIASES.items() if name in names), None)
        if target and target not in found:
            found[target] = index
            report.append(
                _("“%(header)s” → %(field)s") % {"header": header, "field": LABELS[target]}
            )
        else:
            report.append(_("“%(header)s” → ignored") % {"header": header})
    missing = [str(LABELS[f]) for f in REQUIRED if f not in found]
    if missing:
        refusals.append(
            (
                header_row(),
                _(
                    "the first row needs a column for each of: %(missing)s. Name them for "
                    "example “Objective”, “Key result” and “Team” (or “Ziel”, "
                    "“Schlüsselergebnis” and “Team”)."
                )
                % {"missing": ", ".join(missing)},
            )
        )
    return found, report, refusals


# ---- reading the file


def decode(raw: bytes) -> str:
    """UTF-8 (with or without byte order mark), else Windows-1252 as older Excel saves it."""
    if len(raw) > MAX_BYTES:
        raise DocumentError([(place_file(), too_large(MAX_BYTES // 2**20))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def delimiter(line: str) -> str:
    """The separator that splits the header row into the most cells (`,` on a tie)."""
    counts = {d: len(next(csv.reader([line], delimiter=d), [])) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def read_rows(raw: bytes) -> list[list[str]]:
    text = decode(raw)
    first = next((line for line in io.StringIO(text) if line.strip()), "").rstrip("\r\n")
    separator = re.fullmatch(r"\s*sep=(.)\s*", first)  # Excel's own hint line
    if separator:
        text = text[text.index(first) + len(first) :].lstrip("\r\n")
        sep = separator.group(1)
    else:
        sep = delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    return [row for row in reader if any(c.strip() for c in row)]


# ---- reading cells


def unescape(text: str) -> str:
    """Undo the export's formula guard: '=SUM(…) was written for the text =SUM(…)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START + "'":
        return text[1:]
    return text


def parse_number(text: str) -> Decimal | None:
    """12.5, 12,5, 1.234,5, 1,234.5, 40 %, −3 → a Decimal; ValueError names the problem."""
    cell = text
    text = re.sub(r"[\s\u00a0\u202f%']", "", text).replace("\u2212", "-")
    if not text:
        return None
    if not re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", text):
        raise ValueError(
            _("“%(value)s” is not a number; write it like 12.5 or 12,5") % {"value": cell}
        )
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")  # the German decimal comma
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace("," if "," in text else ".", "")  # only digit grouping
    return _decimal(text)


def parse_date(text: str) -> datetime.date:
    """2026-10-29 (also with a time after it) or 29.10.2026 / 29.10.26 as German Excel saves."""
    text = text.strip()
    iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", text)
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if german:
            year = int(german[3]) + (2000 if len(german[3]) == 2 else 0)
            return datetime.date(year, int(german[2]), int(german[1]))
    except ValueError:
        pass
    raise ValueError(
        _("“%(value)s” is not a date; write it like 2027-01-04 or 04.01.2027") % {"value": text}
    )


@functools.cache
def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    names = {}
    for value, label in choices.choices:
        for language in ("en", "de"):
            with translation.override(language):
                names[str(label).lower()] = str(value)
        names[str(value).lower()] = str(value)
    return names


def choice_of(text: str, choices: type[models.TextChoices]) -> str | None:
    """A choice by its stored value or by its label in English or German, else None."""
    return _names(choices).get(text.strip().lower())
