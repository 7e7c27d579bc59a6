from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [(30, _("30 days")), (90, _("90 days")), (365, _("one year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("So you recognise it later, e.g. “CI export”.")
    )
    organization = forms.ChoiceField(label=_("Organisation"))
    expires_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )

    def __init__(self, *args: Any, organizations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organization"]).choices = organizations
