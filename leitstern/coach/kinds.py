"""Classify a key result into one of the coach's five kinds.

The decision is an ordered list of small rules (``KIND_RULES``). The first rule
that applies decides the kind, its certainty and the rule id the review shows.
The order follows DOMAIN.md, appendix "the coach's five classes".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from leitstern.coach import rules as r

OUTCOME = "outcome"
OUTPUT = "output"
ACTIVITY = "activity"
KPI = "kpi_maintenance"
UNMEASURABLE = "unmeasurable"
KINDS = (OUTCOME, OUTPUT, ACTIVITY, KPI, UNMEASURABLE)

LIKELY = "likely"
POSSIBLY = "possibly"

_HOLD = re.compile(r"^(?:hold\w*|halten|hält|gehalten)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:a|an|the|ein|eine|einen|der|die|das)\s+", re.IGNORECASE)
_TITLE_CASE = re.compile(r"(?:\W*[A-Z0-9ÄÖÜ][\w\-]*\W*)+")
_ZERO = re.compile(r"\b(?:no|zero|keine?|null)\b", re.IGNORECASE)
_TAIL = re.compile(r"^[\s.;:!)\-–]*(?:,.*)?$")


@dataclass(frozen=True)
class Classification:
    """The kind of a key result, how sure the coach is, and the rule that decided."""

    kind: str
    certainty: str
    rule: str


@dataclass(frozen=True)
class Signals:
    """What the rules read from one key result (computed once per review)."""

    text: str
    main: str
    purpose: str
    number: bool
    objective: str
    has_target: bool
    has_baseline: bool


def split_clauses(text: str) -> tuple[str, str]:
    """Return (main clause, purpose clause); a "by doing …" means clause is dropped."""
    means = r.MEANS.search(text)
    head = text
    if means and means.start() > 0 and _first_verb(text[means.end() :]) is not None:
        head = text[: means.start()]
    purpose = r.PURPOSE.search(head)
    if purpose and purpose.start() > 0:
        return head[: purpose.start()], head[purpose.end() :]
    return head, ""


def segments(clause: str) -> list[str]:
    """Split a clause at "and"/"und"/";" into the parts that could each be a key result."""
    return [part for part in r.CONJUNCTION.split(clause) if part.strip()]


def measurable_change(clause: str) -> bool:
    """True when one segment pairs change language (or a baseline) with a number."""
    return any(_segment_changes(seg) for seg in segments(clause))


def _segment_changes(seg: str) -> bool:
    moving = bool(r.CHANGE.search(seg)) or r.has_baseline(seg)
    return moving and r.has_number(seg)


def _changing_segments(s: Signals) -> list[str]:
    return [seg for seg in segments(s.main) + segments(s.purpose) if _segment_changes(seg)]


def _first_verb(clause: str) -> tuple[str, r.Hit] | None:
    """The team's first verb; a capitalised word inside a sentence is a noun ("Schulen")."""
    separable = r.separable_verb(clause)
    if separable is not None:
        return separable
    title_case = _TITLE_CASE.fullmatch(clause.strip()) is not None
    found = [
        (kind, r.Hit(m.group(0), m.start()))
        for kind, pattern in ((OUTPUT, r.OUTPUT_VERBS), (ACTIVITY, r.ACTIVITY_VERBS))
        for m in pattern.finditer(clause)
        if title_case or not _is_inner_noun(clause, m.start())
    ]
    if not found:
        return None
    found.sort(key=lambda item: item[1].start)
    first, last = found[0], found[-1]
    if first[1].word[:1].isupper() and _is_final(clause, last[1]) and _german_verb(last[1].word):
        # German verb-final: "Monitoring für alle Services aufsetzen", "Prototyp … entwickeln
        # und testen": the first lower-case verb of the final verb group decides.
        return next(item for item in found if item[1].word[:1].islower())
    return first


def _german_verb(word: str) -> bool:
    german = r.DE_VERBS.fullmatch(word) and not r.EN_VERBS.fullmatch(word)
    return word[:1].islower() and bool(german)


def _subject(clause: str) -> r.Hit | None:
    """The first stakeholder word that is not a modifier of the team's events.

    "Kundengespräche" and "customer calls" name the team's events, not customers.
    """
    for match in r.STAKEHOLDERS.finditer(clause):
        word = match.group(0)
        if r.EVENT_NOUNS.fullmatch(word) or r.WORK_NOUNS.fullmatch(word):
            continue
        following = re.match(r"[\s\-]*([\w\-]+)", clause[match.end() :])
        if following and r.EVENT_NOUNS.fullmatch(following.group(1)):
            continue
        return r.Hit(word, match.start())
    return None


