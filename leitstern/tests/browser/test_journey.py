"""A newcomer's journey in real Chromium through the real server, in German and in English.

Sign in, create a team, write an objective with two key results, commit it, check in three
times including a problem, another team offers help and the team marks the problem resolved,
the cycle moves to reflecting, the team writes its retrospective and finds its learning in
the library. Screenshots of every step go to test-artifacts/screenshots/<lang>-<nn>-<step>.png.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from leitstern.tests.browser.conftest import ContextFactory, Screenshots
from leitstern.tests.browser.journey import Journey, KeyResultPlan, Newcomer

pytestmark = pytest.mark.browser

GERMAN = Newcomer(
    lang="de",
    locale="de-DE",
    email="anna@beispiel.test",
    org="beispiel",
    helper_email="dora@beispiel.test",
    helper_team="Plattform",
    team="Lernreise",
    team_description="Ein neues Team, das zeigt, wie Leitstern im Alltag trägt.",
    objective="Neue Kundinnen finden in der ersten Woche ihren Weg",
    why="Wer in der ersten Woche nicht ankommt, kommt selten wieder.",
    open_questions="Liegt es an der Einrichtung oder an fehlenden Vorlagen?",
    key_results=(
        KeyResultPlan(
            title="Anteil neuer Kundinnen mit eigenem Plan in Woche eins",
            unit="%",
            baseline="20",
            target="50",
            hypothesis="Wir glauben, dass eine geführte Einrichtung hilft. "
            "Wir sehen es daran, dass mehr Kundinnen in Woche eins planen.",
            weeks=(("24", "7"), ("27", "5"), ("35", "6")),
            outcome="Supported",
            evidence="Der Anteil stieg in drei Wochen von 20 auf 35 %.",
        ),
        KeyResultPlan(
            title="Fragen an den Support je 100 neue Kundinnen",
            unit="",
            baseline="30",
            target="15",
            hypothesis="Wir glauben, dass Vorlagen Fragen ersparen. "
            "Wir sehen es an weniger Support-Anfragen.",
            weeks=(("29", "6"), ("29", "6"), ("28", "6")),
            outcome="Refuted",
            evidence="Die Fragen blieben fast gleich; Vorlagen allein reichen nicht.",
        ),
    ),
    problem="Uns fehlen Nutzungsdaten aus der App, um die Einrichtung zu messen.",
    help_offer="Wir richten euch bis Freitag einen Export der Nutzungsdaten ein.",
    confidence_note="Ohne Nutzungsdaten sehen wir nicht, ob die Einrichtung wirkt.",
    learning="Eine Checkliste für die erste Woche hilft mehr als neue Vorlagen.",
    search_word="Checkliste",
    carry_forward="Die Checkliste für Woche eins mit allen neuen Kundinnen erproben.",
)

ENGLISH = Newcomer(
    lang="en",
    locale="en-US",
    email="alex@example.test",
    org="example",
    helper_email="lee@example.test",
    helper_team="Infrastructure",
    team="Onboarding Journey",
    team_description="A new team showing how Leitstern carries everyday work.",
    objective="New customers find their way in their first week",
    why="Whoever does not arrive in week one rarely comes back.",
    open_questions="Is it the set-up or the missing templates?",
    key_results=(
        KeyResultPlan(
            title="Share of new customers with their own plan in week one",
            unit="%",
            baseline="20",
            target="50",
            hypothesis="We believe a guided set-up helps. "
            "We will see it in more customers planning in week one.",
            weeks=(("24", "7"), ("27", "5"), ("35", "6")),
            outcome="Supported",
            evidence="The share rose from 20 to 35 % in three weeks.",
        ),
        KeyResultPlan(
            title="Support questions per 100 new customers",
            unit="",
            baseline="30",
            target="15",
            hypothesis="We believe templates save questions. "
            "We will see it in fewer support requests.",
            weeks=(("29", "6"), ("29", "6"), ("28", "6")),
            outcome="Refuted",
            evidence="Questions stayed nearly the same; templates alone are not enough.",
        ),
    ),
    problem="We lack usage data from the app to measure the set-up.",
    help_offer="We will set up an export of the usage data for you by Friday.",
    confidence_note="Without usage data we cannot see whether the set-up works.",
    learning="A first-week checklist helps more than new templates.",
    search_word="checklist",
    carry_forward="Try the week-one checklist with all new customers.",
)


@pytest.mark.parametrize("who", [GERMAN, ENGLISH], ids=["de", "en"])
def test_newcomer_journey(
    new_context: ContextFactory, screenshots: Callable[[str], Screenshots], who: Newcomer
) -> None:
    journey = Journey(new_context, who, screenshots(who.lang))
    journey.sign_in()
    journey.create_team()
    journey.write_objective()
    journey.add_key_results()
    journey.commit()
    journey.check_in(week=1)
    journey.check_in(week=2)
    journey.check_in(week=3)
    journey.check_in_history()
    journey.another_team_offers_help()
    journey.the_team_marks_it_resolved()
    journey.close_the_cycle()
    journey.write_retrospective()
    journey.find_the_learning()
    journey.no_errors_below_the_surface()
