"""Every finding code, in German and in English."""

from __future__ import annotations

import pytest

from leitstern.coach import (
    CODES,
    Finding,
    KeyResultReview,
    review_key_result,
    review_objective,
    review_team_cycle,
)
from leitstern.coach.messages import CERTAINTY_WORDS, MESSAGES

KR_CASES = [
    ("KR_OUTPUT", "Launch the new onboarding", "Neues Onboarding launchen"),
    ("KR_ACTIVITY", "Hold 4 customer workshops", "4 Workshops mit Kund:innen durchführen"),
    ("KR_KPI_MAINTENANCE", "Keep uptime at 99.9%", "Verfügbarkeit bei 99,9 % halten"),
    ("KR_UNMEASURABLE", "Improve customer satisfaction", "Kundenzufriedenheit verbessern"),
    ("NO_BASELINE", "Reach 500 paying customers", "500 zahlende Kund:innen gewinnen"),
    ("NO_TARGET", "Reduce churn", "Abwanderung reduzieren"),
    ("TARGET_EQUALS_BASELINE", "Raise NPS from 40 to 40", "NPS von 40 auf 40 steigern"),
    (
        "INDIVIDUAL_OWNER",
        "Anna will raise NPS from 30 to 40",
        "NPS von 30 auf 40 steigern (Owner: Max)",
    ),
    (
        "INDIVIDUAL_OWNER",
        "@maria grows sign-ups from 100 to 200",
        "@jonas: Anmeldungen von 100 auf 200",
    ),
    ("VAGUE_WITHOUT_NUMBER", "Significantly better onboarding", "Deutlich besseres Onboarding"),
    (
        "BUNDLED_METRICS",
        "Increase NPS from 30 to 40 and reduce churn from 5% to 3%",
        "NPS von 30 auf 40 steigern und Churn von 5 % auf 3 % senken",
    ),
    ("PLACEHOLDER", "Increase conversion to X%", "Umsatz um xx % steigern"),
    ("PLACEHOLDER", "Grow revenue by TBD", "Anmeldungen von [Ausgangswert] auf [Zielwert]"),
    (
        "ABSOLUTE_QUANTIFIER",
        "All customers know our new pricing",
        "Alle Kunden kennen die neuen Preise",
    ),
    ("MAXIMIZE_WITHOUT_TARGET", "Maximize revenue", "Umsatz maximieren"),
]


def _finding(review: KeyResultReview, code: str) -> Finding:
    return next(f for f in review.findings if f.code == code)


@pytest.mark.parametrize(("code", "en", "de"), KR_CASES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_key_result_finding_in_both_languages(code: str, en: str, de: str, lang: str) -> None:
    text = en if lang == "en" else de
    review = review_key_result(text)
    assert review.lang == lang
    finding = _finding(review, code)
    assert finding.rule
    assert finding.message.startswith(CERTAINTY_WORDS[lang][finding.certainty] + ":")


@pytest.mark.parametrize(("code", "en", "de"), KR_CASES)
def test_findings_follow_the_readers_language(code: str, en: str, de: str) -> None:
    for text in (en, de):
        for reader in ("en", "de"):
            finding = _finding(review_key_result(text, reader_lang=reader), code)
            assert finding.message.startswith(CERTAINTY_WORDS[reader][finding.certainty])


def test_outcome_with_baseline_and_target_has_no_findings() -> None:
    review = review_key_result("Increase trial-to-paid conversion from 4% to 6%")
    assert review.findings == ()
    assert review.suggestion is None


def test_relative_target_needs_no_baseline() -> None:
    assert "NO_BASELINE" not in review_key_result("Increase average order value by 15%").codes


@pytest.mark.parametrize(
    "text",
    [
        "Keep response time between 3 and 5 days",  # a range is one metric
        "Translate the website into Spanish and Arabic",
        "Owner: Team Alpha raises sign-ups from 100 to 200",
        "Hold weekly office hours for the product teams",
        "Send 5 emails per week",
    ],
)
def test_no_false_alarms(text: str) -> None:
    codes = review_key_result(text).codes
    assert "BUNDLED_METRICS" not in codes
    assert "INDIVIDUAL_OWNER" not in codes
    assert "PLACEHOLDER" not in codes


def test_stored_baseline_equal_to_target() -> None:
    review = review_key_result("Active members", baseline=120, target=120)
    assert "TARGET_EQUALS_BASELINE" in review.codes


OBJECTIVE_CASES = {
    "en": dict(
        title="Increase revenue by 20%",
        dup=("Raise NPS from 30 to 40", "Increase NPS from 30 to 45"),
    ),
    "de": dict(
        title="Umsatz um 20 % steigern",
        dup=("NPS von 30 auf 40 steigern", "NPS von 30 auf 45 erhöhen"),
    ),
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_objective_findings_in_both_languages(lang: str) -> None:
    case = OBJECTIVE_CASES[lang]
    many = [f"{k} {i}" for i, k in enumerate(["Signal"] * 4)]
    review = review_objective(
        str(case["title"]), key_results=[*case["dup"], *many], aspirational=True
    )
    codes = review.codes
    for code in ("OBJECTIVE_IS_METRIC", "OBJECTIVE_WITHOUT_WHY", "TOO_MANY_KEY_RESULTS",
                 "DUPLICATE_KEY_RESULTS", "NO_LEADING_INDICATOR"):  # fmt: skip
        assert code in codes
    assert review.reader_lang == lang
    for finding in review.findings:
        assert finding.message.split(":")[0] in CERTAINTY_WORDS[lang].values()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_too_many_objectives_in_both_languages(lang: str) -> None:
    title = (
        "Delight our customers so they stay"
        if lang == "en"
        else "Kund:innen begeistern, damit sie bleiben"
    )
    cycle = review_team_cycle([{"title": title}] * 6, max_objectives=5)
    finding = next(f for f in cycle.findings if f.code == "TOO_MANY_OBJECTIVES")
    assert finding.certainty == "certain"
    assert "6" in finding.message and "5" in finding.message
    assert finding.message.startswith(CERTAINTY_WORDS[lang]["certain"])


def test_every_code_has_both_messages_and_is_tested() -> None:
    tested = {c for c, _, _ in KR_CASES} | {
        "OBJECTIVE_IS_METRIC", "OBJECTIVE_WITHOUT_WHY", "TOO_MANY_KEY_RESULTS",
        "DUPLICATE_KEY_RESULTS", "NO_LEADING_INDICATOR", "TOO_MANY_OBJECTIVES",
    }  # fmt: skip
    assert set(CODES) == tested
    for messages in MESSAGES.values():
        assert set(messages) == {"en", "de"}
