"""Explanation texts for every finding code, in English and German.

A message is "<certainty>: <text>". The certainty word tells the reader how
sure the coach is ("Likely", "Possibly"); the text explains the problem and
the fix. Placeholders in braces are filled from the finding's details.
"""

from __future__ import annotations

CERTAINTY_WORDS: dict[str, dict[str, str]] = {
    "en": {"certain": "Certain", "likely": "Likely", "possibly": "Possibly"},
    "de": {"certain": "Sicher", "likely": "Wahrscheinlich", "possibly": "Möglicherweise"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "KR_OUTPUT": {
        "en": "an output. It names a deliverable the team controls, not a change for "
        "customers, users or stakeholders. Keep the deliverable as an initiative and "
        "measure what it should change.",
        "de": "ein Output. Es beschreibt etwas, das das Team selbst liefert, keine "
        "Veränderung bei Kund:innen, Nutzer:innen oder Stakeholdern. Das Ergebnis als "
        "Initiative führen und messen, was sich dadurch ändern soll.",
    },
    "KR_ACTIVITY": {
        "en": "an activity. It counts effort or tasks. Activities belong to initiatives; "
        "the key result should say what the effort changes for someone.",
        "de": "eine Aktivität. Es zählt Aufwand oder Aufgaben. Aktivitäten gehören zu den "
        "Initiativen; das Schlüsselergebnis sollte sagen, was sich dadurch für jemanden ändert.",
    },
    "KR_KPI_MAINTENANCE": {
        "en": "KPI maintenance. It keeps an existing level. Track it as a health metric; "
        "OKRs describe what should be different this cycle.",
        "de": "KPI-Pflege. Es hält ein bestehendes Niveau. Als Gesundheitsmetrik führen; "
        "OKRs beschreiben, was in diesem Zyklus anders werden soll.",
    },
    "KR_UNMEASURABLE": {
        "en": "not measurable. There is neither a number nor a clear done-state, so nobody "
        "can tell whether it was reached.",
        "de": "nicht messbar. Es gibt weder eine Zahl noch einen klaren Erledigt-Zustand; "
        "niemand kann sagen, ob es erreicht wurde.",
    },
    "NO_BASELINE": {
        "en": "no baseline. The starting value is missing, so progress cannot be computed. "
        "Add today's value.",
        "de": "kein Ausgangswert. Der Startwert fehlt, daher lässt sich kein Fortschritt "
        "berechnen. Den heutigen Wert ergänzen.",
    },
    "NO_TARGET": {
        "en": "no target. It says which way the metric should move but not how far. "
        "Add a target value.",
        "de": "kein Zielwert. Es sagt, in welche Richtung sich die Kennzahl bewegen soll, "
        "aber nicht wie weit. Einen Zielwert ergänzen.",
    },
    "TARGET_EQUALS_BASELINE": {
        "en": "target equals baseline ({value}). Nothing has to change; raise the ambition "
        "or track it as a health metric.",
        "de": "Zielwert gleich Ausgangswert ({value}). Es muss sich nichts ändern; das Ziel "
        "anheben oder als Gesundheitsmetrik führen.",
    },
    "INDIVIDUAL_OWNER": {
        "en": "a person is named ({who}). Leitstern has team OKRs only; a key result belongs "
        "to the whole team, so leave names out.",
        "de": "eine Einzelperson ist genannt ({who}). Leitstern kennt nur Team-OKRs; ein "
        "Schlüsselergebnis gehört dem ganzen Team, daher keine Namen nennen.",
    },
    "VAGUE_WITHOUT_NUMBER": {
        "en": "vague wording without a number ({words}). Say how much: from what to what.",
        "de": "vage Formulierung ohne Zahl ({words}). Sagen, wie viel: von welchem Wert auf "
        "welchen.",
    },
    "BUNDLED_METRICS": {
        "en": "several key results in one sentence ({count} measurable parts). Split them so "
        "each can be tracked and graded on its own.",
        "de": "mehrere Schlüsselergebnisse in einem Satz ({count} messbare Teile). "
        "Aufteilen, damit jedes für sich verfolgt und bewertet werden kann.",
    },
    "PLACEHOLDER": {
        "en": "a placeholder ({token}) instead of a value. Fill in the real baseline and "
        "target before the cycle starts.",
        "de": "ein Platzhalter ({token}) statt eines Werts. Echten Ausgangs- und Zielwert "
        "eintragen, bevor der Zyklus beginnt.",
    },
    "ABSOLUTE_QUANTIFIER": {
        "en": 'an absolute quantifier ({words}). "All" or "every" is rarely reachable and '
        'hard to check; use a share, e.g. "80% of …".',
        "de": "ein absoluter Anspruch ({words}). „Alle“ oder „jede:r“ ist selten erreichbar "
        "und schwer zu prüfen; besser ein Anteil, z. B. „80 % der …“.",
    },
    "MAXIMIZE_WITHOUT_TARGET": {
        "en": '"maximize" without a target ({words}). There is no point at which it is '
        "reached; name a target value.",
        "de": "„maximieren“ ohne Zielwert ({words}). Es gibt keinen Punkt, an dem es erreicht "
        "ist; einen Zielwert nennen.",
    },
    "DUPLICATE_KEY_RESULTS": {
        "en": 'near-duplicate key results: "{first}" and "{second}" measure almost the '
        "same thing. Merge them or make them distinct.",
        "de": "fast gleiche Schlüsselergebnisse: „{first}“ und „{second}“ messen beinahe dasselbe. "
        "Zusammenführen oder klar unterscheiden.",
    },
    "OBJECTIVE_IS_METRIC": {
        "en": "the objective is phrased as a metric. An objective says qualitatively where "
        "you want to go and why; numbers belong in the key results.",
        "de": "das Objective ist als Kennzahl formuliert. Ein Objective sagt qualitativ, wohin "
        "ihr wollt und warum; Zahlen gehören in die Schlüsselergebnisse.",
    },
    "OBJECTIVE_WITHOUT_WHY": {
        "en": 'no "why". The objective does not say why it matters now or who benefits. '
        "Add the reason.",
        "de": "kein „Warum“. Das Objective sagt nicht, warum es jetzt wichtig ist oder wem "
        "es nützt. Den Grund ergänzen.",
    },
    "TOO_MANY_KEY_RESULTS": {
        "en": "{count} key results, more than the limit of {limit}. Keep the few that show "
        "best whether the objective is reached.",
        "de": "{count} Schlüsselergebnisse, mehr als die Grenze von {limit}. Die wenigen "
        "behalten, die am besten zeigen, ob das Objective erreicht ist.",
    },
    "TOO_MANY_OBJECTIVES": {
        "en": "{count} objectives for one team, more than the limit of {limit}. Fewer "
        "objectives keep the team focused.",
        "de": "{count} Objectives für ein Team, mehr als die Grenze von {limit}. Weniger "
        "Objectives halten das Team fokussiert.",
    },
    "NO_LEADING_INDICATOR": {
        "en": "no leading indicator on an aspirational objective. Without an early signal "
        "you learn only at the end of the cycle; add one or two behaviour signals you can "
        "check weekly.",
        "de": "kein Frühindikator für ein ambitioniertes Objective. Ohne frühes Signal lernt "
        "ihr erst am Zyklusende; ein oder zwei Verhaltenssignale ergänzen, die sich "
        "wöchentlich prüfen lassen.",
    },
}

CODES = tuple(MESSAGES)


def render(code: str, lang: str, certainty: str, **details: object) -> str:
    """Return the message for ``code`` in ``lang`` ("de" or "en"), with its certainty."""
    lang = lang if lang in ("de", "en") else "en"
    word = CERTAINTY_WORDS[lang][certainty]
    return f"{word}: {MESSAGES[code][lang].format(**details)}"
