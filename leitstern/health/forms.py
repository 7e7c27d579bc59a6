"""Forms for health metrics and their readings."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitstern.health.models import HealthMetric
from leitstern.orgs.models import Team

ORG_WIDE = ""


def _number_input() -> forms.TextInput:
    # A text input, not type=number: browsers mangle "12,5" in German number inputs.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class HealthMetricForm(forms.ModelForm):
    """Create or edit a metric; `scopes` are the teams (and org-wide) this person may edit."""

    scope = forms.ChoiceField(label=_("Watched by"))

    class Meta:
        model = HealthMetric
        fields = ("name", "description", "unit", "healthy_min", "healthy_max")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "healthy_min": _number_input(),
            "healthy_max": _number_input(),
        }
        localized_fields = ("healthy_min", "healthy_max")

    def __init__(self, *args: Any, teams: list[Team], allow_org_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._teams = {team.slug: team for team in teams}
        choices: list[tuple[str, str]] = [(team.slug, team.name) for team in teams]
        if allow_org_wide:
            choices.insert(0, (ORG_WIDE, str(_("The whole organisation"))))
        cast(forms.ChoiceField, self.fields["scope"]).choices = choices
        self.fields["scope"].required = not allow_org_wide
        if self.instance.pk:
            self.initial.setdefault("scope", self.instance.team.slug if self.instance.team else "")
        self.order_fields(["name", "scope", "description", "unit", "healthy_min", "healthy_max"])

    def clean_scope(self) -> str:
        scope = self.cleaned_data.get("scope", "")
        # Set here so the model's clean() sees the team together with the other fields.
        self.instance.team = self._teams.get(scope)
        return scope


class HealthReadingForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Measured on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    value = forms.DecimalField(
        label=_("Value"), max_digits=16, decimal_places=4, widget=_number_input(), localize=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate

    def clean_measured_on(self) -> Any:
        day = self.cleaned_data["measured_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A reading cannot be dated in the future."))
        return day
