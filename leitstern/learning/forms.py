"""Forms for the retrospective and the learning library's filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html import escape
from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from leitstern.learning.models import Outcome
from leitstern.okrs.models import HypothesisStatus

OUTCOME_CHOICES = [
    (HypothesisStatus.SUPPORTED.value, _("Supported")),
    (HypothesisStatus.REFUTED.value, _("Refuted")),
    (HypothesisStatus.INCONCLUSIVE.value, _("Inconclusive")),
]


class HypothesisForm(forms.Form):
    """How one key result's hypothesis ended, and what showed it."""

    outcome = forms.ChoiceField(
        label=_("The hypothesis was"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose supported, refuted or inconclusive — inconclusive is fine too.")
        },
    )
    evidence = forms.CharField(
        label=_("Evidence — what did you see?"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetrospectiveForm(forms.Form):
    what_held = forms.CharField(
        label=_("What held?"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    what_refuted = forms.CharField(
        label=_("What was refuted?"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    carry_forward = forms.CharField(
        label=_("What do we carry forward?"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    learnings = forms.CharField(
        label=_("What did you learn? One learning per line."),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each line becomes a learning in the organisation's library."),
    )
    self_assessment = forms.DecimalField(
        label=_("Your team's self-assessment (0.0–1.0, optional)"),
        required=False,
        min_value=0,
        max_value=1,
        max_digits=3,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.05", "min": "0", "max": "1"}
        ),
        help_text=_(
            "A learning aid for your team alone: how far did you get? "
            "It is never added up or compared across teams."
        ),
    )

    def learning_lines(self) -> list[str]:
        lines = self.cleaned_data.get("learnings", "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class PlainChoices(BaseChoiceIterator):
    """(value, label) pairs taken as they are: Django normalises plain lists of choices twice
    per form (field and widget), 20 ms of CPU for an organisation's 2,000 teams."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.pairs)


class LazyChoices(BaseChoiceIterator):
    """`first`, then the pairs `load` returns, read when iteration gets past `first`: an
    organisation's 2,000 teams are needed only to check or show a chosen team, and reading
    them cost 1 ms. The select of all teams comes from the fragment cache (views._TeamSelect);
    a select's `required` check looks only at the first choice."""

    def __init__(self, first: tuple[str, Any], load: Callable[[], list[tuple[str, Any]]]) -> None:
        self.first = first
        self.load = load
        self.rest: list[tuple[str, Any]] | None = None

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        yield self.first
        if self.rest is None:
            self.rest = self.load()
        yield from self.rest


class LongSelect(forms.Select):
    """A select for long lists, rendered in Python: Django's template per option cost about
    100 ms of CPU per request for 2,000 teams. Same HTML; no option groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in self.choices
        )
        attributes = flatatt({"name": name, **self.build_attrs(self.attrs, attrs)})
        return mark_safe(f"<select{attributes}>{options}</select>")  # values escaped above


class LearningFilterForm(forms.Form):
    """The library's search and filters; an unknown choice is reported, not a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    moal = forms.ChoiceField(label=_("Mid-term goal"), required=False, widget=LongSelect)
    team = forms.ChoiceField(label=_("Team"), required=False, widget=LongSelect)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False, widget=LongSelect)
    outcome = forms.ChoiceField(label=_("Hypothesis outcome"), required=False, widget=LongSelect)

    def __init__(
        self,
        *args: Any,
        moals: list[tuple[str, str]],
        teams: list[tuple[str, str]] | Callable[[], list[tuple[str, str]]],
        cycles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        outcomes = [(value, label) for value, label in Outcome.choices if value]
        for name, choices in (
            ("moal", moals),
            ("team", teams),
            ("cycle", cycles),
            ("outcome", outcomes),
        ):
            field = cast(forms.ChoiceField, self.fields[name])
            if callable(choices):
                field.choices = LazyChoices(every, choices)
            else:
                field.choices = PlainChoices([every, *choices])

    def valid_filters(self) -> dict[str, str]:
        """The filters that passed validation; invalid ones show an error and are ignored."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
