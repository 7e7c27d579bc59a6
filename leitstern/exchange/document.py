"""The OKR-as-code document: its schema (pydantic, published as JSON Schema) and parsing.

Teams are keyed by their short name (slug), cycles by their name, everything else by a
`key`: the object's UUID on export, or any string of your own in a hand-written file.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import yaml
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)

from leitstern.exchange import messages
from leitstern.lib.apikit import PERSON_FIELDS, refuse_nul, team_okrs_only

FORMAT_VERSION = 1
MAX_BYTES = 20 * 1024 * 1024

Key = str


Number = Annotated[
    Decimal,
    BeforeValidator(lambda v: _decimal(v)),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}],
            "description": "a decimal number: at most 12 digits before and 4 after the point",
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    no_nul = field_validator("*")(classmethod(lambda cls, v: refuse_nul(v)))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("a number is expected here, not true or false"))
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(
            _("“%(value)s” is not a number; write it like 12.5") % {"value": value}
        ) from exc
    if not result.is_finite():
        raise ValueError(_("a finite number is expected here"))
    if abs(result) >= Decimal("1e12") or result != result.quantize(Decimal("0.0001")):
        raise ValueError(
            _("too many digits: at most 12 before and 4 after the decimal point are stored")
        )
    return result


class Settings(Strict):
    language: Literal["en", "de"] = "en"
    attribution: Literal["team", "team_and_name"] = "team"
    max_objectives_per_team: int = Field(5, ge=1, le=20)
    max_key_results_per_objective: int = Field(5, ge=1, le=20)
    pulse_min_responses: int = Field(5, ge=3, le=50)
    audit_retention_days: int = Field(90, ge=1, le=3650)
    late_checkin_days: int = Field(7, ge=0, le=60)


class FrameDoc(Strict):
    vision: str = ""
    purpose: str = ""


class MoalDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    horizon: datetime.date | None = None
    archived: bool = False


class StrategyTimeDoc(Strict):
    hours_per_week: Number | None = None
    slot: str = Field("", max_length=120)


class TeamDoc(Strict):
    slug: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=150)
    description: str = ""
    parent: str | None = None
    strategy_time: StrategyTimeDoc | None = None


class CycleDoc(Strict):
    name: str = Field(..., min_length=1, max_length=80)
    starts_on: datetime.date
    ends_on: datetime.date
    phase: Literal["planning", "running", "reflecting", "closed"] = "planning"


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)  # a time without zone is read as UTC
    return value


class HelpOfferDoc(Strict):
    team: str
    message: str = Field(..., min_length=1)
    signed_as: str = Field("", max_length=150)


class ProblemDoc(Strict):
    text: str = Field(..., min_length=1)
    status: Literal["open", "resolved"] = "open"
    resolved_at: datetime.datetime | None = None
    signed_as: str = Field("", max_length=150)
    help_offers: list[HelpOfferDoc] = []

    parse_moment = field_validator("resolved_at")(classmethod(lambda cls, v: _aware(v)))


class CheckInDoc(Strict):
    week: datetime.date
    checked_on: datetime.date
    value: Number
    confidence: int = Field(..., ge=0, le=10)
    note: str = ""
    indicator_values: dict[Key, Number] = {}
    problem: ProblemDoc | None = None
    learning: str | None = None


class IndicatorDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field("", max_length=40)
    baseline: Number | None = None
    target: Number | None = None


class KeyResultDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    title: str = Field(..., min_length=1, max_length=300)
    hypothesis: str = ""
    hypothesis_status: Literal["untested", "supported", "refuted", "inconclusive"] = "untested"
    hypothesis_evidence: str = ""
    kind: Literal["metric", "ordinal"] = "metric"
    unit: str = Field("", max_length=40)
    baseline: Number | None = None
    target: Number | None = None
    commit_level: str = Field("", max_length=300)
    target_level: str = Field("", max_length=300)
    stretch_level: str = Field("", max_length=300)
    leading_indicators: list[IndicatorDoc] = []
    checkins: list[CheckInDoc] = []


class RetrospectiveDoc(Strict):
    what_held: str = ""
    what_refuted: str = ""
    carry_forward: str = ""
    self_assessment: Number | None = None


class ObjectiveDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    cycle: str
    team: str
    title: str = Field(..., min_length=1, max_length=200)
    why: str = ""
    open_questions: str = ""
    kind: Literal["committed", "aspirational"] = "committed"
    status: Literal["draft", "committed", "closed", "dropped"] = "draft"
    committed_at: datetime.datetime | None = None
    carried_over_from: Key | None = None
    moals: list[Key] = []
    contributes_to: list[Key] = []
    key_results: list[KeyResultDoc] = []
    retrospective: RetrospectiveDoc | None = None

    parse_moment = field_validator("committed_at")(classmethod(lambda cls, v: _aware(v)))


class LearningDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    team: str
    cycle: str | None = None
    objective: Key | None = None
    key_result: Key | None = None
    text: str = Field(..., min_length=1)
    hypothesis_outcome: Literal["", "supported", "refuted", "inconclusive"] = ""
    source: Literal["checkin", "retrospective", "other"] = "other"


class ReadingDoc(Strict):
    measured_on: datetime.date
    value: Number


class HealthMetricDoc(Strict):
    key: Key = Field(..., min_length=1, max_length=100)
    team: str | None = None
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    unit: str = Field("", max_length=40)
    healthy_min: Number | None = None
    healthy_max: Number | None = None
    readings: list[ReadingDoc] = []


class Document(Strict):
    """A Leitstern organisation's OKR work (format version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        title="Leitstern OKR-as-code document",
        json_schema_extra={"$id": "https://leitstern.invalid/schema/leitstern-export.schema.json"},
    )

    leitstern: Literal[1] = Field(..., description="format version")
    settings: Settings | None = None
    frame: FrameDoc | None = None
    moals: list[MoalDoc] = []
    teams: list[TeamDoc] = []
    cycles: list[CycleDoc] = []
    objectives: list[ObjectiveDoc] = []
    learnings: list[LearningDoc] = []
    health_metrics: list[HealthMetricDoc] = []


