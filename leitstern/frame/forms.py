from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leitstern.frame.models import Frame, Moal, StrategyTime


class FrameForm(forms.ModelForm):
    class Meta:
        model = Frame
        fields = ["vision", "purpose"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "vision": _("The future you aim for, in a sentence or two."),
            "purpose": _("Why the organisation exists — for whom."),
        }


class MoalForm(forms.ModelForm):
    class Meta:
        model = Moal
        fields = ["title", "description", "horizon", "archived"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "horizon": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "title": _(
                "An outcome for the next one to three years that several teams can contribute to."
            )
        }


class StrategyTimeForm(forms.ModelForm):
    class Meta:
        model = StrategyTime
        fields = ["hours_per_week", "slot"]
