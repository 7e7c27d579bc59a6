"""German UI words from one glossary: a key result is a „Schlüsselergebnis“, everywhere.

Reads the compiled catalogues (what a German reader actually sees) and the coach's own
German texts. Quoted column names („Key result“ as an accepted CSV header) are not UI words.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from leitstern.coach import suggest
from leitstern.coach.cli import _LABELS
from leitstern.coach.messages import MESSAGES

PACKAGE = Path(__file__).resolve().parents[1]
ENGLISH_TERM = re.compile(r"(?<!„)\bkey[ -]results?\b", re.IGNORECASE)
# Owned by the learning slice, which another engineer is changing right now; remove each
# entry once its German says „Schlüsselergebnis“ (the test then guards it too).
NOT_YET = {
    ("learning", "This key result belongs to another objective."),
    ("learning", "This objective has no key results, so there are no hypotheses to close."),
    ("learning", "This objective has no key results."),
}


def german_catalogues() -> dict[str, dict[str, str]]:
    catalogues = {}
    for mo in sorted(PACKAGE.glob("**/locale/de/LC_MESSAGES/django.mo")):
        app = mo.parents[3].name
        with mo.open("rb") as file:
            catalogues[app] = dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
    return catalogues


def msgid_text(msgid: object) -> str:
    # plural entries are keyed (msgid, n); contexts are "context\x04msgid"
    text = msgid[0] if isinstance(msgid, tuple) else str(msgid)
    return text.split("\x04")[-1]


def test_german_catalogues_say_schluesselergebnis() -> None:
    catalogues = german_catalogues()
    assert {"leitstern", "checkins", "health", "trust"} <= set(catalogues)
    mixed = {
        (app, msgid_text(msgid))
        for app, catalogue in catalogues.items()
        for msgid, msgstr in catalogue.items()
        if msgid and ENGLISH_TERM.search(msgstr)
    }
    assert mixed <= NOT_YET, sorted(mixed - NOT_YET)
    assert any("Schlüsselergebnis" in s for s in catalogues["leitstern"].values())


def test_the_coach_says_schluesselergebnis_in_german() -> None:
    german = [texts["de"] for texts in MESSAGES.values()] + list(_LABELS["de"])
    german += [suggest._activity("Workshops durchführen", "de")]
    german += [suggest._question("Kundschaft ist zufrieden", "de")]
    assert not [text for text in german if ENGLISH_TERM.search(text)]