def _is_inner_noun(clause: str, start: int) -> bool:
    before = clause[:start].rstrip()
    return clause[start].isupper() and bool(before) and before[-1] not in ".:;!?\u2013-(\"'"


def _adverbial_recurring(clause: str) -> bool:
    """True for "every week", "3 times a month"; false for an adjective ("the monthly report")."""
    for match in r.RECURRING.finditer(clause):
        word = match.group(0).lower()
        rest = clause[match.end() :]
        if word.endswith("ly") and re.match(r"\s+[a-zäöüß]", rest, re.IGNORECASE):
            continue
        if re.search(r"lich(?:e|en|er|es|em)$", word):
            continue
        return True
    return False


def _is_final(clause: str, hit: r.Hit) -> bool:
    return bool(_TAIL.match(clause[hit.start + len(hit.word) :]))


def _improvement_context(s: Signals) -> bool:
    return bool(s.objective and r.IMPROVEMENT.search(s.objective)) or s.has_baseline


# --- the rules, in order -------------------------------------------------------------


def rule_placeholder(s: Signals) -> Classification | None:
    """Placeholders ("X%", "TBD") leave nothing to measure."""
    if r.has_placeholder(s.text):
        return Classification(UNMEASURABLE, LIKELY, "kind.placeholder")
    return None


def rule_maintain(s: Signals) -> Classification | None:
    """Maintain/keep/bleibt wording keeps a health level: KPI maintenance."""
    hit = r.first_hit(r.MAINTAIN, s.main)
    if hit is None or r.FROM_TO.search(s.text) or r.ARROW.search(s.text):
        return None
    if _HOLD.match(hit.word.split()[0]) and r.EVENT_NOUNS.search(s.main):
        return None  # "hold 4 workshops" is an activity
    return Classification(KPI, LIKELY, "kind.maintain-wording")


def rule_hygiene(s: Signals) -> Classification | None:
    """Engineering hygiene (test coverage, lint) is the team's own work: output."""
    if r.HYGIENE.search(s.text) and s.number:
        return Classification(OUTPUT, LIKELY, "kind.engineering-hygiene")
    return None


def rule_work_count(s: Signals) -> Classification | None:
    """A change in the count of the team's own work ("from 4 to 8 workshops")."""
    for seg in _changing_segments(s):
        work = _counted_work(seg)
        if work is None or _result_metric(seg):
            continue
        who = _subject(seg)
        if who is not None and who.start < work.start:
            continue  # "Kund:innen, die Webinare besuchen": customers' behaviour
        kind = ACTIVITY if r.EVENT_NOUNS.search(seg) or r.RECURRING.search(seg) else OUTPUT
        return Classification(kind, POSSIBLY, "kind.work-count-change")
    return None


def _counted_work(seg: str) -> r.Hit | None:
    """The first work noun that is counted, not a normaliser ("bugs per release")."""
    for match in r.WORK_NOUNS.finditer(seg):
        if not r.PER_BEFORE.search(seg[: match.start()]):
            return r.Hit(match.group(0), match.start())
    return None


def _result_metric(seg: str) -> bool:
    """A rate, share or result metric; a bare count word ("Anzahl", "number of") is not one."""
    metric = any(not r.COUNT_WORD.fullmatch(m.group(0)) for m in r.OUTCOME_METRICS.finditer(seg))
    share = any(not r.COUNT_WORD.match(m.group(0)) for m in r.SHARE_OF.finditer(seg))
    return metric or share


def rule_measurable_change(s: Signals) -> Classification | None:
    """Change language plus a number, or a baseline: an outcome."""
    if _changing_segments(s):
        return Classification(OUTCOME, LIKELY, "kind.measurable-change")
    return None


def rule_maximize(s: Signals) -> Classification | None:
    """ "Maximize …" with no target cannot be reached."""
    if r.MAXIMIZE.search(s.text) and not s.number:
        return Classification(UNMEASURABLE, LIKELY, "kind.maximize")
    return None


def rule_service_level(s: Signals) -> Classification | None:
    """A standing service level with a number and no change words: KPI maintenance."""
    service = r.SERVICE_METRICS.search(s.main) or r.SERVICE_WITHIN.search(s.main)
    zero = _ZERO.search(s.main)
    if not (service or _standing_threshold(s.main)) or not (s.number or zero):
        return None
    if _improvement_context(s):
        return Classification(OUTCOME, POSSIBLY, "kind.service-level-improvement")
    return Classification(KPI, LIKELY, "kind.service-level")


