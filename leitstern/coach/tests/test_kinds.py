"""Classification of key results into the five kinds, and language detection."""

from __future__ import annotations

import pytest

from leitstern.coach import classify, detect_language, review_key_result

KIND_EXAMPLES = [
    ("outcome", "Increase trial-to-paid conversion from 4% to 6%"),
    ("outcome", "Reach 10,000 monthly active users by end of Q2"),
    ("outcome", "70% of new users complete onboarding in week 1 (was 48%)"),
    ("outcome", "Launch the referral programme so that sign-ups rise from 50 to 300 a month"),
    ("outcome", "Kündigungsquote von 5 % auf 3 % senken"),
    ("outcome", "12 neue Geschäftskunden gewinnen"),
    ("outcome", "Anteil der Bürger:innen mit Online-Antrag steigt von 35 % auf 55 %"),
    ("output", "Launch the new onboarding"),
    ("output", "Hire 3 senior engineers"),
    ("output", "Increase test coverage from 60% to 80%"),
    ("output", "New careers page is live"),
    ("output", "Neues CRM bis Ende Q2 einführen"),
    ("output", "ISO-27001-Zertifizierung erlangen"),
    ("output", "Testabdeckung von 55 % auf 80 % erhöhen"),
    ("activity", "Hold 4 customer workshops"),
    ("activity", "Post on LinkedIn three times a week"),
    ("activity", "Call 50 lapsed donors"),
    ("activity", "4 Workshops mit Kund:innen durchführen"),
    ("activity", "Dreimal pro Woche auf LinkedIn posten"),
    ("activity", "Mit 15 abgewanderten Kund:innen sprechen"),
    ("kpi_maintenance", "Keep uptime at 99.9%"),
    ("kpi_maintenance", "Stay within the approved budget"),
    ("kpi_maintenance", "Uptime ≥ 99.9%"),
    ("kpi_maintenance", "No more than 2 critical incidents per month"),
    ("kpi_maintenance", "Verfügbarkeit bei 99,9 % halten"),
    ("kpi_maintenance", "Krankenquote bleibt unter 4 %"),
    ("kpi_maintenance", "In jedem Monat mindestens 90 % Bettenauslastung"),
    ("unmeasurable", "Improve customer satisfaction"),
    ("unmeasurable", "Maximize revenue"),
    ("unmeasurable", "Increase conversion to X%"),
    ("unmeasurable", "Net Promoter Score"),
    ("unmeasurable", "Kundenzufriedenheit deutlich steigern"),
    ("unmeasurable", "Schüler:innen sind im Unterricht engagierter"),
    ("unmeasurable", "Umsatz um xx % steigern"),
]


@pytest.mark.parametrize(("kind", "text"), KIND_EXAMPLES)
def test_classify_kind(kind: str, text: str) -> None:
    assert classify(text).kind == kind


def test_threshold_is_outcome_only_with_an_improvement_objective() -> None:
    text = "At least 95% of tickets answered within 4 hours"
    assert classify(text).kind == "kpi_maintenance"
    assert classify(text, objective="Make support much faster").kind == "outcome"


def test_stored_target_makes_a_change_measurable() -> None:
    assert review_key_result("Increase NPS").kind == "unmeasurable"
    assert review_key_result("Increase NPS", baseline=30, target=45).kind == "outcome"


def test_every_classification_names_its_rule_and_certainty() -> None:
    for _, text in KIND_EXAMPLES:
        result = classify(text)
        assert result.rule.startswith("kind.")
        assert result.certainty in ("likely", "possibly")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Launch the new onboarding", "en"),
        ("Neues Onboarding launchen", "de"),
        ("Keep uptime at 99.9%", "en"),
        ("Verfügbarkeit bei 99,9 % halten", "de"),
        ("Reduce churn from 5% to 3%", "en"),
        ("Kündigungsquote senken", "de"),
        ("Hire 3 engineers", "en"),
        ("Community ausbauen", "de"),
        ("Increase the share of citizens who file online", "en"),
        ("Anteil der Patient:innen mit Termin in 14 Tagen", "de"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_tie_uses_hint_then_english() -> None:
    assert detect_language("NPS 45") == "en"
    assert detect_language("NPS 45", hint="de") == "de"


def test_classification_is_deterministic() -> None:
    text = "Grow newsletter subscribers from 8,000 to 12,000"
    assert {review_key_result(text).to_dict().__repr__() for _ in range(5)} == {
        review_key_result(text).to_dict().__repr__()
    }
