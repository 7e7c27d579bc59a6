"""`library_field`: web/_field.html for the library's filters, in Python."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def library_field(field: BoundField) -> SafeString:
    """The HTML of `{% include "web/_field.html" with field=field %}` for a field that is not
    a checkbox (the library has none): five includes cost 0.15 ms more per library page.
    tests/test_library_render.py keeps the two the same."""
    label_for = field.id_for_label
    help_text = field.help_text
    return format_html(
        '\n<label for="{}">{}{}</label>\n{}\n\n{}\n{}\n',
        label_for,
        field.label,
        " *" if field.field.required else "",
        field.as_widget(),
        format_html('<small id="{}-help">{}</small>', label_for, mark_safe(help_text))
        if help_text
        else "",
        format_html_join(
            "", '<small class="ls-error" role="alert">{}</small>', ((e,) for e in field.errors)
        ),
    )
