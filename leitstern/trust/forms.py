from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.models import Organization
from leitstern.trust.questionnaire import ITEMS, SCALE


class OrgSettingsForm(forms.ModelForm):
    """The settings the trust charter is generated from."""

    class Meta:
        model = Organization
        fields = (
            "name",
            "language",
            "attribution",
            "max_objectives_per_team",
            "max_key_results_per_objective",
            "pulse_min_responses",
            "audit_retention_days",
            "late_checkin_days",
        )
        help_texts = {
            "pulse_min_responses": _(
                "Pulse results stay hidden until at least this many people answered (3 or more)."
            ),
            "audit_retention_days": _("Older security events are deleted automatically."),
        }


class PulseAnswerForm(forms.Form):
    """One radio group per statement; every statement must be answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer.")},
            )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
