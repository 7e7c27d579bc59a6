"""CSV import for spreadsheets and other OKR tools: one row per key result.

Columns are recognised by common names in English and German, case-insensitively
(objective, key result, team, unit, start, target, current, confidence, cycle). The rows
become an OKR-as-code document, so the import is as validated and atomic as a JSON one.
Objects that already exist keep everything the sheet does not mention.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from leitstern.exchange.document import MAX_BYTES, DocumentError, _decimal
from leitstern.exchange.export import Keys, _objective
from leitstern.lib.apikit import PERSON_FIELDS, team_okrs_only
from leitstern.okrs.models import Cycle, Objective, Phase
from leitstern.orgs.models import Organization, Team

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
    "objective_key": {"objective key", "objective_key"},
    "key_result_key": {"key result key", "key_result_key"},
}
REQUIRED = ("objective", "key_result", "team")


@dataclass
class CsvResult:
    doc: dict[str, Any]
    mapping: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # document path → sheet row

    def where(self, path: str) -> str:
        """Translate an error path inside the document into the sheet's row number."""
        for prefix in sorted(self.rows, key=len, reverse=True):
            if path.startswith(prefix):
                return f"row {self.rows[prefix]}{path[len(prefix) :]}"
        return path


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
            refusals.append((f"column “{header}”", team_okrs_only()))
            continue
        target = next((f for f, names in ALIASES.items() if name in names), None)
        if target and target not in found:
            found[target] = index
            report.append(f"“{header}” → {target.replace('_', ' ')}")
        else:
            report.append(f"“{header}” → ignored")
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        refusals.append(
            ("(header)", "missing columns: " + ", ".join(m.replace("_", " ") for m in missing))
        )
    return found, report, refusals


