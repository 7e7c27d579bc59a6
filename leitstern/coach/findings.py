"""Finding checks for a single key result. Each check has a stable rule id.

A check returns ``(code, rule, certainty, details)`` tuples; the review turns
them into :class:`~leitstern.coach.results.Finding` objects in the reader's
language. Checks never depend on each other's order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from leitstern.coach import kinds as c
from leitstern.coach import rules as r
from leitstern.coach import wordlists_context as wc

Raw = tuple[str, str, str, dict[str, object]]

_NAMES = "|".join(sorted(wc.FIRST_NAMES, key=len, reverse=True))
_LABELS = "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in wc.OWNER_LABELS)
_TEAM = frozenset(wc.TEAM_WORDS)
_CAP = r"[A-ZÄÖÜ][\wäöüß\-]+"
MENTION = re.compile(r"(?<![\w.])@[A-Za-z][\w.\-]*\w")
OWNER_LABEL = re.compile(
    rf"\b(?i:{_LABELS})\s*(?::|=|–|-)?\s*(?P<who>{_CAP}(?:\s+{_CAP})?)",
)
NAME_VERB = re.compile(
    rf"\b(?P<who>{_NAMES})\s+(?:will|wird|soll|übernimmt|kümmert|owns|leads|leitet|drives|"
    r"treibt|sorgt|makes\s+sure|is\s+responsible|ist\s+verantwortlich|takes\s+care|macht)\b"
)
NAME_MARK = re.compile(
    rf"[(\[]\s*(?P<who>(?:{_NAMES})(?:\s+{_CAP})?)\s*[)\]]|[–—-]\s+(?P<tail>{_NAMES})\s*$"
)
_STAKE = r.STAKEHOLDERS.pattern.replace("(?<![\\w\\-])", "").replace("(?![\\w\\-])", "")
ABSOLUTE = re.compile(
    r"\b(?:all|every|each|alle[nmrs]?|jede[nmrs]?|sämtliche[nmr]?|100\s?%\s+(?:of|der))\s+"
    r"(?:of\s+)?(?:(?:our|the|unsere[nmr]?|der|die|neuen?|new|active|aktiven?|existing|"
    rf"bestehenden?|registered|registrierten?)\s+)*(?:{_STAKE})(?![\w\-])"
    r"|\b(?:everyone|everybody|jedermann|no\s+(?:customer|user|patient|citizen|student)s?|"
    r"kein(?:e|en)?\s+(?:kund|nutzer|patient|bürger|schüler)\w*)\b",
    re.IGNORECASE,
)
BETWEEN = re.compile(r"\b(?:between|zwischen)\s+\S+\s+(?:and|und)\s", re.IGNORECASE)


@dataclass(frozen=True)
class KeyResultContext:
    """What the checks know about one key result besides its text."""

    text: str
    classification: c.Classification
    baseline: float | None
    target: float | None


def check_kind(ctx: KeyResultContext) -> list[Raw]:
    """Non-outcome kinds get a finding that names the kind (rule = the kind rule)."""
    kind = ctx.classification.kind
    if kind == c.OUTCOME:
        return []
    code = {
        c.OUTPUT: "KR_OUTPUT",
        c.ACTIVITY: "KR_ACTIVITY",
        c.KPI: "KR_KPI_MAINTENANCE",
        c.UNMEASURABLE: "KR_UNMEASURABLE",
    }[kind]
    return [(code, ctx.classification.rule, ctx.classification.certainty, {})]


def check_placeholder(ctx: KeyResultContext) -> list[Raw]:
    """Placeholders such as "X%", "xxx", "TBD" or "[target]"."""
    match = r.PLACEHOLDER.search(ctx.text) or r.PLACEHOLDER_LETTER.search(ctx.text)
    if match is None:
        return []
    return [("PLACEHOLDER", "placeholder.pattern", c.LIKELY, {"token": match.group(0).strip()})]


def check_maximize(ctx: KeyResultContext) -> list[Raw]:
    """ "Maximize …" with no number."""
    match = r.MAXIMIZE.search(ctx.text)
    if match is None or r.has_number(ctx.text) or ctx.target is not None:
        return []
    return [("MAXIMIZE_WITHOUT_TARGET", "maximize.no-target", c.LIKELY, {"words": match.group(0)})]


def check_vague(ctx: KeyResultContext) -> list[Raw]:
    """Vague words ("significantly", "deutlich", "better") and no number at all."""
    if r.has_number(ctx.text) or r.has_placeholder(ctx.text) or ctx.target is not None:
        return []
    found = list(dict.fromkeys(m.group(0).lower() for m in r.VAGUE.finditer(ctx.text)))
    if not found:
        return []
    words = ", ".join(found[:3])
    return [("VAGUE_WITHOUT_NUMBER", "vague.no-number", c.LIKELY, {"words": words})]


def check_target(ctx: KeyResultContext) -> list[Raw]:
    """A change without a figure: no target."""
    if ctx.classification.kind != c.UNMEASURABLE or ctx.target is not None:
        return []
    if r.has_placeholder(ctx.text) or r.MAXIMIZE.search(ctx.text) or r.has_number(ctx.text):
        return []
    if not r.CHANGE.search(ctx.text):
        return []
    return [("NO_TARGET", "target.missing", c.LIKELY, {})]


def check_baseline(ctx: KeyResultContext) -> list[Raw]:
    """An outcome with an absolute target but no starting value."""
    if ctx.classification.kind != c.OUTCOME or ctx.baseline is not None:
        return []
    if r.has_baseline(ctx.text) or r.is_relative_change(ctx.text):
        return []
    return [("NO_BASELINE", "baseline.missing", c.LIKELY, {})]


def check_equal(ctx: KeyResultContext) -> list[Raw]:
    """Baseline and target are the same value."""
    base, target = r.baseline_and_target(ctx.text)
    base = ctx.baseline if ctx.baseline is not None else base
    target = ctx.target if ctx.target is not None else target
    if base is None or target is None or base != target:
        return []
    value = f"{base:g}"
    return [("TARGET_EQUALS_BASELINE", "target.equals-baseline", "certain", {"value": value})]


def check_owner(ctx: KeyResultContext) -> list[Raw]:
    """A person named as owner or doer: "@anna", "Anna will …", "Owner: Max"."""
    mention = MENTION.search(ctx.text)
    if mention:
        return [("INDIVIDUAL_OWNER", "owner.mention", c.LIKELY, {"who": mention.group(0)})]
    label = OWNER_LABEL.search(ctx.text)
    if label and label.group("who").split()[0] not in _TEAM:
        who = label.group("who")
        named = who.split()[0] in wc.FIRST_NAMES or " " in who
        certainty = c.LIKELY if named else c.POSSIBLY
        return [("INDIVIDUAL_OWNER", "owner.label", certainty, {"who": who})]
    for pattern, rule in ((NAME_VERB, "owner.name-verb"), (NAME_MARK, "owner.name-mark")):
        match = pattern.search(ctx.text)
        if match:
            who = match.group("who") if match.group("who") else match.group("tail")
            return [("INDIVIDUAL_OWNER", rule, c.LIKELY, {"who": who})]
    return []


def check_absolute(ctx: KeyResultContext) -> list[Raw]:
    """Absolute quantifiers: "all customers", "alle Kunden", "jeder Nutzer"."""
    match = ABSOLUTE.search(ctx.text)
    if match is None:
        return []
    certainty = c.LIKELY if ctx.classification.kind in (c.OUTCOME, c.UNMEASURABLE) else c.POSSIBLY
    return [("ABSOLUTE_QUANTIFIER", "absolute.quantifier", certainty, {"words": match.group(0)})]


def check_bundled(ctx: KeyResultContext) -> list[Raw]:
    """Several measurable parts joined by "and"/"und"/";" in one key result."""
    plain = BETWEEN.sub("between ", ctx.text)
    parts = [p for p in r.CONJUNCTION.split(plain) if len(p.split()) >= 2]
    numbered = [p for p in parts if r.has_number(p) and re.search(r"[a-zäöü]{3}", p, re.I)]
    if len(numbered) >= 2:
        return [("BUNDLED_METRICS", "bundle.conjunction", c.LIKELY, {"count": len(numbered)})]
    changing = [p for p in parts if r.CHANGE.search(p)]
    if len(changing) >= 2 and (numbered or ctx.classification.kind != c.UNMEASURABLE):
        return [("BUNDLED_METRICS", "bundle.conjunction", c.POSSIBLY, {"count": len(changing)})]
    return []


KEY_RESULT_CHECKS: tuple[Callable[[KeyResultContext], list[Raw]], ...] = (
    check_kind,
    check_placeholder,
    check_maximize,
    check_target,
    check_baseline,
    check_equal,
    check_vague,
    check_bundled,
    check_absolute,
    check_owner,
)


def key_result_findings(ctx: KeyResultContext) -> list[Raw]:
    """Run every key-result check and return the raw findings in a stable order."""
    return [raw for check in KEY_RESULT_CHECKS for raw in check(ctx)]