def rule_certification(s: Signals) -> Classification | None:
    """Obtaining a certification or passing an audit is an output (DOMAIN appendix 1)."""
    cert = r.first_hit(r.CERTIFICATION, s.main)
    if cert is None or r.MAINTAIN.search(s.main):
        return None
    who = _subject(s.main) or r.first_hit(r.SHARE_OF, s.main)
    if s.number and who is not None and who.start < cert.start:
        return None  # "80 % of trainees pass the exam": what people achieve
    return Classification(OUTPUT, LIKELY, "kind.certification")


def rule_zero_threshold(s: Signals) -> Classification | None:
    """ "Zero data breaches", "Keine Arbeitsunfälle": a standing threshold, not a change."""
    if not r.ZERO_START.match(s.main) or r.NO_LONGER.search(s.main) or r.CHANGE.search(s.main):
        return None
    if s.has_baseline or _first_verb(s.main) is not None or r.OUTPUT_STATES.search(s.main):
        return None
    if r.HYGIENE.search(s.main):
        return Classification(OUTPUT, LIKELY, "kind.engineering-hygiene")
    if _improvement_context(s):
        return Classification(OUTCOME, POSSIBLY, "kind.service-level-improvement")
    return Classification(KPI, LIKELY, "kind.service-level")


def rule_push(s: Signals) -> Classification | None:
    """ "Digitalisierung vorantreiben": a push with no end state and no number."""
    if not s.number and not s.has_target and r.PUSH.search(s.main):
        return Classification(UNMEASURABLE, LIKELY, "kind.change-without-number")
    return None


def _standing_threshold(clause: str) -> bool:
    """ "At most 2 incidents per month": a threshold repeated every period, no event held."""
    return bool(
        r.THRESHOLD.search(clause)
        and r.RECURRING.search(clause)
        and not r.EVENT_NOUNS.search(clause)
        and not r.ACTIVITY_VERBS.search(clause)
    )


def rule_stakeholder_behaviour(s: Signals) -> Classification | None:
    """A number about what customers, users or other stakeholders do."""
    if not s.number:
        return None
    who = _subject(s.main) or r.first_hit(r.SHARE_OF, s.main)
    if who is None:
        return None
    verb = _first_verb(s.main)
    if verb is None:
        event = r.first_hit(r.EVENT_NOUNS, s.main)
        if event and event.start < who.start and not r.OUTCOME_METRICS.search(s.main):
            return None  # "25 demos for prospects" counts the team's events
        return Classification(OUTCOME, LIKELY, "kind.stakeholder-number")
    hit = verb[1]
    if who.start < hit.start and not r.is_participle(hit.word, "") and not _is_final(s.main, hit):
        return Classification(OUTCOME, LIKELY, "kind.stakeholder-behaviour")
    return None


def rule_leading_change(s: Signals) -> Classification | None:
    """A key result that starts with a change verb and has no number: "Improve …"."""
    if not s.number and not s.has_target and r.CHANGE.match(_ARTICLE.sub("", s.main.strip())):
        return Classification(UNMEASURABLE, LIKELY, "kind.change-without-number")
    return None


def rule_final_state(s: Signals) -> Classification | None:
    """A key result that ends in a done-state: "… published", "… eingeführt"."""
    hits = list(r.OUTPUT_STATES.finditer(s.main))
    hit = hits[-1] if hits else None
    if hit is not None and _TAIL.match(s.main[hit.end() :]) and not r.CHANGE.search(s.main):
        return Classification(OUTPUT, LIKELY, "kind.output-state")
    return None


def rule_team_verb(s: Signals) -> Classification | None:
    """The team's own verb decides: deliverables are outputs, effort is activity."""
    verb = _first_verb(s.main)
    if verb is None:
        return None
    kind, hit = verb
    recurring = r.RECURRING.search(s.main)
    if _adverbial_recurring(s.main) or (
        recurring and (kind == ACTIVITY or r.EVENT_NOUNS.search(s.main))
    ):
        return Classification(ACTIVITY, LIKELY, "kind.recurring-effort")
    if kind == ACTIVITY and _HOLD.match(hit.word) and not r.EVENT_NOUNS.search(s.main):
        return None
    leading = hit.start <= 2 or _is_final(s.main, hit)
    certainty = LIKELY if leading else POSSIBLY
    rule = "kind.output-verb" if kind == OUTPUT else "kind.activity-verb"
    return Classification(kind, certainty, rule)


