"""Suggested outcome phrasings, built from the key result's own words.

Suggestions are written in the key result's language (a German key result
gets a German suggestion), with placeholders for baseline and target.
"""

from __future__ import annotations

import re

from leitstern.coach import kinds as c
from leitstern.coach import rules as r

_EN_IRREGULAR = {
    "build": "built", "write": "written", "set up": "set up", "run": "run", "hold": "held",
    "make": "made", "send": "sent", "rebuild": "rebuilt", "rewrite": "rewritten",
    "ship": "shipped", "roll out": "rolled out", "put in place": "put in place",
    "go live": "live", "map": "mapped", "sign off": "signed off", "do": "done",
}  # fmt: skip
_DE_IRREGULAR = {
    "schreiben": "geschrieben", "abschließen": "abgeschlossen", "bauen": "gebaut",
    "aufbauen": "aufgebaut", "einführen": "eingeführt", "umsetzen": "umgesetzt",
    "fertigstellen": "fertiggestellt", "ausrollen": "ausgerollt", "einstellen": "eingestellt",
    "bereitstellen": "bereitgestellt", "aufsetzen": "aufgesetzt", "einrichten": "eingerichtet",
    "anbinden": "angebunden", "übergeben": "übergeben", "entwerfen": "entworfen",
    "launchen": "gelauncht", "starten": "gestartet", "eröffnen": "eröffnet",
    "erstellen": "erstellt", "entwickeln": "entwickelt", "liefern": "geliefert",
    "anbieten": "angeboten", "festlegen": "festgelegt", "erarbeiten": "erarbeitet",
    "ablösen": "abgelöst", "ersetzen": "ersetzt", "gestalten": "gestaltet",
    "veröffentlichen": "veröffentlicht", "überarbeiten": "überarbeitet",
    "bringen": "gebracht", "erlangen": "erlangt", "übersetzen": "übersetzt",
}  # fmt: skip
_WHEN_EN = re.compile(
    r"\s+(?:by|until|before|in|within|during|this|next)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:[QH][1-4]|\w+\s+\d{4}|\d{1,2}\s+\w+|\w+|\d+\s+\w+)(?:\s+\d{4})?\s*$",
    re.IGNORECASE,
)
_WHEN_DE = re.compile(
    r"(?:^|\s+)(?:bis|im|in|zum|innerhalb)\s+(?:von\s+)?(?:ende\s+)?(?:des\s+)?"
    r"(?:[QH][1-4]|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|\w+)(?:\s+\d{4})?(?=\s|$)",
    re.IGNORECASE,
)
_DOWN = re.compile(
    r"\b(?:reduc\w*|decreas\w*|cut|lower\w*|minimi\w*|shorten\w*|halv\w*|halve|drop\w*|"
    r"senk\w*|reduzier\w*|verringer\w*|verkürz\w*|minimier\w*|halbier\w*|abbau\w*|weniger|"
    r"fewer|less)\b",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"\b(?:significantly|substantially|considerably|noticeably|more|much|deutlich|spürbar|"
    r"signifikant|erheblich|merklich|wesentlich|mehr|our|unsere[nmrs]?|the|die|der|das|den|"
    r"dem|des)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s{2,}")
_OBJECT_NOISE = re.compile(r"\s+(?:to|so that|um|damit|sodass)\s.*$", re.IGNORECASE)


_PLURAL = re.compile(r"(?:\d+|all|alle|both|beide|two|three|zwei|drei)\s", re.IGNORECASE)
_PERSON_END = re.compile(r"(?:innen|ende|enden|er|ern|en|e|te|ten|s|ie|ff|ni|ple)$")


def _who(text: str, lang: str) -> str:
    for match in r.STAKEHOLDERS.finditer(text):
        word = match.group(0)
        if _PERSON_END.search(word.lower()) and "-" not in word:
            if lang == "de":
                return word
            word = word if word.isupper() else word.lower()
            return word if word.endswith(("s", "ff", "ple")) else word + "s"
    return "Nutzer:innen" if lang == "de" else "users"


def _lower_adjective(obj: str) -> str:
    words = obj.split()
    if len(words) > 1 and re.search(r"(?:e|es|en|er|em)$", words[0]) and words[1][:1].isupper():
        return " ".join([words[0].lower(), *words[1:]])
    return obj


def _participle_en(verb: str) -> str:
    verb = verb.lower()
    if verb in _EN_IRREGULAR:
        return _EN_IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    return verb + "ed"


def _participle_de(verb: str) -> str:
    verb = verb.lower()
    if verb in _DE_IRREGULAR:
        return _DE_IRREGULAR[verb]
    stem = re.sub(r"(?:en|n)$", "", verb)
    return stem + "t" if verb.endswith("ieren") else "ge" + stem + "t"


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip(" ,.;:")


def _output_en(text: str) -> str:
    who = _who(text, "en")
    match = re.match(r"\s*(?P<verb>[A-Za-z]+(?:\s+(?:out|up|live|off))?)\s+(?P<obj>.+)", text)
    core = _WHEN_EN.sub("", _OBJECT_NOISE.sub("", text))
    if match and r.OUTPUT_VERBS.fullmatch(match.group("verb")):
        obj = _tidy(_WHEN_EN.sub("", _OBJECT_NOISE.sub("", match.group("obj"))))
        plural = _PLURAL.match(obj) and not re.match(r"1\s", obj)
        being = f"{'are' if plural else 'is'} {_participle_en(match.group('verb'))}"
        change = f"once {obj} {being}"
    else:
        change = f"once \u201c{_tidy(core)}\u201d is done"
    return (
        f"What changes for {who} {change}? e.g. 'Share of {who} who … rises from "
        f"[baseline] to [target]'"
    )