def read_rows(raw: bytes) -> list[list[str]]:
    if len(raw) > MAX_BYTES:
        raise DocumentError([("(file)", "The file is larger than 20 MB; split it up.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # spreadsheets on Windows
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]


def _default_cycle(organization: Organization) -> Cycle | None:
    cycles = Cycle.objects.filter(organization=organization)
    active = cycles.filter(phase__in=[Phase.RUNNING, Phase.REFLECTING]).order_by("-starts_on")
    return active.first() or cycles.filter(phase=Phase.PLANNING).order_by("starts_on").first()


def csv_document(
    raw: bytes, organization: Organization, *, cycle_name: str | None = None
) -> CsvResult:
    """Turn a sheet into a document; raise DocumentError listing every problem by row."""
    rows = read_rows(raw)
    if not rows:
        raise DocumentError([("(file)", "The file is empty.")])
    columns, mapping, errors = map_columns(rows[0])
    if errors:
        raise DocumentError(errors)
    builder = _Builder(organization, columns, cycle_name)
    for number, row in enumerate(rows[1:], start=2):
        builder.add(number, row)
    if builder.errors:
        raise DocumentError(builder.errors)
    doc = builder.document()
    mapping.extend(builder.notes)
    return CsvResult(doc=doc, mapping=mapping, rows=builder.paths)


class _Builder:
    def __init__(self, org: Organization, columns: dict[str, int], cycle_name: str | None) -> None:
        self.org, self.columns = org, columns
        self.keys = Keys(org)
        self.teams = {t.slug: t for t in Team.objects.in_org(org)}
        self.team_names = {t.name.lower(): t.slug for t in self.teams.values()}
        default = _default_cycle(org)
        self.cycle_name = cycle_name or (default.name if default else None)
        self.errors: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.objectives: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.new_teams: dict[str, str] = {}
        self.paths: dict[str, int] = {}
        self.skipped_current = 0

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def number(self, number: int, row: list[str], name: str) -> Any:
        text = self.cell(row, name).replace("%", "").replace(" ", "")
        if not text:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # German decimal comma
        try:
            return _decimal(text)
        except ValueError as exc:
            self.errors.append((f"row {number} ({name})", str(exc)))
            return None

    def team_slug(self, name: str) -> str:
        if name in self.teams:
            return name
        if name.lower() in self.team_names:
            return self.team_names[name.lower()]
        slug = slugify(name)[:60] or "team"
        self.new_teams[slug] = name
        return slug

    def add(self, number: int, row: list[str]) -> None:
        title, kr_title, team = (self.cell(row, f) for f in REQUIRED)
        cycle = self.cell(row, "cycle") or self.cycle_name
        if not (title and kr_title and team):
            self.errors.append((f"row {number}", "objective, key result and team are needed"))
            return
        if not cycle:
            self.errors.append((f"row {number}", "no cycle: add a cycle column or pass --cycle"))
            return
        slug = self.team_slug(team)
        objective = self._objective(cycle, slug, title, self.cell(row, "objective_key"))
        kr = self._key_result(objective, kr_title, self.cell(row, "key_result_key"))
        kr["unit"] = self.cell(row, "unit") or kr.get("unit", "")
        for field_, column in (("baseline", "start"), ("target", "target")):
            value = self.number(number, row, column)
            if value is not None:
                kr[field_] = value
        self._current(number, row, objective, kr)
        o_index = list(self.objectives).index((cycle, slug, objective["title"]))
        k_index = objective["key_results"].index(kr)
        self.paths[f"objectives[{o_index}].key_results[{k_index}]"] = number

    def _objective(self, cycle: str, slug: str, title: str, key: str) -> dict[str, Any]:
        ident = (cycle, slug, title)
        if ident not in self.objectives:
            existing = Objective.objects.filter(
                organization=self.org, team__slug=slug, cycle__name=cycle, title__iexact=title
            ).first()
            if key:
                existing = (
                    existing
                    or Objective.objects.filter(
                        organization=self.org, uuid__in=_uuids([key])
                    ).first()
                )
            if existing is not None:
                doc = _objective(existing, self.keys)
            else:
                doc = {
                    "key": key or f"csv:{slugify(cycle)}:{slug}:{slugify(title)[:60]}",
                    "title": title,
                    "key_results": [],
                }
            doc.update({"cycle": cycle, "team": slug, "title": title})
            self.objectives[ident] = doc
        return self.objectives[ident]

    def _key_result(self, objective: dict[str, Any], title: str, key: str) -> dict[str, Any]:
        for kr in objective["key_results"]:
            if kr["title"].lower() == title.lower() or (key and kr["key"] == key):
                kr["title"] = title
                return kr
        kr = {"key": key or f"{objective['key']}:{slugify(title)[:60]}", "title": title}
        objective["key_results"].append(kr)
        return kr

    def _current(self, number: int, row: list[str], objective: dict[str, Any], kr: dict) -> None:
        current = self.number(number, row, "current")
        if current is None:
            return
        confidence = self.number(number, row, "confidence")
        if confidence is None:
            self.skipped_current += 1
            return
        if not 0 <= confidence <= 10 or confidence != int(confidence):
            self.errors.append((f"row {number} (confidence)", "a whole number from 0 to 10"))
            return
        today = timezone.localdate()
        week = _monday(today).isoformat()
        checkins = [c for c in kr.setdefault("checkins", []) if str(c["week"]) != week]
        checkins.append(
            {
                "week": week,
                "checked_on": today.isoformat(),
                "value": current,
                "confidence": int(confidence),
            }
        )
        kr["checkins"] = checkins

    def document(self) -> dict[str, Any]:
        for slug, name in self.new_teams.items():
            self.notes.append(f"new team “{name}” (short name {slug}) will be created")
        if self.skipped_current:
            self.notes.append(
                f"{self.skipped_current} current values were not imported: a check-in needs the "
                "team's confidence (0–10); add a confidence column to import them"
            )
        return {
            "leitstern": 1,
            "teams": [{"slug": s, "name": n} for s, n in self.new_teams.items()],
            "objectives": list(self.objectives.values()),
        }


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _uuids(keys: list[str]) -> list[str]:
    return [k for k in keys if re.fullmatch(r"[0-9a-fA-F-]{36}", k)]
