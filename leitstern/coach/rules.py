"""Compiled patterns and the features the classifier reads from a text.

Everything is compiled once at import. ``compile_words`` turns a word list
from :mod:`leitstern.coach.wordlists` into one regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from leitstern.coach import wordlists as wl
from leitstern.coach import wordlists_context as wc

_W = r"[\w\-]"  # a word character; hyphens join compounds ("Go-live", "E-Mail")


def _entry_to_regex(entry: str) -> str:
    """Turn one word-list entry into a regex fragment (see wordlists.py)."""
    if entry.startswith("re:"):
        return f"(?:{entry[3:]})"
    lead = entry.startswith("*")
    trail = entry.endswith("*")
    core = entry.strip("*")
    body = r"\s+".join(re.escape(part) for part in core.split())
    if lead:
        body = rf"{_W}*{body}"
    if trail:
        body = rf"{body}{_W}*"
    return body


def _grouped(entries: list[str]) -> str:
    """Alternatives grouped by first letter behind a cheap look-ahead (much faster)."""
    groups: dict[str, list[str]] = {}
    for entry in entries:
        key = entry[0].lower() if entry[0].isalpha() and not entry.startswith("re:") else ""
        groups.setdefault(key, []).append(entry)
    alternatives = []
    for key, group in groups.items():
        inner = "|".join(_entry_to_regex(e) for e in group)
        alternatives.append(f"(?=[{key}{key.upper()}])(?:{inner})" if key else f"(?:{inner})")
    return "|".join(alternatives) or "(?!)"


def compile_words(entries: Iterable[str]) -> re.Pattern[str]:
    """Compile word-list entries into one case-insensitive pattern with word bounds."""
    ordered = sorted(set(entries), key=len, reverse=True)
    inner = [e[1:] for e in ordered if e.startswith("*")]
    whole = [e for e in ordered if not e.startswith("*")]
    body = _grouped(whole) + (f"|{_W}*?(?:{_grouped(inner)})" if inner else "")
    return re.compile(rf"(?<!{_W})(?:{body})(?!{_W})", re.IGNORECASE)


def both(words: wl.WordList) -> re.Pattern[str]:
    """Compile the German and English entries of a word list together."""
    return compile_words((*words["en"], *words["de"]))


CHANGE = both(wl.CHANGE)
MAINTAIN = both(wl.MAINTAIN)
EVENT_NOUNS = both(wl.EVENT_NOUNS)
OUTPUT_VERBS = both(wl.OUTPUT_VERBS)
OUTPUT_STATES = both(wl.OUTPUT_STATES)
DELIVERABLES = both(wl.DELIVERABLES)
ACTIVITY_VERBS = both(wl.ACTIVITY_VERBS)
WORK_NOUNS = both(wl.WORK_NOUNS)
HYGIENE = both(wl.HYGIENE)
STAKEHOLDERS = both(wc.STAKEHOLDERS)
OUTCOME_METRICS = both(wc.OUTCOME_METRICS)
SERVICE_METRICS = both(wc.SERVICE_METRICS)
THRESHOLD = both(wc.THRESHOLD)
RECURRING = both(wc.RECURRING)
VAGUE = both(wc.VAGUE)
NUMBER_WORDS = both(wc.NUMBER_WORDS)
MAXIMIZE = both(wc.MAXIMIZE)
IMPROVEMENT = both(wc.IMPROVEMENT_CONTEXT)
WHY_MARKERS = both(wc.WHY_MARKERS)
PUSH = both(wc.PUSH)
DE_VERBS = compile_words((*wl.OUTPUT_VERBS["de"], *wl.ACTIVITY_VERBS["de"]))
EN_VERBS = compile_words((*wl.OUTPUT_VERBS["en"], *wl.ACTIVITY_VERBS["en"]))
CERTIFICATION = both(wc.CERTIFICATION)

# List markers, KR numbers and ticket keys in front of a key result: "KR2:", "- ", "[OPS-12]".
LEAD_MARKER = re.compile(
    r"^\s*(?:[-–—•*·▪►>]+\s*|\(?\d{1,2}[.)]\s+|(?:KR|OKR|Key\s*Result)\s*\d+(?:[.-]\d+)*\s*"
    r"(?:[:.)\-–—]\s*|\s+)|\[[A-Z][A-Z0-9]*-\d+\]\s*[:\-–—]?\s*|[A-Z][A-Z0-9]+-\d+\s*[:\-–—]\s*)+",
    re.IGNORECASE,
)
# "Anzahl", "number": a count word; what is counted decides the kind.
COUNT_WORD = re.compile(r"(?:anzahl|zahl|number|count|amount|menge|#)", re.IGNORECASE)
# A normaliser: "bugs per release", "Fehler pro Auftrag" (the work noun is not counted).
PER_BEFORE = re.compile(r"(?:\b(?:per|pro|je|each|every|after|nach)|/)\s*$", re.IGNORECASE)
# A zero threshold at the start: "Zero data breaches", "Keine Datenschutzverletzungen".
ZERO_START = re.compile(r"^\s*(?:zero|no|keine[nrms]?|kein|null|0)\s+(?=\w)", re.IGNORECASE)
NO_LONGER = re.compile(r"\b(?:mehr|more|longer|anymore)\b", re.IGNORECASE)

# German separable verbs: "Wir führen das Ticketsystem ein", "Wir halten 4 Workshops ab".
_SEPARABLE = (
    ("output", r"führ(?:en|t)", r"ein"),
    ("activity", r"führ(?:en|t)", r"durch"),
    ("output", r"stell(?:en|t)", r"(?:bereit|fertig|um|auf|ein)"),
    ("activity", r"stell(?:en|t)", r"vor"),
    ("output", r"setz(?:en|t)", r"(?:um|auf|ein)"),
    ("output", r"(?:bau(?:en|t)|roll(?:en|t)|arbeit(?:en|et))", r"(?:auf|aus)"),
    ("output", r"(?:richt(?:en|et)|schließ(?:en|t))", r"(?:ein|ab)"),
    ("output", r"(?:leg(?:en|t)|schalt(?:en|et))", r"(?:fest|an|frei)"),
    ("output", r"biet(?:en|et)", r"an"),
    ("activity", r"(?:halt(?:en)|hält|ruf(?:en|t)|werte[nt]|tausch(?:en|t))", r"(?:ab|an|aus)"),
    ("activity", r"(?:nehm(?:en)|nimmt)", r"teil"),
    ("activity", r"(?:lad(?:en)|lädt)", r"ein"),
)
SEPARABLE = tuple(
    (kind, re.compile(rf"\b({stem})\b.{{3,80}}?\s{particle}\s*[.!]?\s*$", re.IGNORECASE))
    for kind, stem, particle in _SEPARABLE
)

_MONTHS = (
    r"jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz)|apr(?:il)?|ma[iy]|june?|juni|"
    r"july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?"
)
# Dates, versions and standards carry digits but are no target.
DATES = re.compile(
    rf"\b(?:[QH][1-4](?:\s?[/']?\s?(?:20)?\d\d)?|FY\s?\d{{2,4}}|GJ\s?\d{{2,4}}"
    rf"|(?:KW|CW|week|woche|sprint|phase|version|release|stufe|level|tier|iso|din|en|wcag|"
    rf"v|art\.?|step|schritt|gen|s|pi|increment|welle|wave|iec|ieee|tisax|bsi)\s?-?\d+(?:[.:]\d+)*"
    rf"|20[2-3]\d(?!\s?(?:%|€|\$|k\b))|\d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|24/7|\d+\.\s?(?:quartal|halbjahr|klasse)|grade\s\d+"
    rf"|(?:klasse|jahrgang|jahrgangsstufe)\s?\d+|\d+(?:st|nd|rd|th)\s+(?:quarter|grade|year))",
    re.IGNORECASE,
)
# Acronyms with versions ("BITV 2.0", "SOC 2") and words with digits inside ("B2B").
CODES_WITH_DIGITS = re.compile(
    r"\b[A-Z]{2,6}[- ]?\d+(?:\.\d+)+\b|\b(?:SOC|PCI|DSS|BITV|TLS|SSL|IPv|COVID|HTTP)[- ]?\d+\b"
    r"|\b[A-Za-z]+\d+[A-Za-z]\w*"
)
DIGIT = re.compile(r"\d")
PERCENT = re.compile(r"%|\bpercent\b|\bprozent", re.IGNORECASE)

_NUM = (
    r"[~≈]?\s?[€$£]?\s?(\d[\d.,']*)\s?"
    r"(?:%|k|m|mio\.?|mrd\.?|€|eur|pp|(?!(?:to|auf|zu|bis)\b)[a-zäöü.]{0,12})?"
)
_PRE = (
    r"(?:about|approx\.?|around|roughly|currently|today'?s?|ca\.?|rund|etwa|derzeit|aktuell|heute)"
)
_TO_EN = r"(?:to|up\s+to|down\s+to|towards?)"
_TO_DE = r"(?:auf|zu|bis\s+auf|in\s+richtung)"
_LIMIT = r"(?:at\s+least|over|under|below|above|more\s+than|less\s+than|mindestens|über|unter)"
FROM_TO = re.compile(
    rf"\b(?:from|von)\s+(?:{_PRE}\s+)?{_NUM}[^.;]{{0,40}}?\b(?:{_TO_EN}|{_TO_DE})\s+"
    rf"(?:{_PRE}\s+|{_LIMIT}\s+)?{_NUM}",
    re.IGNORECASE,
)
ARROW = re.compile(rf"{_NUM}\s*(?:→|->|⟶|=>|➔|➜|–>|-->)\s*{_NUM}", re.IGNORECASE)
BARE_TO = re.compile(
    r"(?<!between )(?<!zwischen )\b(\d[\d.,]*)\s?(%|€|k|pp)?\s+(?:to|auf)\s+"
    r"(\d[\d.,]*)\s?(%|€|k|pp)?",
    re.IGNORECASE,
)
BASELINE_WORDS = re.compile(
    r"\b(?:currently|today|baseline|base\s?line|up\s+from|down\s+from|vs\.?|versus|compared\s+"
    r"(?:to|with)|last\s+(?:quarter|year|month|cycle|term|semester)|previous(?:ly)?|was|were|"
    r"aktuell|derzeit|heute|bisher|basis|ausgangswert|ausgangslage|baseline|vorjahr\w*|"
    r"vorquartal\w*|statt|gegenüber|zuvor|ist-wert|istwert|stand|momentan|zurzeit|bislang)\b"
    r"[^.;\d]{0,25}\d",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b(?:by|um)\s+(?:at\s+least\s+|mindestens\s+)?[+\-−]?\d[\d.,]*\s?(?:%|percent|prozent|pp|"
    r"percentage\s+points|prozentpunkte|points|punkte|x\b|times|fach)"
    r"|[+\-−]\s?\d[\d.,]*\s?%|\d[\d.,]*\s?%\s+(?:more|fewer|less|higher|lower|mehr|weniger|"
    r"höher|niedriger|geringer)|\b(?:doubl\w*|tripl\w*|halv\w*|halve|verdoppel\w*|verdoppl\w*|"
    r"verdreifach\w*|halbier\w*)\b|\d+\s?(?:x|fach)\b",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(
    r"(?<![\w])[xX]{1,3}\s?%|(?<![\w])[xX]{3,}(?![\w])|\bTB[DAC]\b|\bTODO\b|\?{2,}|\?\s?%"
    r"|\b[nN]\.\s?[nN]\.|\[(?![A-Z][A-Z0-9]*-\d+\])[^\]]{1,30}\]|<[^>]{1,30}>|…\s?%|\.\.\.\s?%",
    re.IGNORECASE,
)
# Capital X, Y, N standing in for a number: "from X to Y", "reach N users".
PLACEHOLDER_LETTER = re.compile(
    r"\b(?:[Tt]o|[Ff]rom|[Bb]y|at|of|auf|[Vv]on|um|bei|reach|erreichen|zu)\s+[XYN]\b(?![.\w])"
    r"|\b[XYN]\s+(?:users|customers|Kunden|Nutzer\w*|€|EUR|Euro|new|neue)\b"
)
SERVICE_WITHIN = re.compile(
    r"\b[\w-]*(?:tickets?|requests?|inquir\w+|enquir\w+|orders?|calls?|complaints?|claims?|anfragen|"
    r"anträge|reklamationen|beschwerden|anrufe|aufträge|rechnungen|invoices?|applications?|"
    r"bestellungen|e-?mails?|messages?|nachrichten|fälle|cases|incidents?|vorgänge|lieferungen|"
    r"deliver\w*|parcels?|pakete|sendungen)\b[^.;]{0,50}\b(?:within|innerhalb|in\s+unter|binnen)\b",
    re.IGNORECASE,
)
SHARE_OF = re.compile(
    r"\b(?:share|percentage|proportion|number|count|rate|anteil|anzahl|quote|zahl|prozent)\s+"
    r"(?:of|der|an|von)\b|\d\s?%\s+(?:of|der|aller|unserer|unsere[rn]?|the|our|all)\b",
    re.IGNORECASE,
)
MEANS = re.compile(
    r"\s(?:by\s+(?=\w+ing\b)|through\s|via\s|thanks\s+to\s|by\s+using\s|with\s+the\s+help\s+of\s|"
    r"durch\s|indem\s|mittels\s|dank\s|mit\s+hilfe\s)",
    re.IGNORECASE,
)
PURPOSE = re.compile(
    r"(?:,\s*|\s)(?:so\s+that|in\s+order\s+to|to\s+(?=(?:increase|raise|grow|reduce|improve|"
    r"boost|cut|lower|lift|drive|double|halve|get|reach|help|enable|make)\b)|so\s+(?=\w+\s+"
    r"(?:rises|grows|increases|falls|drops|improves))|damit|sodass|so\s+dass|um\s+(?=.*\bzu\b)|"
    r"mit\s+dem\s+ziel)\s*",
    re.IGNORECASE,
)
CONJUNCTION = re.compile(r"\s(?:and|und|sowie|as\s+well\s+as|plus|&)\s|;\s*|\s\+\s", re.IGNORECASE)
COPULA = re.compile(
    r"\b(?:are|is|feel|feels|become|becomes|werden|sind|ist|fühlen|fühlt|wird)\b", re.IGNORECASE
)
OBJECTIVE_METRIC = re.compile(r"\d|%|€|\$", re.IGNORECASE)

_PARTICIPLE_EN = re.compile(r"\w+(?:ed|en)$|^(?:held|built|sent|written|done|run|made|taught)$")
_PARTICIPLE_DE = re.compile(r"^(?:\w*ge\w+(?:t|en)|\w+iert)$")


@dataclass(frozen=True)
class Hit:
    """The first place a word list matched: its text and position."""

    word: str
    start: int


def first_hit(pattern: re.Pattern[str], text: str) -> Hit | None:
    """Return the first match of ``pattern`` in ``text``, or None."""
    match = pattern.search(text)
    return Hit(match.group(0), match.start()) if match else None


def strip_lead(text: str) -> str:
    """Remove list markers, KR numbers and ticket keys in front of a key result."""
    match = LEAD_MARKER.match(text)
    return text[match.end() :] if match and match.end() < len(text.rstrip()) else text


def separable_verb(clause: str) -> tuple[str, Hit] | None:
    """A German separable verb ("führen … ein"): its kind and the finite verb's position."""
    found = [
        (kind, Hit(m.group(1), m.start(1)))
        for kind, pattern in SEPARABLE
        if (m := pattern.search(clause))
    ]
    return min(found, key=lambda item: item[1].start) if found else None


