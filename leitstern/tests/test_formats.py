"""Dates read the same way in both languages: day before month."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import date_format


def test_english_dates_put_the_day_first_and_german_ones_stay_german() -> None:
    day = datetime.date(2026, 11, 3)
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "3 Nov 2026"
        assert date_format(day, "DATE_FORMAT") == "3 November 2026"
    with translation.override("de"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "03.11.2026"


@pytest.mark.parametrize("language", ["en", "de"])
def test_date_fields_still_take_the_iso_dates_date_inputs_send(language: str) -> None:
    with translation.override(language):
        assert forms.DateField().clean("2026-11-03") == datetime.date(2026, 11, 3)


def test_english_date_inputs_without_a_format_still_show_iso_dates() -> None:
    with translation.override("en"):  # display formats changed, the input formats did not
        assert forms.DateInput().format_value(datetime.date(2026, 11, 3)) == "2026-11-03"
