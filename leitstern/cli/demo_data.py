"""The two demo organisations: Beispiel GmbH (German) and Example Ltd (English).

Plain data; `demo.py` turns it into objects through the domain services. Key results
are tuples: (title, unit, baseline, target, hypothesis, [leading indicators]).
Check-in values move from baseline towards a share of the way to the target
(`reach`), with confidence moving from `conf` to `conf_end`.
"""

from __future__ import annotations

from typing import Any

PASSWORD = "demo-leitstern"

BEISPIEL: dict[str, Any] = {
    "slug": "beispiel",
    "name": "Beispiel GmbH",
    "language": "de",
    "vision": "Jede Handwerksfirma in Deutschland plant ihre Aufträge in zehn Minuten statt "
    "in einem Abend.",
    "purpose": "Wir nehmen kleinen Betrieben Büroarbeit ab, damit mehr Zeit für ihr Handwerk "
    "bleibt.",
    "people": [
        ("anna@beispiel.test", "Anna Albers", "admin", ["produkt"]),
        ("ben@beispiel.test", "Ben Brandt", "facilitator", ["kundenerfolg"]),
        ("cem@beispiel.test", "Cem Çelik", "member", ["app", "produkt"]),
        ("kim@both.test", "Kim Kaya", "member", ["vertrieb"]),
        ("dora@beispiel.test", "Dora Dietz", "member", ["plattform"]),
        ("emil@beispiel.test", "Emil Engel", "member", ["personal"]),
    ],
    "moals": [
        (
            "Handwerksbetriebe empfehlen uns weiter",
            "Bis Ende 2027 kommt die Hälfte der Neukunden über Empfehlungen.",
        ),
        (
            "Die Planung dauert Minuten, nicht Stunden",
            "Betriebe planen eine Woche in unter zehn Minuten.",
        ),
        ("Wir wachsen gesund", "Umsatzwachstum ohne Überlastung der Teams."),
    ],
    "teams": [
        ("produkt", "Produktbereich", None, "Alle Produktteams"),
        ("app", "App-Team", "produkt", "Die mobile App für Betriebe"),
        ("plattform", "Plattform", "produkt", "Betrieb, Schnittstellen, Sicherheit"),
        ("kundenerfolg", "Kundenerfolg", None, "Onboarding und Support"),
        ("vertrieb", "Vertrieb", None, "Neukunden und Partner"),
        ("personal", "Personal & Kultur", None, "Einstellen, Entwickeln, Zusammenarbeit"),
    ],
    "strategy_time": {
        "app": (4, "Dienstags 9–11 Uhr"),
        "kundenerfolg": (3, ""),
        "vertrieb": (None, "Freitags 13–15 Uhr"),
    },
    "closed": [
        (
            "kundenerfolg",
            "Neue Betriebe kommen ohne Hilfe in die Planung",
            "Die ersten Tage entscheiden, ob ein Betrieb bleibt.",
            1,
            [
                (
                    "Anteil der Betriebe, die in Woche 1 eine Wochenplanung anlegen",
                    "%",
                    35,
                    55,
                    "Wir glauben, dass ein Video-Rundgang die Hürde senkt.",
                    [],
                    "refuted",
                    "Das Video wurde kaum angesehen; Betriebe wollen direkt loslegen. Ein "
                    "Beispielplan hilft mehr als eine Erklärung.",
                ),
                (
                    "Support-Anfragen in den ersten 14 Tagen je Neukunde",
                    "Anfragen",
                    3.2,
                    1.5,
                    "Wir glauben, dass eine Checkliste Rückfragen erspart.",
                    [],
                    "supported",
                    "Die Checkliste halbierte die Rückfragen zu Mitarbeiterzugängen.",
                ),
            ],
        ),
        (
            "vertrieb",
            "Betriebe finden uns über Empfehlungen",
            "Empfohlene Kunden bleiben länger.",
            0,
            [
                (
                    "Anteil der Neukunden mit Empfehlung",
                    "%",
                    12,
                    25,
                    "Wir glauben, dass ein Prämienprogramm Empfehlungen auslöst.",
                    [],
                    "refuted",
                    "Prämien bewegten kaum etwas. Zufriedene Betriebe empfehlen, wenn sie gefragt "
                    "werden – die Frage zum richtigen Zeitpunkt zählt.",
                ),
            ],
        ),
    ],
    "running": [
        (
            "app",
            "Die Wochenplanung fühlt sich mühelos an",
            "Betriebe planen abends am Handy; jede Minute zählt.",
            1,
            [
                (
                    "Mittlere Dauer einer Wochenplanung",
                    "min",
                    24,
                    10,
                    "Wir glauben, dass Vorlagen aus der Vorwoche die Planung verkürzen. "
                    "Wir sehen es "
                    "an der Planungsdauer.",
                    ["Anteil der Planungen mit Vorlage"],
                    0.6,
                    6,
                    7,
                ),
                (
                    "Anteil der Betriebe, die jede Woche planen",
                    "%",
                    41,
                    60,
                    "Wir glauben, dass eine Erinnerung am Freitag zur Gewohnheit wird.",
                    ["Öffnungsrate der Freitags-Erinnerung"],
                    0.3,
                    5,
                    3,
                ),
            ],
        ),
        (
            "plattform",
            "Betriebe verlassen sich auf unsere Schnittstellen",
            "Die DATEV-Anbindung ist der häufigste Grund für Kündigungen.",
            0,
            [
                (
                    "Anteil fehlerfreier DATEV-Exporte",
                    "%",
                    91,
                    99,
                    "Wir glauben, dass eine Vorabprüfung Fehler vermeidet.",
                    [],
                    0.7,
                    6,
                    8,
                ),
                (
                    "Support-Tickets zu Exporten je Woche",
                    "Tickets",
                    38,
                    10,
                    "Wir glauben, dass verständliche Fehlermeldungen Tickets ersparen.",
                    [],
                    0.5,
                    5,
                    6,
                ),
            ],
        ),
        (
            "kundenerfolg",
            "Neue Betriebe erleben in der ersten Woche einen Erfolg",
            "Aus dem letzten Zyklus wissen wir: ein Beispielplan hilft mehr als ein Video.",
            1,
            [
                (
                    "Anteil der Neukunden mit erster Planung in 7 Tagen",
                    "%",
                    38,
                    60,
                    "Wir glauben, dass ein vorausgefüllter Beispielplan den Einstieg erleichtert.",
                    ["Anteil, der den Beispielplan öffnet"],
                    0.5,
                    6,
                    4,
                ),
                (
                    "Anteil der Neukunden, die nach 30 Tagen noch aktiv sind",
                    "%",
                    72,
                    85,
                    "Wir glauben, dass ein Anruf am Tag 3 Abbrüche verhindert.",
                    [],
                    0.4,
                    5,
                    5,
                ),
            ],
        ),
        (
            "vertrieb",
            "Zufriedene Betriebe empfehlen uns im richtigen Moment",
            "Empfehlungen kommen, wenn man fragt – aber wann?",
            0,
            [
                (
                    "Anteil der Neukunden über Empfehlung",
                    "%",
                    14,
                    25,
                    "Wir glauben, dass die Frage nach der dritten erfolgreichen Woche am besten "
                    "ankommt.",
                    ["Antwortrate auf die Empfehlungsfrage"],
                    0.4,
                    5,
                    5,
                ),
            ],
        ),
        (
            "personal",
            "Neue Kolleginnen und Kollegen sind schnell handlungsfähig",
            "Wir stellen viel ein; Einarbeitung kostet alle Zeit.",
            1,
            [
                (
                    "Tage bis zum ersten eigenständigen Kundentermin",
                    "Tage",
                    30,
                    15,
                    "Wir glauben, dass feste Einarbeitungspaten den Einstieg beschleunigen.",
                    [],
                    0.6,
                    6,
                    7,
                ),
            ],
        ),
    ],
    "problems": {
        ("app", 1): (
            "Die Freitags-Erinnerung landet bei vielen im Spam-Ordner.",
            "plattform",
            "Wir können den Versand über unsere geprüfte Absenderdomain umstellen.",
        ),
        ("kundenerfolg", 0): (
            "Uns fehlen Daten, wer den Beispielplan wirklich nutzt.",
            "app",
            "Wir bauen ein Ereignis ein, das das Öffnen misst.",
        ),
        ("vertrieb", 0): ("Wir wissen nicht, wann die dritte erfolgreiche Woche ist.", None, None),
    },
    "health": [
        ("Verfügbarkeit der App", "%", 99.5, None, "plattform", [99.9, 99.8, 99.95, 99.7]),
        ("Offene Support-Tickets", "Tickets", None, 60, "kundenerfolg", [42, 48, 55, 51]),
        ("Monatlicher wiederkehrender Umsatz", "T€", 180, None, None, [192, 196, 201, 205]),
    ],
    "learnings": "Woche {week}: Betriebe planen lieber sonntags als freitags.",
}

