"""Forms for the retrospective and the learning library's filters."""

from __future__ import annotations

from collections import Counter
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


class TeamInput(forms.TextInput):
    """A team by name (or short name), with the organisation's teams as suggestions: an empty
    datalist the browser fills on the field's first focus (htmx, from `suggestions_url`).
    A select of 2,000 teams in every library page was 100 KB of its 120 KB and cost 15% of
    its throughput; and nobody scrolls through 2,000 options. Without JavaScript, typing the
    name works all the same."""

    DATALIST = "library-teams"

    def __init__(self, teams: Callable[[], list[tuple[str, str]]], suggestions_url: str) -> None:
        super().__init__(
            attrs={
                "list": self.DATALIST,
                "autocomplete": "off",
                "placeholder": _("All teams"),
                "hx-get": suggestions_url,
                "hx-trigger": "focus once",
                "hx-target": f"#{self.DATALIST}",
                "hx-swap": "outerHTML",
                "hx-push-url": "false",  # not the form's: the suggestions are no page
                "maxlength": "150",
            }
        )
        self.teams = teams

    def format_value(self, value: Any) -> str | None:
        """A short name shows as its team's name (a link to `?team=sales`), if unambiguous."""
        if value in (None, ""):
            return None
        return _display_name(str(value), self.teams)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        field = super().render(name, value, attrs, renderer)
        return mark_safe(f'{field}<datalist id="{self.DATALIST}"></datalist>')


def _display_name(value: str, teams: Callable[[], list[tuple[str, str]]]) -> str:
    """How the field shows the team `value` names (typable_names); `value` itself when it
    names no team."""
    try:
        slug = resolve_team(value.strip(), teams())
    except forms.ValidationError:
        return value
    return typable_names(teams())[slug]


def typable_names(teams: list[tuple[str, str]]) -> dict[str, str]:
    """What to type for each team (by short name): its name, unless that name would find
    another team or several under resolve_team() (two teams may share a name; a name may be
    another team's short name), then its short name. Typing it finds that team again."""
    slugs = {slug for slug, _name in teams}
    names = Counter(name.casefold() for _slug, name in teams)
    return {
        slug: name if names[name.casefold()] == 1 and name not in slugs - {slug} else slug
        for slug, name in teams
    }


def resolve_team(value: str, teams: list[tuple[str, str]]) -> str:
    """The short name of the team `value` names: its short name, or its name in any case.
    Raises ValidationError for no team or several teams of that name."""
    if any(slug == value for slug, _name in teams):
        return value
    found = [slug for slug, name in teams if name.casefold() == value.casefold()]
    if len(found) == 1:
        return found[0]
    if found:
        raise forms.ValidationError(
            _("Several teams are called “%(name)s”; type the short name of the one you mean."),
            code="ambiguous",
            params={"name": value},
        )
    raise forms.ValidationError(
        _("No team is called “%(name)s”."), code="unknown", params={"name": value}
    )


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
    team = forms.CharField(label=_("Team"), required=False, max_length=150)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False, widget=LongSelect)
    outcome = forms.ChoiceField(label=_("Hypothesis outcome"), required=False, widget=LongSelect)

    def __init__(
        self,
        *args: Any,
        moals: list[tuple[str, str]],
        teams: Callable[[], list[tuple[str, str]]],
        cycles: list[tuple[str, str]],
        team_suggestions_url: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        outcomes = [(value, label) for value, label in Outcome.choices if value]
        for name, choices in (("moal", moals), ("cycle", cycles), ("outcome", outcomes)):
            cast(forms.ChoiceField, self.fields[name]).choices = PlainChoices([every, *choices])
        # (slug, name) of every team, read only when a team is asked for: 2,000 cost 1 ms.
        self.teams = teams
        self.fields["team"].widget = TeamInput(teams, team_suggestions_url)

    def clean_team(self) -> str:
        value = str(self.cleaned_data.get("team", "")).strip()
        return resolve_team(value, self.teams()) if value else ""

    def valid_filters(self) -> dict[str, str]:
        """The filters that passed validation; invalid ones show an error and are ignored."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
