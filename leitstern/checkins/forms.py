"""Forms for the weekly check-in and the problems board."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from leitstern.okrs.models import KeyResult, LeadingIndicator, OrdinalLevel
from leitstern.orgs.models import Team

CONFIDENCE_DROP = _("What changed? One sentence helps the others understand.")


def _decimal_input(**attrs: Any) -> forms.TextInput:
    # A text input, not type=number: browsers mangle "12,5" in German number inputs.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


def _text_input(placeholder: str = "") -> forms.TextInput:
    attrs = {"autocomplete": "off"}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.TextInput(attrs=attrs)


def ordinal_choices(key_result: KeyResult) -> list[tuple[str, str]]:
    """The described levels of an ordinal key result, skipping levels left undescribed."""
    described = {
        OrdinalLevel.COMMIT: key_result.commit_level,
        OrdinalLevel.TARGET: key_result.target_level,
        OrdinalLevel.STRETCH: key_result.stretch_level,
    }
    choices = [("", "—"), (str(OrdinalLevel.BELOW.value), str(OrdinalLevel.BELOW.label))]
    for level, text in described.items():
        if text:
            choices.append((str(level.value), f"{level.label}: {text}"))
    return choices


class CheckInForm(forms.Form):
    """One key result's row of the weekly check-in. An untouched row is skipped, not an error."""

    confidence = forms.IntegerField(
        label=_("Confidence (0–10)"),
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_text_input())
    problem = forms.CharField(
        label=_("Problem — where could another team help?"),
        required=False,
        widget=_text_input(),
    )
    learning = forms.CharField(label=_("What did you learn?"), required=False, widget=_text_input())

    def __init__(
        self,
        *args: Any,
        key_result: KeyResult,
        indicators: list[LeadingIndicator],
        previous_confidence: int | None,
        **kwargs: Any,
    ) -> None:
        """`previous_confidence`: of the latest earlier week's check-in; a drop asks why."""
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        self.indicators: list[LeadingIndicator] = []
        self.previous_confidence = previous_confidence
        self.fields["value"] = self._value_field(key_result)
        self.order_fields(["value", "confidence", "note", "problem", "learning"])
        self.add_indicator_fields(indicators)

    def add_indicator_fields(self, indicators: list[LeadingIndicator]) -> None:
        """Inputs for the leading indicators this form does not have yet (after the others)."""
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            if name in self.fields:
                continue
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            self.fields[name] = forms.DecimalField(
                localize=True,
                label=label,
                required=False,
                max_digits=16,
                decimal_places=4,
                widget=_decimal_input(),
            )
            self.indicators.append(indicator)

    @staticmethod
    def _value_field(key_result: KeyResult) -> forms.Field:
        if key_result.is_metric:
            unit = f" ({key_result.unit})" if key_result.unit else ""
            return forms.DecimalField(
                localize=True,
                label=_("Value") + unit,
                required=False,
                max_digits=16,
                decimal_places=4,
                widget=_decimal_input(),
            )
        return forms.TypedChoiceField(
            label=_("Level reached"),
            required=False,
            choices=ordinal_choices(key_result),
            coerce=Decimal,
            empty_value=None,
        )

    @property
    def is_blank(self) -> bool:
        """Nothing typed in this row: the team skips this key result this time."""
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) in (None, "") for name in self.fields)

    def indicator_values(self) -> dict[LeadingIndicator, Decimal]:
        values = {i: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}
        return {indicator: value for indicator, value in values.items() if value is not None}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank:
            return data
        if data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("Enter the current value."))
        confidence = data.get("confidence")
        if confidence is None and "confidence" not in self.errors:
            self.add_error("confidence", _("How confident are you, from 0 to 10?"))
        dropped = (
            self.previous_confidence is not None
            and confidence is not None
            and confidence < self.previous_confidence
        )
        if dropped and not data.get("note", "").strip():
            self.add_error("note", CONFIDENCE_DROP)
        return data


class OfferHelpForm(forms.Form):
    """Another team offers help; `teams` are the teams this person may speak for."""

    team = forms.ChoiceField(label=_("Our team"))
    message = forms.CharField(
        label=_("How we can help"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say in a sentence how your team can help.")},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._teams = {str(team.uuid): team for team in teams}
        team_field = cast(forms.ChoiceField, self.fields["team"])
        team_field.choices = [(str(t.uuid), t.name) for t in teams]

    def clean_team(self) -> Team:
        return self._teams[self.cleaned_data["team"]]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Say in a sentence how your team can help."))
        return message


def mark_invalid(form: forms.BaseForm) -> None:
    """Set aria-invalid on fields with errors so assistive technology announces them."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["aria-invalid"] = "true"