def _output_de(text: str) -> str:
    who = _who(text, "de")
    core = _tidy(_WHEN_DE.sub(" ", _OBJECT_NOISE.sub("", text)))
    match = re.match(r"(?P<obj>.+)\s+(?P<verb>[a-zäöüß]+en)$", core)
    if match and r.OUTPUT_VERBS.fullmatch(match.group("verb")):
        obj = match.group("obj")
        obj = _lower_adjective(
            obj[0].lower() + obj[1:] if obj.split()[0] in ("Die", "Das", "Der") else obj
        )
        plural = _PLURAL.match(obj) and not re.match(r"1\s", obj)
        being = f"{_participle_de(match.group('verb'))} {'sind' if plural else 'ist'}"
        change = f"sobald {obj} {being}"
    else:
        change = f"sobald \u201e{core}\u201c erledigt ist"
    return (
        f"Was ändert sich für {who}, {change}? z. B. \u201eAnteil der {who}, die …, steigt "
        f"von [Ausgangswert] auf [Zielwert]\u201c"
    )


def _activity(text: str, lang: str) -> str:
    who = _who(text, lang)
    core = _tidy(text)
    if lang == "de":
        return (
            f"Was soll sich für {who} durch \u201e{core}\u201c ändern? Diese Veränderung als "
            f"Schlüsselergebnis formulieren, z. B. \u201eAnteil der {who}, die …, steigt von "
            f"[Ausgangswert] auf [Zielwert]\u201c; die Aktivität wird zur Initiative."
        )
    return (
        f"What should change for {who} because of \u201c{core}\u201d? Make that change the key "
        f"result, e.g. 'Share of {who} who … rises from [baseline] to [target]'; the "
        f"activity becomes an initiative."
    )


def _metric(text: str) -> str:
    core = r.MAINTAIN.sub(" ", re.sub(r"\([^)]*\)", " ", text))
    for pattern in (r.CHANGE, r.MAXIMIZE, r.THRESHOLD, r.VAGUE):
        core = pattern.sub(" ", core)
    core = re.sub(r"[\d.,]+\s?(?:%|€|\$|ms|[a-zA-Z]{0,3}\b)?|[≥≤<>=+%€$]", " ", r.strip_dates(core))
    core = re.sub(
        r"\b(?:at|bei|auf|von|from|to|of|in|im|on|within)\s*$", "", _tidy(core), flags=re.I
    )
    core = _tidy(_FILLER.sub(" ", core))
    return core or _tidy(text)


def _kpi(text: str, lang: str) -> str:
    metric = _metric(text)
    if lang == "de":
        return (
            f"\u201e{metric}\u201c als Gesundheitsmetrik führen. Soll sich der Wert in diesem "
            f"Zyklus verbessern, die Veränderung formulieren: \u201e{metric} von "
            f"[Ausgangswert] auf [Zielwert]\u201c"
        )
    return (
        f"Track \u201c{metric}\u201d as a health metric. If it must improve this cycle, "
        f"phrase the change: '{metric} moves from [baseline] to [target]'"
    )


def _unmeasurable(text: str, lang: str) -> str:
    down = bool(_DOWN.search(text))
    has_change = bool(r.CHANGE.search(text) or r.MAXIMIZE.search(text) or r.has_placeholder(text))
    if not has_change:
        return _question(text, lang)
    metric = _metric(r.PLACEHOLDER.sub(" ", r.PLACEHOLDER_LETTER.sub(" ", text)))
    if lang == "de":
        verb = "sinkt" if down else "steigt"
        return (
            f"Eine Zahl ergänzen: \u201e{metric} {verb} von [Ausgangswert] auf [Zielwert] bis "
            f"Zyklusende\u201c"
        )
    verb = "falls" if down else "rises"
    return f"Add a number: '{metric} {verb} from [baseline] to [target] by the end of the cycle'"


def _question(text: str, lang: str) -> str:
    who = _who(text, lang)
    core = _tidy(text)
    if lang == "de":
        return (
            f"Woran würdet ihr merken, dass \u201e{core}\u201c erreicht ist? Diese Zahl als "
            f"Schlüsselergebnis nehmen, z. B. \u201eAnteil der {who}, die …, steigt von "
            f"[Ausgangswert] auf [Zielwert]\u201c"
        )
    return (
        f"How would you notice that \u201c{core}\u201d is true? Use that number, e.g. "
        f"'Share of {who} who … rises from [baseline] to [target]'"
    )


def _outcome(text: str, lang: str, has_baseline: bool) -> str | None:
    if has_baseline or r.is_relative_change(text):
        return None
    core = _tidy(text)
    if lang == "de":
        return f"Ausgangswert ergänzen: \u201e{core} (von [Ausgangswert])\u201c"
    return f"Add the baseline: '{core} (from [baseline])'"


def suggest(text: str, kind: str, lang: str, *, has_baseline: bool = False) -> str | None:
    """Return a suggested outcome phrasing for a key result, or None when it is fine."""
    if kind == c.OUTPUT:
        return _output_de(text) if lang == "de" else _output_en(text)
    if kind == c.ACTIVITY:
        return _activity(text, lang)
    if kind == c.KPI:
        return _kpi(text, lang)
    if kind == c.UNMEASURABLE:
        return _unmeasurable(text, lang)
    return _outcome(text, lang, has_baseline or r.has_baseline(text))
