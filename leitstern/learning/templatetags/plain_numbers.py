"""`plain` filter: a stored Decimal(16, 4) shown without trailing zeros, localised."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


def plain_decimal(value: Any) -> Decimal | None:
    """12.5000 → 12.5, 100.0000 → 100 (never 1E+2); None and junk stay None."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


@register.filter
def plain(value: Any) -> str:
    number = plain_decimal(value)
    if number is None:
        return ""
    places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=places)


@register.filter
def plain_input(value: Any) -> str:
    """Like `plain`, but never localised: for `value=` of number inputs."""
    number = plain_decimal(value)
    return "" if number is None else f"{number:f}"