EXAMPLE: dict[str, Any] = {
    "slug": "example",
    "name": "Example Ltd",
    "language": "en",
    "vision": "Every small clinic can see its patients on time, every day.",
    "purpose": "We build scheduling that respects the time of patients and of care staff.",
    "people": [
        ("alex@example.test", "Alex Adams", "admin", ["product"]),
        ("sam@example.test", "Sam Shaw", "facilitator", ["care"]),
        ("kim@both.test", "Kim Kaya", "member", ["growth"]),
        ("jo@example.test", "Jo Jones", "member", ["mobile", "product"]),
        ("lee@example.test", "Lee Lang", "member", ["infra"]),
    ],
    "moals": [
        ("Clinics run on time", "By the end of 2027 most appointments start within five minutes."),
        ("Patients book without calling", "Half of all bookings happen online."),
        ("A sustainable business", "Grow revenue while keeping the team healthy."),
    ],
    "teams": [
        ("product", "Product", None, "All product teams"),
        ("mobile", "Mobile", "product", "The patient app"),
        ("infra", "Infrastructure", "product", "Hosting, integrations, security"),
        ("care", "Customer Care", None, "Onboarding and support for clinics"),
        ("growth", "Growth", None, "New clinics and partners"),
    ],
    "strategy_time": {"mobile": (4, "Wednesdays 9–11"), "growth": (2, "")},
    "closed": [
        (
            "growth",
            "Clinics discover us through their peers",
            "Referred clinics stay longer.",
            1,
            [
                (
                    "Share of new clinics that come through a referral",
                    "%",
                    10,
                    20,
                    "We believe a referral discount makes clinics recommend us.",
                    [],
                    "refuted",
                    "Discounts did not move referrals. Clinics refer when a peer asks them about "
                    "waiting times — we should make that story easy to tell.",
                ),
            ],
        ),
        (
            "care",
            "New clinics go live without our help",
            "Onboarding calls do not scale.",
            0,
            [
                (
                    "Share of clinics live within 14 days",
                    "%",
                    40,
                    65,
                    "We believe a guided setup replaces the onboarding call.",
                    [],
                    "supported",
                    "The guided setup worked for small clinics; larger ones still want a call.",
                ),
            ],
        ),
    ],
    "running": [
        (
            "mobile",
            "Patients book their next visit without calling",
            "Phone bookings block reception staff in the morning.",
            1,
            [
                (
                    "Share of bookings made in the app",
                    "%",
                    22,
                    40,
                    "We believe a one-tap rebooking after a visit makes the app the easy way.",
                    ["Share of visits followed by a rebooking prompt tap"],
                    0.5,
                    6,
                    5,
                ),
                (
                    "Calls to reception per clinic per day",
                    "calls",
                    85,
                    60,
                    "We believe fewer calls follow when booking online is easier.",
                    [],
                    0.3,
                    5,
                    3,
                ),
            ],
        ),
        (
            "infra",
            "Clinics trust our calendar sync",
            "Double bookings destroy trust.",
            0,
            [
                (
                    "Share of sync runs without conflicts",
                    "%",
                    94,
                    99.5,
                    "We believe conflict detection before writing prevents double bookings.",
                    [],
                    0.6,
                    6,
                    7,
                ),
            ],
        ),
        (
            "care",
            "Clinics solve common questions themselves",
            "Last cycle taught us: small clinics want self-service.",
            1,
            [
                (
                    "Support tickets per 100 clinics per week",
                    "tickets",
                    30,
                    18,
                    "We believe answers inside the product replace tickets.",
                    ["Views of in-product help per week"],
                    0.5,
                    6,
                    6,
                ),
            ],
        ),
        (
            "growth",
            "Clinics tell their peers about shorter waiting times",
            "Referrals come from stories, not discounts.",
            0,
            [
                (
                    "Share of new clinics that come through a referral",
                    "%",
                    11,
                    22,
                    "We believe a shareable waiting-time report sparks conversations.",
                    ["Reports shared per week"],
                    0.3,
                    5,
                    4,
                ),
            ],
        ),
    ],
    "problems": {
        ("mobile", 1): (
            "We cannot see call volumes for clinics on the old phone system.",
            "infra",
            "We can add the call log export from the old system.",
        ),
        ("growth", 0): (
            "The waiting-time report needs data we do not have yet.",
            "care",
            "We can ask three pilot clinics to share theirs.",
        ),
    },
    "health": [
        ("App availability", "%", 99.5, None, "infra", [99.9, 99.95, 99.8, 99.9]),
        ("Open support tickets", "tickets", None, 40, "care", [25, 31, 28, 33]),
        ("Monthly recurring revenue", "k£", 120, None, None, [131, 134, 138, 140]),
    ],
    "learnings": "Week {week}: clinics open the app right after the visit, not at home.",
}

ORGANIZATIONS = [BEISPIEL, EXAMPLE]
