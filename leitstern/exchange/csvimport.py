"""CSV import for spreadsheets and other OKR tools: one row per key result.

Columns are recognised by common names in English and German, case-insensitively
(objective, key result, team, unit, start, target, current, confidence, cycle, and the
further columns Leitstern's own export writes). The rows become an OKR-as-code document,
so the import is as validated and atomic as a JSON one. Objects that already exist keep
everything the sheet does not mention. Leitstern's own export reads back unchanged:
export → import into an empty organisation → export gives the same sheet.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leitstern.checkins.services import checkin_week
from leitstern.exchange.csvsheet import (
    REQUIRED,
    CsvResult,
    SheetError,
    choice_of,
    map_columns,
    parse_date,
    parse_number,
    place,
    read_rows,
    unescape,
)
from leitstern.exchange.document import DocumentError
from leitstern.exchange.export import Keys, _objective
from leitstern.exchange.messages import place_file
from leitstern.okrs.models import (
    Cycle,
    HypothesisStatus,
    KeyResultKind,
    Objective,
    ObjectiveStatus,
    Phase,
)
from leitstern.orgs.models import Organization, Team

CHOICES: dict[str, type[TextChoices]] = {
    "kind": KeyResultKind,
    "hypothesis_status": HypothesisStatus,
    "status": ObjectiveStatus,
    "cycle_phase": Phase,
}
LEVELS = ("commit_level", "target_level", "stretch_level")


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
        raise DocumentError(
            [
                (
                    place_file(),
                    _("The file is empty; it needs a header row and a row per key result."),
                )
            ]
        )
    columns, mapping, errors = map_columns(rows[0])
    if errors:
        raise SheetError(errors, notes=mapping)
    headers = {name: rows[0][index].strip().lstrip("\ufeff") for name, index in columns.items()}
    builder = _Builder(organization, columns, headers, cycle_name)
    for number, row in enumerate(rows[1:], start=2):
        builder.add(number, row)
    if builder.errors:
        raise SheetError(builder.errors, notes=[*mapping, *builder.remarks()])
    doc = builder.document()
    mapping.extend(builder.notes)
    return CsvResult(doc=doc, mapping=mapping, rows=builder.paths, headers=headers)


class _Builder:
    def __init__(
        self,
        org: Organization,
        columns: dict[str, int],
        headers: dict[str, str],
        cycle_name: str | None,
    ) -> None:
        self.org, self.columns, self.headers = org, columns, headers
        self.keys = Keys(org)
        self.teams = {t.slug: t for t in Team.objects.in_org(org)}
        self.team_names = {t.name.lower(): t.slug for t in self.teams.values()}
        self.team_slugs = {slug.lower(): slug for slug in self.teams}
        self.cycles: dict[str, dict[str, Any]] = {
            c.name: {
                "name": c.name,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "phase": c.phase,
            }
            for c in Cycle.objects.filter(organization=org)
        }
        self.stored_cycles = set(self.cycles)
        self.kept_cycles: set[str] = set()  # stored cycles the sheet gives other values
        default = _default_cycle(org)
        self.cycle_name = cycle_name or (default.name if default else None)
        self.errors: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.objective_index: dict[tuple[str, str, str], int] = {}
        self.by_index: list[dict[str, Any]] = []  # the document's objectives, in sheet order
        self.ignored: dict[str, set[str]] = {}  # column → values that are no known choice
        self.sheet_cycles: dict[str, int] = {}  # cycle the sheet describes → its first row
        self.new_teams: dict[str, tuple[str, int]] = {}  # slug → (name, first row)
        self.paths: dict[str, tuple[int, str]] = {}
        self.skipped_current = 0

    # ---- cells

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return unescape(row[index].strip()) if index is not None and index < len(row) else ""

    def fail(self, number: int, name: str | None, message: str) -> None:
        self.errors.append((place(number, name, self.headers), message))

    def number(self, number: int, row: list[str], name: str) -> Decimal | None:
        try:
            return parse_number(self.cell(row, name))
        except ValueError as exc:
            self.fail(number, name, str(exc))
            return None

    def date(self, number: int, row: list[str], name: str) -> datetime.date | None:
        text = self.cell(row, name)
        try:
            return parse_date(text) if text else None
        except ValueError as exc:
            self.fail(number, name, str(exc))
            return None

    def choice(self, row: list[str], name: str) -> str | None:
        """A known choice, else None; unknown values are reported, not refused: other tools
        write columns such as “Status: on track” that mean something else."""
        text = self.cell(row, name)
        value = choice_of(text, CHOICES[name]) if text else None
        if text and value is None:
            self.ignored.setdefault(name, set()).add(text)
        return value

    # ---- rows

    def add(self, number: int, row: list[str]) -> None:
        title, kr_title, team = (self.cell(row, f) for f in REQUIRED)
        cycle = self.cell(row, "cycle") or self.cycle_name
        if not (title and kr_title and team):
            self.fail(
                number,
                None,
                _(
                    "objective, key result and team must all be filled in; fill in the empty "
                    "cells or delete the row"
                ),
            )
            return
        if not cycle:
            self.fail(
                number,
                None,
                _(
                    "this row names no cycle and the organisation has no running or planned "
                    "cycle; add a “cycle” column (on the command line you can also pass --cycle)"
                ),
            )
            return
        self._cycle(number, row, cycle)
        slug = self.team_slug(team, number)
        objective = self._objective(number, cycle, slug, title, self.cell(row, "objective_key"))
        status = self.choice(row, "status")
        if status:
            objective["status"] = status
        o_index = self.objective_index[(cycle, slug, title)]
        kr = self._key_result(number, o_index, kr_title, self.cell(row, "key_result_key"))
        self._key_result_cells(number, row, kr)
        self._current(number, row, objective, kr)

    def team_slug(self, name: str, number: int) -> str:
        if name in self.teams:
            return name
        if name.lower() in self.team_slugs:
            return self.team_slugs[name.lower()]
        if name.lower() in self.team_names:
            return self.team_names[name.lower()]
        slug = slugify(name)[:60] or "team"
        self.new_teams.setdefault(slug, (name, number))
        return slug

    def _cycle(self, number: int, row: list[str], name: str) -> None:
        """Dates and phase of the row's cycle, where the sheet has those columns."""
        start, end = self.date(number, row, "cycle_start"), self.date(number, row, "cycle_end")
        given = {"starts_on": start, "ends_on": end, "phase": self.choice(row, "cycle_phase")}
        if all(value is None for value in given.values()):
            return
        if name in self.stored_cycles:
            # A cycle is every team's: a sheet creates missing ones but changes none, so an
            # old sheet cannot reopen a closed cycle or move its dates.
            stored = self.cycles[name]
            if any(v is not None and v != stored[k] for k, v in given.items()):
                self.kept_cycles.add(name)
        elif name in self.sheet_cycles:
            self._same_cycle(number, name, given)
        elif start is None or end is None:
            self.fail(
                number,
                "cycle_end" if start else "cycle_start",
                _(
                    "the cycle “%(name)s” does not exist yet; give its start and end so that it "
                    "can be created"
                )
                % {"name": name},
            )
        else:
            phase = given["phase"] or Phase.PLANNING.value
            self.cycles[name] = {"name": name, **given, "phase": phase}
            self.sheet_cycles[name] = number

    def _same_cycle(self, number: int, name: str, given: dict[str, Any]) -> None:
        """A new cycle named again in a later row: it must say the same."""
        first, known = self.sheet_cycles[name], self.cycles[name]
        columns = {"starts_on": "cycle_start", "ends_on": "cycle_end", "phase": "cycle_phase"}
        for key, value in given.items():
            if value is not None and value != known[key]:
                self.fail(
                    number,
                    columns[key],
                    _(
                        "this differs from row %(first)s, which gives the cycle “%(name)s” "
                        "%(other)s; a cycle has one start, end and phase, so make the rows agree"
                    )
                    % {"first": first, "name": name, "other": known[key]},
                )

    def _objective(
        self, number: int, cycle: str, slug: str, title: str, key: str
    ) -> dict[str, Any]:
        ident = (cycle, slug, title)
        if ident not in self.objective_index:
            existing = Objective.objects.filter(
                organization=self.org, team__slug=slug, cycle__name=cycle, title__iexact=title
            ).first()
            if key and existing is None:
                existing = Objective.objects.filter(
                    organization=self.org, uuid__in=_uuids([key])
                ).first()
            if existing is not None:
                doc = _objective(existing, self.keys)
            else:
                doc = {
                    "key": key or f"csv:{slugify(cycle)}:{slug}:{slugify(title)[:60]}",
                    "title": title,
                    "key_results": [],
                }
            doc.update({"cycle": cycle, "team": slug, "title": title})
            self.paths[f"objectives[{len(self.by_index)}]"] = (number, "objective")
            self.objective_index[ident] = len(self.by_index)
            self.by_index.append(doc)
        return self.by_index[self.objective_index[ident]]

    def _key_result(self, number: int, o_index: int, title: str, key: str) -> dict[str, Any]:
        krs = self.by_index[o_index]["key_results"]
        k_index = next(
            (
                i
                for i, kr in enumerate(krs)
                if kr["title"].lower() == title.lower() or (key and kr["key"] == key)
            ),
            None,
        )
        if k_index is None:
            objective_key = self.by_index[o_index]["key"]
            krs.append({"key": key or f"{objective_key}:{slugify(title)[:60]}", "title": title})
            k_index = len(krs) - 1
        krs[k_index]["title"] = title
        self.paths[f"objectives[{o_index}].key_results[{k_index}]"] = (number, "key_result")
        return krs[k_index]

    def _key_result_cells(self, number: int, row: list[str], kr: dict[str, Any]) -> None:
        kr["unit"] = self.cell(row, "unit") or kr.get("unit", "")
        for name in ("kind", "hypothesis_status"):
            value = self.choice(row, name)
            if value:
                kr[name] = value
        for name in LEVELS:
            text = self.cell(row, name)
            if text:
                kr[name] = text
        for field_, column in (("baseline", "start"), ("target", "target")):
            amount = self.number(number, row, column)
            if amount is not None:
                kr[field_] = amount

    def _current(self, number: int, row: list[str], objective: dict[str, Any], kr: dict) -> None:
        """The current value with its confidence becomes the check-in of its week."""
        current = self.number(number, row, "current")
        if current is None:
            return
        confidence = self.number(number, row, "confidence")
        if confidence is None:
            self.skipped_current += 1
            return
        if not 0 <= confidence <= 10 or confidence != int(confidence):
            self.fail(
                number,
                "confidence",
                _("confidence is a whole number from 0 to 10, for example 7"),
            )
            return
        day = self.date(number, row, "last_checkin") or timezone.localdate()
        week = self._week(objective["cycle"], day).isoformat()
        values = {"checked_on": day.isoformat(), "value": current, "confidence": int(confidence)}
        checkins = kr.setdefault("checkins", [])
        same_week = next((c for c in checkins if str(c["week"]) == week), None)
        if same_week is None:
            checkins.append({"week": week, **values})
        else:
            same_week.update(values)  # keeps the note, problem and learning of that check-in

    def _week(self, cycle_name: str, day: datetime.date) -> datetime.date:
        """The week a check-in on `day` counts for; late ones count for the cycle's last."""
        known = self.cycles.get(cycle_name)
        if known and known.get("starts_on") and known.get("ends_on"):
            cycle = Cycle(name=cycle_name, starts_on=known["starts_on"], ends_on=known["ends_on"])
            try:
                return checkin_week(cycle=cycle, day=day, late_days=self.org.late_checkin_days)
            except ValidationError:
                pass  # outside the cycle: the import names the rule and the dates
        return day - datetime.timedelta(days=day.weekday())

    # ---- the document

    def document(self) -> dict[str, Any]:
        teams = []
        for index, (slug, (name, number)) in enumerate(self.new_teams.items()):
            self.notes.append(
                _("new team “%(name)s” (short name %(slug)s) will be created")
                % {"name": name, "slug": slug}
            )
            teams.append({"slug": slug, "name": name})
            self.paths[f"teams[{index}]"] = (number, "team")
        cycles = []
        for index, (name, number) in enumerate(self.sheet_cycles.items()):
            entry = self.cycles[name]
            if name not in self.stored_cycles:
                self.notes.append(
                    _("new cycle “%(name)s” (%(start)s – %(end)s) will be created")
                    % {"name": name, "start": entry["starts_on"], "end": entry["ends_on"]}
                )
            cycles.append(
                {
                    "name": name,
                    "starts_on": entry["starts_on"].isoformat(),
                    "ends_on": entry["ends_on"].isoformat(),
                    "phase": str(entry["phase"]),
                }
            )
            self.paths[f"cycles[{index}]"] = (number, "cycle")
        self.notes.extend(self.remarks())
        return {
            "leitstern": 1,
            "teams": teams,
            "cycles": cycles,
            "objectives": self.by_index,
        }

    def remarks(self) -> list[str]:
        """What the sheet holds that was not taken over, and why."""
        remarks = []
        for name in sorted(self.kept_cycles):
            remarks.append(
                _(
                    "the cycle “%(name)s” keeps its dates and phase as they are in Leitstern; the "
                    "sheet gives others, but a sheet creates cycles and does not change them"
                )
                % {"name": name}
            )
        for name, values in self.ignored.items():
            remarks.append(
                _(
                    "column “%(header)s”: %(values)s left out, as Leitstern knows only %(allowed)s "
                    "there"
                )
                % {
                    "header": self.headers[name],
                    "values": ", ".join(f"“{v}”" for v in sorted(values)),
                    "allowed": ", ".join(str(v) for v in CHOICES[name].values),
                }
            )
        if self.skipped_current:
            remarks.append(
                ngettext(
                    "%(n)s current value was not imported: a check-in needs the team's "
                    "confidence (0–10); add a confidence column to import it",
                    "%(n)s current values were not imported: a check-in needs the team's "
                    "confidence (0–10); add a confidence column to import them",
                    self.skipped_current,
                )
                % {"n": self.skipped_current}
            )
        return remarks


def _uuids(keys: list[str]) -> list[str]:
    return [k for k in keys if re.fullmatch(r"[0-9a-fA-F-]{36}", k)]
