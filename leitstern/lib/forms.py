"""Domain-free form helpers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError inline: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def render_form(
    request: HttpRequest,
    *,
    membership: Any,
    form: forms.BaseForm,
    heading: str,
    back_url: str,
    intro: str = "",
    template: str = "web/form.html",
    status: int = 200,
) -> HttpResponse:
    """The generic one-form page inside an organisation (heading, intro, cancel link)."""
    context = {
        "organization": membership.organization,
        "membership": membership,
        "form": form,
        "heading": heading,
        "back_url": back_url,
        "intro": intro,
    }
    return render(request, template, context, status=status)