def rule_vague_state(s: Signals) -> Classification | None:
    """A wished-for state with no number: "Students are more engaged", "Better visibility"."""
    if s.number or r.OUTPUT_STATES.search(s.main):
        return None
    starts_vague = r.VAGUE.match(_ARTICLE.sub("", s.main.strip()))
    if starts_vague or r.COPULA.search(s.main):
        return Classification(UNMEASURABLE, LIKELY, "kind.vague-state")
    return None


def rule_output_state(s: Signals) -> Classification | None:
    """A finished deliverable without a verb: "new website live"."""
    if r.OUTPUT_STATES.search(s.main) and not r.CHANGE.search(s.main):
        return Classification(OUTPUT, POSSIBLY, "kind.output-state")
    return None


def rule_recurring_nominal(s: Signals) -> Classification | None:
    """Something repeated with no result metric: "monthly safety walk-throughs"."""
    metric = any(
        not r.EVENT_NOUNS.fullmatch(m.group(0)) for m in r.OUTCOME_METRICS.finditer(s.main)
    )
    if r.RECURRING.search(s.main) and not (r.CHANGE.search(s.main) or metric):
        return Classification(ACTIVITY, POSSIBLY, "kind.recurring-effort")
    return None


def rule_deliverable_count(s: Signals) -> Classification | None:
    """A number of artefacts with no verb: "3 case studies"."""
    if s.number and r.DELIVERABLES.search(s.main) and not r.OUTCOME_METRICS.search(s.main):
        return Classification(OUTPUT, POSSIBLY, "kind.deliverable-count")
    return None


def rule_event_count(s: Signals) -> Classification | None:
    """A number of events with no verb: "12 customer workshops"."""
    if s.number and r.EVENT_NOUNS.search(s.main):
        return Classification(ACTIVITY, POSSIBLY, "kind.event-count")
    return None


def rule_change_without_number(s: Signals) -> Classification | None:
    """Change language with no number: nobody can tell whether it was reached."""
    if r.CHANGE.search(s.text) or r.VAGUE.search(s.text):
        if s.has_target:
            return Classification(OUTCOME, POSSIBLY, "kind.stored-target")
        return Classification(UNMEASURABLE, LIKELY, "kind.change-without-number")
    return None


def rule_number_with_metric(s: Signals) -> Classification | None:
    """A figure for a result metric, without a verb: treat it as an outcome target."""
    if s.number and r.OUTCOME_METRICS.search(s.text):
        return Classification(OUTCOME, POSSIBLY, "kind.metric-number")
    if s.number or s.has_target:
        return Classification(OUTCOME, POSSIBLY, "kind.number")
    return None


def rule_fallback(s: Signals) -> Classification | None:
    """Nothing to count and nothing to finish: unmeasurable."""
    return Classification(UNMEASURABLE, POSSIBLY, "kind.nothing-measurable")


KIND_RULES: tuple[Callable[[Signals], Classification | None], ...] = (
    rule_placeholder,
    rule_maintain,
    rule_hygiene,
    rule_work_count,
    rule_measurable_change,
    rule_maximize,
    rule_certification,
    rule_service_level,
    rule_zero_threshold,
    rule_stakeholder_behaviour,
    rule_vague_state,
    rule_leading_change,
    rule_push,
    rule_final_state,
    rule_team_verb,
    rule_output_state,
    rule_event_count,
    rule_recurring_nominal,
    rule_deliverable_count,
    rule_change_without_number,
    rule_number_with_metric,
    rule_fallback,
)


def signals_for(
    text: str, *, objective: str = "", has_target: bool = False, has_baseline: bool = False
) -> Signals:
    """Read the signals the kind rules need from one key result."""
    text = r.strip_lead(text)
    main, purpose = split_clauses(text)
    return Signals(
        text=text,
        main=main,
        purpose=purpose,
        number=r.has_number(main) or r.has_number(purpose),
        objective=objective,
        has_target=has_target,
        has_baseline=has_baseline or r.has_baseline(text),
    )


def classify(
    text: str, *, objective: str = "", has_target: bool = False, has_baseline: bool = False
) -> Classification:
    """Return the kind of a key result text (see DOMAIN.md appendix for the classes)."""
    signals = signals_for(
        text, objective=objective, has_target=has_target, has_baseline=has_baseline
    )
    for rule in KIND_RULES:
        result = rule(signals)
        if result is not None:
            return result
    raise AssertionError("rule_fallback always decides")  # pragma: no cover
