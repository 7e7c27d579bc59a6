"""Import an OKR-as-code document into an organisation: validated, atomic, idempotent.

The whole document is applied inside one transaction; every problem found is collected
with its path (`objectives[3].key_results[1].target: …`). If there is any, or on a dry
run, the transaction is rolled back and nothing is written. Objects are matched by their
stable keys (team slug, cycle name, `key`), so importing the same file again changes
nothing. Model validation (`full_clean`) and the alignment service hold the same rules
as the web app; an import restores states (phases, statuses) as the file gives them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leitstern.checkins.models import CheckIn, HelpOffer, IndicatorValue, Problem
from leitstern.checkins.services import checkin_week, refresh_derived
from leitstern.exchange.document import (
    CheckInDoc,
    Document,
    HealthMetricDoc,
    KeyResultDoc,
    ObjectiveDoc,
)
from leitstern.exchange.messages import summary_line
from leitstern.exchange.models import ExternalKey
from leitstern.frame.models import Frame, Moal, StrategyTime
from leitstern.health.models import HealthMetric, HealthReading
from leitstern.learning.models import Learning, Retrospective, Source
from leitstern.okrs.models import Cycle, KeyResult, LeadingIndicator, Objective, ObjectiveStatus
from leitstern.okrs.services import CHECKIN_DERIVED, align
from leitstern.orgs.models import Attribution, Organization, OrgOwned, Team

Progress = Callable[[int, int], None]
DERIVED = ["current_value", "current_confidence", "last_checkin_on"]


@dataclass
class Report:
    """What an import did (or would do, on a dry run), and every error found."""

    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def summary(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            summary_line(
                kind,
                self.created[kind],
                self.updated[kind],
                self.unchanged[kind],
                dry_run=self.dry_run,
            )
            for kind in kinds
        ]


class Importer:
    def __init__(
        self,
        organization: Organization,
        doc: Document,
        *,
        progress: Progress | None = None,
        admin: bool = True,
    ) -> None:
        self.org = organization
        self.doc = doc
        # Settings and teams are the admins' to change, in files as on the settings page.
        self.admin = admin
        self.progress = progress
        self.report = Report()
        self.teams = {t.slug: t for t in Team.objects.in_org(organization)}
        self.cycles = {c.name: c for c in Cycle.objects.filter(organization=organization)}
        self.index: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, set[str]] = {}
        self.touched_krs: set[int] = set()
        self._load_keys()

    # ---- keys

    def _load_keys(self) -> None:
        models_by_kind: dict[str, type[models.Model]] = {
            "moal": Moal,
            "objective": Objective,
            "key_result": KeyResult,
            "indicator": LeadingIndicator,
            "learning": Learning,
            "health_metric": HealthMetric,
        }
        self.models = models_by_kind
        mapped: dict[str, dict[uuid.UUID, str]] = {}
        for row in ExternalKey.objects.filter(organization=self.org):
            mapped.setdefault(row.kind, {})[row.object_uuid] = row.key
        for kind, model in models_by_kind.items():
            objects = model.objects.filter(organization=self.org)  # type: ignore[attr-defined]
            table = {}
            for obj in objects:
                table[str(obj.uuid)] = obj
                if obj.uuid in mapped.get(kind, {}):
                    table[mapped[kind][obj.uuid]] = obj
            self.index[kind] = table

    def find(self, kind: str, key: str | None) -> Any:
        return None if key is None else self.index[kind].get(key)

    def _claim(self, kind: str, key: str, path: str) -> bool:
        seen = self.seen.setdefault(kind, set())
        if key in seen:
            self.error(
                path + ".key",
                _("the key “%(key)s” is used twice in the file; give each object its own key")
                % {"key": key},
            )
            return False
        seen.add(key)
        return True

    def _new(self, kind: str, key: str, model: type[OrgOwned], **fields: Any) -> Any:
        obj = model(organization=self.org, **fields)
        try:
            wanted = uuid.UUID(key)
        except ValueError:
            return obj
        if not model._default_manager.filter(uuid=wanted).exists():
            obj.uuid = wanted  # keeps API links valid when restoring into a new installation
        return obj

    def _remember(self, kind: str, key: str, obj: Any) -> None:
        self.index[kind][key] = obj
        if key != str(obj.uuid):
            ExternalKey.objects.update_or_create(
                organization=self.org, kind=kind, key=key, defaults={"object_uuid": obj.uuid}
            )

    # ---- errors and saving

    def error(self, path: str, message: str) -> None:
        self.report.errors.append((path, message))

    def _fail(self, path: str, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                where = path if name == "__all__" else f"{path}.{name}"
                for message in messages:
                    self.error(where, message)
        else:
            for message in exc.messages:
                self.error(path, message)

    def save(
        self,
        path: str,
        kind: str,
        obj: Any,
        fields: dict[str, Any],
        *,
        new: bool,
        exclude: list[str] | None = None,
    ) -> Any:
        """Set `fields` on `obj` and save it after full_clean, only if something changed."""
        if not new and not any(_differs(obj, k, v) for k, v in fields.items()):
            self.report.unchanged[kind] += 1
            return obj
        for name, value in fields.items():
            setattr(obj, name, value)
        try:
            with transaction.atomic():
                obj.full_clean(exclude=exclude)
                obj.save(update_fields=None if new else _stored_fields(obj))
        except ValidationError as exc:
            self._fail(path, exc)
            return None
        except (IntegrityError, DataError) as exc:
            self.error(
                path,
                _("could not be stored, the database refused it (%(reason)s); check this entry")
                % {"reason": str(exc).strip().splitlines()[0] if str(exc).strip() else ""},
            )
            return None
        (self.report.created if new else self.report.updated)[kind] += 1
        return obj

    # ---- the run

    def run(self, *, dry_run: bool = False) -> Report:
        self.report.dry_run = dry_run
        with transaction.atomic():
            self._apply()
            if self.report.errors or dry_run:
                transaction.set_rollback(True)
        return self.report

    def _apply(self) -> None:
        self._settings()
        self._frame()
        for i, moal in enumerate(self.doc.moals):
            self._moal(f"moals[{i}]", moal)
        self._teams()
        for i, cycle in enumerate(self.doc.cycles):
            self._cycle(f"cycles[{i}]", cycle)
        saved = []
        total = len(self.doc.objectives)
        for i, objective in enumerate(self.doc.objectives):
            saved.append(self._objective(f"objectives[{i}]", objective))
            if self.progress:
                self.progress(i + 1, total)
        for i, (objective_doc, obj) in enumerate(zip(self.doc.objectives, saved, strict=True)):
            if obj is not None:
                self._links(f"objectives[{i}]", objective_doc, obj)
        self._limits(saved)
        for i, learning in enumerate(self.doc.learnings):
            self._learning(f"learnings[{i}]", learning)
        for i, metric in enumerate(self.doc.health_metrics):
            self._metric(f"health_metrics[{i}]", metric)
        for kr in KeyResult.objects.filter(pk__in=self.touched_krs):
            refresh_derived(kr)

    def _signature(self, name: str) -> str:
        # Names on problems and help offers only where the organisation shows them.
        return name if self.org.attribution == Attribution.TEAM_AND_NAME else ""

    def _settings(self) -> None:
        if self.doc.settings is None:
            return
        values = self.doc.settings.model_dump()
        if not self.admin and any(_differs(self.org, k, v) for k, v in values.items()):
            self.error(
                "settings",
                _(
                    "only admins change the organisation's settings; remove `settings` from the "
                    "file or ask an admin to import it"
                ),
            )
            return
        self.save("settings", "settings", self.org, values, new=False)

    def _frame(self) -> None:
        if self.doc.frame is None:
            return
        frame = Frame.objects.filter(organization=self.org).first()
        new = frame is None
        frame = frame or Frame(organization=self.org)
        self.save("frame", "frame", frame, self.doc.frame.model_dump(), new=new)

    def _moal(self, path: str, doc: Any) -> None:
        if not self._claim("moal", doc.key, path):
            return
        moal = self.find("moal", doc.key)
        new = moal is None
        if new:
            moal = self._new("moal", doc.key, Moal)
            moal.position = Moal.objects.filter(organization=self.org).count()
        fields = doc.model_dump(exclude={"key"})
        if self.save(path, "moal", moal, fields, new=new) is not None:
            self._remember("moal", doc.key, moal)

    def _teams(self) -> None:
        created: set[str] = set()
        for i, doc in enumerate(self.doc.teams):
            path = f"teams[{i}]"
            if not self._claim("team", doc.slug, path):
                continue
            team = self.teams.get(doc.slug)
            new = team is None
            team = team or Team(organization=self.org, slug=doc.slug)
            fields = {"name": doc.name, "description": doc.description}
            if not self.admin and (new or any(_differs(team, k, v) for k, v in fields.items())):
                self.error(
                    path,
                    _(
                        "only admins create or rename teams; use an existing team's short name "
                        "or ask an admin to import the file"
                    ),
                )
                continue
            if self.save(path, "team", team, fields, new=new) is not None:
                self.teams[doc.slug] = team
                if new:
                    created.add(doc.slug)
        for i, doc in enumerate(self.doc.teams):
            team = self.teams.get(doc.slug)
            if team is None or team.pk is None:
                continue
            parent = self._team(f"teams[{i}].parent", doc.parent) if doc.parent else None
            if doc.parent and parent is None:
                continue
            if team.parent_id != (parent.pk if parent else None):
                if not self.admin:
                    self.error(
                        f"teams[{i}].parent",
                        _("only admins move teams in the tree; keep the team's current parent"),
                    )
                    continue
                counted = self.report.updated if doc.slug in created else self.report.unchanged
                if self.save(f"teams[{i}]", "team", team, {"parent": parent}, new=False):
                    counted["team"] -= 1  # one team, counted once
            if doc.strategy_time is not None:
                self._strategy_time(f"teams[{i}].strategy_time", team, doc.strategy_time)

    def _strategy_time(self, path: str, team: Team, doc: Any) -> None:
        strategy = StrategyTime.objects.filter(team=team).first()
        new = strategy is None
        strategy = strategy or StrategyTime(organization=self.org, team=team)
        self.save(path, "strategy_time", strategy, doc.model_dump(), new=new)

    def _team(self, path: str, slug: str | None) -> Team | None:
        team = self.teams.get(slug or "")
        if team is None or team.pk is None:
            self.error(
                path,
                _(
                    "there is no team “%(slug)s” in the file or the organisation; check the short "
                    "name or add the team under `teams`"
                )
                % {"slug": slug},
            )
            return None
        return team

    def _cycle(self, path: str, doc: Any) -> None:
        if not self._claim("cycle", doc.name, path):
            return
        cycle = self.cycles.get(doc.name)
        new = cycle is None
        cycle = cycle or Cycle(organization=self.org, name=doc.name)
        fields = doc.model_dump(exclude={"name"})
        if self.save(path, "cycle", cycle, fields, new=new) is not None:
            self.cycles[doc.name] = cycle

    def _cycle_named(self, path: str, name: str) -> Cycle | None:
        cycle = self.cycles.get(name)
        if cycle is None or cycle.pk is None:
            self.error(
                path,
                _(
                    "there is no cycle “%(name)s” in the file or the organisation; check the "
                    "name or add the cycle with its dates"
                )
                % {"name": name},
            )
            return None
        return cycle

    # ---- objectives and everything below them

    def _objective(self, path: str, doc: ObjectiveDoc) -> Objective | None:
        team = self._team(f"{path}.team", doc.team)
        cycle = self._cycle_named(f"{path}.cycle", doc.cycle)
        if not self._claim("objective", doc.key, path) or team is None or cycle is None:
            return None
        objective = self.find("objective", doc.key)
        new = objective is None
        if new:
            objective = self._new("objective", doc.key, Objective)
            objective.position = Objective.objects.filter(team=team, cycle=cycle).count()
        fields = {
            "team": team,
            "cycle": cycle,
            **doc.model_dump(
                include={"title", "why", "open_questions", "kind", "status", "committed_at"}
            ),
        }
        if self.save(path, "objective", objective, fields, new=new) is None:
            return None
        self._remember("objective", doc.key, objective)
        for i, kr in enumerate(doc.key_results):
            self._key_result(f"{path}.key_results[{i}]", objective, kr)
        if doc.retrospective is not None:
            retro = Retrospective.objects.filter(objective=objective).first()
            is_new = retro is None
            retro = retro or Retrospective(organization=self.org, objective=objective)
            self.save(
                f"{path}.retrospective",
                "retrospective",
                retro,
                doc.retrospective.model_dump(),
                new=is_new,
            )
        return objective

    def _key_result(self, path: str, objective: Objective, doc: KeyResultDoc) -> None:
        if not self._claim("key_result", doc.key, path):
            return
        kr = self.find("key_result", doc.key)
        new = kr is None
        if new:
            kr = self._new("key_result", doc.key, KeyResult)
            kr.position = KeyResult.objects.filter(objective=objective).count()
        fields = {
            "objective": objective,
            **doc.model_dump(exclude={"key", "leading_indicators", "checkins"}),
        }
        if self.save(path, "key_result", kr, fields, new=new, exclude=DERIVED) is None:
            return
        self._remember("key_result", doc.key, kr)
        indicators: dict[str, LeadingIndicator] = {}
        for i, ind in enumerate(doc.leading_indicators):
            saved = self._indicator(f"{path}.leading_indicators[{i}]", kr, ind)
            if saved is not None:
                indicators[ind.key] = saved
        for i, checkin in enumerate(doc.checkins):
            self._checkin(f"{path}.checkins[{i}]", kr, objective, checkin, indicators)

    def _indicator(self, path: str, kr: KeyResult, doc: Any) -> LeadingIndicator | None:
        if not self._claim("indicator", doc.key, path):
            return None
        indicator = self.find("indicator", doc.key)
        new = indicator is None
        if new:
            indicator = self._new("indicator", doc.key, LeadingIndicator)
            indicator.position = LeadingIndicator.objects.filter(key_result=kr).count()
        fields = {"key_result": kr, **doc.model_dump(exclude={"key"})}
        if self.save(path, "leading_indicator", indicator, fields, new=new) is None:
            return None
        self._remember("indicator", doc.key, indicator)
        return indicator

    def _checkin(
        self,
        path: str,
        kr: KeyResult,
        objective: Objective,
        doc: CheckInDoc,
        indicators: dict[str, LeadingIndicator],
    ) -> None:
        if not self._checkin_rules(path, kr, objective, doc):
            return
        checkin = CheckIn.objects.filter(key_result=kr, week=doc.week).first()
        new = checkin is None
        checkin = checkin or CheckIn(organization=self.org, key_result=kr, week=doc.week)
        fields = doc.model_dump(include={"checked_on", "value", "confidence", "note"})
        before = self.report.created["checkin"] + self.report.updated["checkin"]
        if self.save(path, "checkin", checkin, fields, new=new) is None:
            return
        if self.report.created["checkin"] + self.report.updated["checkin"] != before:
            self.touched_krs.add(kr.pk)
        for key, value in doc.indicator_values.items():
            indicator = indicators.get(key)
            if indicator is None:
                self.error(
                    f"{path}.indicator_values.{key}",
                    _(
                        "“%(key)s” is not a leading indicator of this key result; use the key of "
                        "one listed under its leading_indicators"
                    )
                    % {"key": key},
                )
                continue
            row = IndicatorValue.objects.filter(checkin=checkin, indicator=indicator).first()
            is_new = row is None
            row = row or IndicatorValue(organization=self.org, checkin=checkin, indicator=indicator)
            self.save(
                f"{path}.indicator_values.{key}",
                "indicator_value",
                row,
                {"value": value},
                new=is_new,
            )
        if doc.problem is not None:
            self._problem(f"{path}.problem", checkin, objective, doc.problem)
        if doc.learning:
            self._checkin_learning(path, checkin, objective, doc.learning)

    def _checkin_rules(
        self, path: str, kr: KeyResult, objective: Objective, doc: CheckInDoc
    ) -> bool:
        ok = True
        try:
            kr.validate_value(doc.value)  # type: ignore[arg-type]
        except ValidationError as exc:
            self._fail(path, exc)
            ok = False
        if doc.checked_on > timezone.localdate():
            self.error(
                f"{path}.checked_on",
                _("%(day)s is in the future; a check-in cannot be dated after today")
                % {"day": doc.checked_on},
            )
            return False
        try:
            week = checkin_week(
                cycle=objective.cycle, day=doc.checked_on, late_days=self.org.late_checkin_days
            )
        except ValidationError as exc:
            self._fail(path, exc)
            return False
        if week != doc.week:
            self.error(
                f"{path}.week",
                _("a check-in on %(day)s counts for the week of %(week)s; write that week")
                % {"day": doc.checked_on, "week": week},
            )
            ok = False
        return ok

    def _problem(self, path: str, checkin: CheckIn, objective: Objective, doc: Any) -> None:
        problem = Problem.objects.filter(checkin=checkin).first()
        new = problem is None
        problem = problem or Problem(organization=self.org, checkin=checkin)
        fields = {
            "key_result": checkin.key_result,
            "team": objective.team,
            **doc.model_dump(include={"text", "status", "resolved_at"}),
            "signed_as": self._signature(doc.signed_as),
        }
        if self.save(path, "problem", problem, fields, new=new) is None:
            return
        for i, offer in enumerate(doc.help_offers):
            team = self._team(f"{path}.help_offers[{i}].team", offer.team)
            if team is None:
                continue
            existing = HelpOffer.objects.filter(
                problem=problem, team=team, message=offer.message
            ).first()
            row = existing or HelpOffer(organization=self.org, problem=problem, team=team)
            fields = {"message": offer.message, "signed_as": self._signature(offer.signed_as)}
            self.save(f"{path}.help_offers[{i}]", "help_offer", row, fields, new=existing is None)

    def _checkin_learning(
        self, path: str, checkin: CheckIn, objective: Objective, text: str
    ) -> None:
        learning = Learning.objects.filter(checkin=checkin).first()
        new = learning is None
        learning = learning or Learning(organization=self.org, checkin=checkin)
        fields = {
            "team": objective.team,
            "cycle": objective.cycle,
            "objective": objective,
            "key_result": checkin.key_result,
            "text": text,
            "source": Source.CHECKIN,
        }
        self.save(f"{path}.learning", "learning", learning, fields, new=new)

    def _links(self, path: str, doc: ObjectiveDoc, objective: Objective) -> None:
        carried = None
        if doc.carried_over_from:
            carried = self.find("objective", doc.carried_over_from)
            if carried is None:
                self.error(
                    f"{path}.carried_over_from", _missing_key("objective", doc.carried_over_from)
                )
        if objective.carried_over_from_id != (carried.pk if carried else None) and (
            carried or not doc.carried_over_from
        ):
            self.save(path, "objective", objective, {"carried_over_from": carried}, new=False)
        moals = [self._ref(f"{path}.moals[{i}]", "moal", k) for i, k in enumerate(doc.moals)]
        targets = [
            self._ref(f"{path}.contributes_to[{i}]", "objective", k)
            for i, k in enumerate(doc.contributes_to)
        ]
        if None in moals or None in targets:
            return
        has_moals = set(objective.moals.values_list("pk", flat=True))
        has_targets = set(objective.contributes_to.values_list("pk", flat=True))
        if has_moals == {m.pk for m in moals} and has_targets == {t.pk for t in targets}:
            return
        try:
            with transaction.atomic():
                align(objective=objective, moals=moals, contributes_to=targets)
        except ValidationError as exc:
            self._fail(f"{path}.contributes_to", exc)
            return
        self.report.updated["alignment"] += 1

    def _ref(self, path: str, kind: str, key: str) -> Any:
        obj = self.find(kind, key)
        if obj is None:
            self.error(path, _missing_key(kind, key))
        return obj

    def _limits(self, saved: list[Objective | None]) -> None:
        groups = {(o.team_id, o.cycle_id) for o in saved if o is not None}
        limit = self.org.max_objectives_per_team
        for team_id, cycle_id in sorted(groups):
            live = Objective.objects.filter(team_id=team_id, cycle_id=cycle_id).exclude(
                status=ObjectiveStatus.DROPPED
            )
            if live.count() > limit:
                team = Team.objects.get(pk=team_id)
                cycle = Cycle.objects.get(pk=cycle_id)
                self.error(
                    "objectives",
                    _(
                        "%(team)s would have %(n)s objectives in “%(cycle)s”; the organisation's "
                        "limit is %(limit)s. Focus helps: drop or merge some."
                    )
                    % {"team": team.name, "n": live.count(), "cycle": cycle.name, "limit": limit},
                )
        kr_limit = self.org.max_key_results_per_objective
        for index, objective in enumerate(saved):
            if objective is not None and objective.key_results.count() > kr_limit:
                self.error(
                    f"objectives[{index}].key_results",
                    _(
                        "more than %(limit)s key results, the organisation's limit; keep the "
                        "%(limit)s that show the change best"
                    )
                    % {"limit": kr_limit},
                )

    def _learning(self, path: str, doc: Any) -> None:
        team = self._team(f"{path}.team", doc.team)
        cycle = self._cycle_named(f"{path}.cycle", doc.cycle) if doc.cycle else None
        objective = (
            self._ref(f"{path}.objective", "objective", doc.objective) if doc.objective else None
        )
        kr = (
            self._ref(f"{path}.key_result", "key_result", doc.key_result)
            if doc.key_result
            else None
        )
        if not self._claim("learning", doc.key, path) or team is None:
            return
        learning = self.find("learning", doc.key)
        new = learning is None
        learning = learning or self._new("learning", doc.key, Learning)
        fields = {
            "team": team,
            "cycle": cycle,
            "objective": objective,
            "key_result": kr,
            **doc.model_dump(include={"text", "hypothesis_outcome", "source"}),
        }
        if self.save(path, "learning", learning, fields, new=new) is not None:
            self._remember("learning", doc.key, learning)

    def _metric(self, path: str, doc: HealthMetricDoc) -> None:
        team = self._team(f"{path}.team", doc.team) if doc.team else None
        if not self._claim("health_metric", doc.key, path) or (doc.team and team is None):
            return
        metric = self.find("health_metric", doc.key)
        new = metric is None
        if new:
            metric = self._new("health_metric", doc.key, HealthMetric)
            metric.position = HealthMetric.objects.filter(organization=self.org).count()
        fields = {"team": team, **doc.model_dump(exclude={"key", "team", "readings"})}
        if self.save(path, "health_metric", metric, fields, new=new) is None:
            return
        self._remember("health_metric", doc.key, metric)
        existing = {r.measured_on: r for r in HealthReading.objects.filter(metric=metric)}
        for i, reading in enumerate(doc.readings):
            row = existing.get(reading.measured_on)
            is_new = row is None
            row = row or HealthReading(
                organization=self.org, metric=metric, measured_on=reading.measured_on
            )
            self.save(
                f"{path}.readings[{i}]", "health_reading", row, {"value": reading.value}, new=is_new
            )


def _missing_key(kind: str, key: str) -> str:
    if kind == "moal":
        text = _(
            "there is no mid-term goal (MOAL) with the key “%(key)s” in the file or the "
            "organisation"
        )
    elif kind == "key_result":
        text = _("there is no key result with the key “%(key)s” in the file or the organisation")
    else:
        text = _("there is no objective with the key “%(key)s” in the file or the organisation")
    return text % {"key": key}


def _differs(obj: Any, name: str, value: Any) -> bool:
    if isinstance(value, models.Model) or (
        value is None and isinstance(obj._meta.get_field(name), models.ForeignKey)
    ):
        return getattr(obj, f"{name}_id") != (value.pk if value is not None else None)
    return bool(getattr(obj, name) != value)


def import_document(
    organization: Organization,
    doc: Document,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    admin: bool = True,
) -> Report:
    """Apply `doc` to `organization` in one transaction; nothing is written on any error.

    `admin=False` (a facilitator) refuses changes to settings and to the team tree.
    """
    return Importer(organization, doc, progress=progress, admin=admin).run(dry_run=dry_run)


def import_file(
    raw: bytes,
    organization: Organization,
    *,
    name: str = "",
    dry_run: bool = False,
    cycle: str | None = None,
    progress: Progress | None = None,
    admin: bool = True,
) -> Report:
    """Read a JSON, YAML or CSV file and import it; errors come back in the report."""
    from leitstern.exchange.csvimport import CsvResult, csv_document
    from leitstern.exchange.document import DocumentError, load_data, parse

    is_csv = name.lower().endswith((".csv", ".tsv", ".txt"))
    sheet: CsvResult | None = None
    try:
        if is_csv:
            sheet = csv_document(raw, organization, cycle_name=cycle)
            doc = parse(sheet.doc)
        else:
            doc = parse(load_data(raw, name=name))
    except DocumentError as exc:
        where = sheet.where if sheet else str
        report = Report(dry_run=dry_run, errors=[(where(p), m) for p, m in exc.errors])
        report.notes = _mapping(getattr(exc, "notes", sheet.mapping if sheet else []))
        return report
    report = import_document(organization, doc, dry_run=dry_run, progress=progress, admin=admin)
    if sheet is not None:
        report.errors = [(sheet.where(p), m) for p, m in report.errors]
        report.notes = _mapping(sheet.mapping)
    return report


def _mapping(lines: list[str]) -> list[str]:
    return [_("Column mapping:"), *("  " + line for line in lines)] if lines else []


def _stored_fields(obj: models.Model) -> list[str]:
    """The fields an import writes on an existing row: all but the values check-ins derive,
    which a check-in committed during the import may have changed since they were read."""
    skip = CHECKIN_DERIVED if isinstance(obj, KeyResult) else ()
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name not in skip]
