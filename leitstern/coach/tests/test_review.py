"""Key-result, objective and cycle reviews through the public API."""

from __future__ import annotations

import json

import pytest

from leitstern.coach import (
    KeyResultReview,
    review_key_result,
    review_objective,
    review_team_cycle,
)


def test_review_carries_kind_language_rule_and_certainty() -> None:
    review = review_key_result("Launch the new onboarding")
    assert isinstance(review, KeyResultReview)
    assert (review.kind, review.lang, review.reader_lang) == ("output", "en", "en")
    assert review.rule == "kind.output-verb" and review.certainty == "likely"
    assert review.findings[0].rule == review.rule


def test_to_dict_is_json_friendly() -> None:
    review = review_key_result("Anna will double sign-ups", reader_lang="de")
    data = json.loads(json.dumps(review.to_dict()))
    assert data["kind"] == review.kind and data["reader_lang"] == "de"
    assert {"code", "message", "rule", "certainty", "severity"} <= set(data["findings"][0])


def test_reviews_are_frozen() -> None:
    review = review_key_result("Reduce churn")
    with pytest.raises(AttributeError):
        review.kind = "outcome"  # type: ignore[misc]


def test_invalid_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="reader_lang"):
        review_key_result("Reduce churn", reader_lang="fr")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Launch the new onboarding", "once the new onboarding is launched?"),
        ("Publish 3 customer case studies", "once 3 customer case studies are published?"),
        ("Neues Onboarding launchen", "sobald neues Onboarding gelauncht ist?"),
        ("Neues CRM bis Ende Q2 einführen", "sobald neues CRM eingeführt ist?"),
        ("Hold 4 customer workshops", "\u201cHold 4 customer workshops\u201d"),
        ("Keep uptime at 99.9%", "Track \u201cuptime\u201d as a health metric"),
        ("Verfügbarkeit bei 99,9 % halten", "\u201eVerfügbarkeit\u201c als Gesundheitsmetrik"),
        ("Reduce churn significantly", "'churn falls from [baseline] to [target]"),
        ("Kundenzufriedenheit steigern", "\u201eKundenzufriedenheit steigt von [Ausgangswert]"),
        ("Reach 500 paying customers", "Reach 500 paying customers (from [baseline])"),
    ],
)
def test_suggestion_is_built_from_the_key_results_own_words(text: str, expected: str) -> None:
    suggestion = review_key_result(text).suggestion
    assert suggestion is not None and expected in suggestion


def test_german_text_gets_a_german_suggestion_for_an_english_reader() -> None:
    review = review_key_result("Neues Onboarding launchen", reader_lang="en")
    assert review.findings[0].message.startswith("Likely")
    assert review.suggestion is not None and review.suggestion.startswith("Was ändert sich")


def test_objective_review_reviews_each_key_result() -> None:
    review = review_objective(
        "New customers succeed in their first week so that they stay",
        key_results=[
            "Launch the new onboarding",
            {"text": "Activation rate", "baseline": 20, "target": 35},
        ],
    )
    assert [kr.kind for kr in review.key_results] == ["output", "outcome"]
    assert review.codes == ()
    assert review.to_dict()["key_results"][1]["kind"] == "outcome"


def test_objective_limits_are_parameters() -> None:
    krs = [f"Metric {name} from 1 to 2" for name in ("alpha", "beta", "gamma", "delta")]
    assert (
        "TOO_MANY_KEY_RESULTS"
        not in review_objective("Grow so that we last", key_results=krs).codes
    )
    limited = review_objective("Grow so that we last", key_results=krs, max_key_results=3)
    assert "TOO_MANY_KEY_RESULTS" in limited.codes


def test_leading_indicators_silence_the_aspirational_check() -> None:
    title = "Become the favourite tool of small NGOs because they lack time"
    assert "NO_LEADING_INDICATOR" in review_objective(title, aspirational=True).codes
    with_list = review_objective(title, aspirational=True, leading_indicators=["weekly logins"])
    assert "NO_LEADING_INDICATOR" not in with_list.codes
    kr = {"text": "NPS from 30 to 45", "leading_indicators": ["x"]}
    on_kr = review_objective(title, aspirational=True, key_results=[kr])
    assert "NO_LEADING_INDICATOR" not in on_kr.codes
    assert "NO_LEADING_INDICATOR" not in review_objective(title).codes


def test_why_can_be_given_separately() -> None:
    assert "OBJECTIVE_WITHOUT_WHY" in review_objective("Delight our customers").codes
    assert (
        "OBJECTIVE_WITHOUT_WHY"
        not in review_objective("Delight our customers", why="Churn hurts").codes
    )


def test_cycle_review() -> None:
    objective = {"title": "Customers stay so that we grow", "key_results": ["Reduce churn"]}
    objectives = [objective] * 6
    cycle = review_team_cycle(objectives)
    assert cycle.codes == ("TOO_MANY_OBJECTIVES",)
    assert len(cycle.objectives) == 6
    assert cycle.objectives[0].key_results[0].kind == "unmeasurable"
    assert review_team_cycle(objectives, max_objectives=6).codes == ()
    assert json.loads(json.dumps(cycle.to_dict()))["findings"][0]["code"] == "TOO_MANY_OBJECTIVES"


def test_cycle_reader_language_reaches_every_finding() -> None:
    objective = {"title": "Umsatz um 20 % steigern", "key_results": ["Reduce churn"]}
    cycle = review_team_cycle([objective], reader_lang="de")
    reviewed = cycle.objectives[0]
    assert reviewed.findings[0].message.startswith("Wahrscheinlich")
    assert reviewed.key_results[0].findings[0].message.startswith("Wahrscheinlich")