def strip_dates(text: str) -> str:
    """Blank out dates, versions and standards so their digits do not count as targets."""
    return CODES_WITH_DIGITS.sub(" ", DATES.sub(" ", text))


def has_number(text: str) -> bool:
    """True when the text (dates removed) holds a figure, in digits or words."""
    plain = strip_dates(text)
    return bool(DIGIT.search(plain) or NUMBER_WORDS.search(plain))


def has_placeholder(text: str) -> bool:
    """True when the text holds a placeholder like "X%", "xxx", "TBD" or "[target]"."""
    return bool(PLACEHOLDER.search(text) or PLACEHOLDER_LETTER.search(text))


def is_participle(word: str, lang_hint: str) -> bool:
    """Guess whether a verb form is a past participle ("trained", "geschult")."""
    lower = word.lower().split()[-1]
    return bool(_PARTICIPLE_DE.match(lower) or _PARTICIPLE_EN.match(lower))


def parse_number(raw: str) -> float | None:
    """Parse "1.200,5", "1,200.5", "35" or "0.5" into a float; None if it is no number."""
    cleaned = raw.strip().rstrip(".,'").replace("'", "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = f"{head}.{tail}" if len(tail) != 3 else head + tail
    try:
        return float(cleaned)
    except ValueError:
        return None


def baseline_and_target(text: str) -> tuple[float | None, float | None]:
    """Return (baseline, target) from "from X to Y", "von X auf Y" or "X → Y"."""
    plain = strip_dates(text)
    for pattern in (FROM_TO, ARROW, BARE_TO):
        match = pattern.search(plain)
        if match:
            numbers = [g for g in match.groups() if g and g[0].isdigit()]
            if len(numbers) >= 2:
                return parse_number(numbers[0]), parse_number(numbers[-1])
    return None, None


def has_baseline(text: str) -> bool:
    """True when the text states where the metric starts."""
    plain = strip_dates(text)
    return bool(
        FROM_TO.search(plain)
        or ARROW.search(plain)
        or BARE_TO.search(plain)
        or BASELINE_WORDS.search(plain)
    )


def is_relative_change(text: str) -> bool:
    """True for relative targets ("by 20%", "um 15 %", "double"), whose baseline is today."""
    return bool(RELATIVE.search(strip_dates(text)))
