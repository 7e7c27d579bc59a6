"""web/_field.html: what a widget's aria-describedby names exists on the page."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Form(forms.Form):
    name = forms.CharField(help_text="A short name.")
    unit = forms.CharField(required=False)


def test_help_and_errors_carry_the_ids_the_widget_points_to() -> None:
    form = Form({"name": ""})
    assert not form.is_valid()
    html = render_to_string("web/_field.html", {"field": form["name"]})
    described = re.search(r'aria-describedby="([^"]+)"', html)
    assert described is not None
    ids = described.group(1).split()
    assert ids == ["id_name_helptext", "id_name_error"]
    for id_ in ids:
        assert f'id="{id_}"' in html
    assert 'role="alert" id="id_name_error">This field is required.</small>' in html


def test_a_field_without_help_or_errors_points_nowhere() -> None:
    form = Form({"name": "x"})
    assert form.is_valid()
    html = render_to_string("web/_field.html", {"field": form["unit"]})
    assert "aria-describedby" not in html and "_error" not in html