# ---- reading files


class DocumentError(Exception):
    """The file cannot be imported; `errors` lists (path, message) for each problem found."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"{path}: {message}" for path, message in errors))


def path_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """('objectives', 3, 'key_results', 1, 'target') → objectives[3].key_results[1].target"""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or messages.place_file()


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: a few bytes of nested aliases expand to millions
    of nodes (a "billion laughs" file), and OKR files never need them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in Leitstern files", event.start_mark
            )
        return super().compose_node(parent, index)


def load_data(raw: bytes, *, name: str = "") -> Any:
    """Parse JSON or YAML (safe loader only); refuse oversized files clearly."""
    if len(raw) > MAX_BYTES:
        raise DocumentError([(messages.place_file(), messages.too_large(MAX_BYTES // 2**20))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [(messages.place_file(), _("The file is not UTF-8 text; save it as UTF-8 and retry."))]
        ) from exc
    try:
        if name.lower().endswith(".json") or text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.load(text, Loader=_NoAliasLoader)
    except RecursionError as exc:
        raise DocumentError([(messages.place_file(), _nested_too_deeply())]) from exc
    except json.JSONDecodeError as exc:
        raise DocumentError([messages.json_syntax(exc)]) from exc
    except yaml.YAMLError as exc:
        raise DocumentError([messages.yaml_syntax(exc)]) from exc


def _nested_too_deeply() -> str:
    return _("The file is nested too deeply; Leitstern files have at most a few levels.")


def person_fields(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[str, str]]:
    """Every place where the data names a person as owner, assignee and the like."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).strip().lower() in PERSON_FIELDS:
                found.append((path_of((*loc, key)), team_okrs_only()))
            elif key != "indicator_values":
                found.extend(person_fields(value, (*loc, key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(person_fields(item, (*loc, index)))
    return found


def parse(data: Any) -> Document:
    """Validate the structure of the whole document; raise DocumentError with every problem."""
    if not isinstance(data, dict):
        raise DocumentError(
            [
                (
                    messages.place_file(),
                    _("The file must hold one mapping that starts with `leitstern: 1`."),
                )
            ]
        )
    try:
        persons = person_fields(data)
    except RecursionError as exc:
        raise DocumentError([(messages.place_file(), _nested_too_deeply())]) from exc
    if persons:
        raise DocumentError(persons)
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(
            [
                (path_of(e["loc"]), messages.structure_error(dict(e)))
                for e in exc.errors(include_url=False)
            ]
        ) from exc


def json_schema() -> dict[str, Any]:
    return Document.model_json_schema()
