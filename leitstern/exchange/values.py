"""Plain values of the export: shortest numbers, stable keys, dates as text."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from leitstern.exchange.models import ExternalKey
from leitstern.orgs.models import Organization


def number(value: Decimal | None) -> int | float | str | None:
    """A decimal in its shortest exact form: int, float when exact, else a string."""
    if value is None:
        return None
    try:
        return _numbers[value]  # check-in values repeat: counts, percentages, levels
    except KeyError:
        pass
    if len(_numbers) >= 10_000:
        _numbers.clear()
    if value == value.to_integral_value():
        shortest: int | float | str = int(value)
    elif Decimal(repr(as_float := float(value))) == value:
        shortest = as_float
    else:
        shortest = format(value.normalize(), "f")
    _numbers[value] = shortest
    return shortest


# Equal decimals (1.5, 1.50) have the same shortest form, so they may share an entry.
_numbers: dict[Decimal, int | float | str] = {}


def plain(value: Any) -> Any:
    # Choices are str/int enums; YAML's safe dumper wants the plain values.
    return str(value) if isinstance(value, str) else int(value)


def day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def moment(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).isoformat()


class Keys:
    """Stable keys: the remembered key of an imported object, else its UUID."""

    def __init__(self, organization: Organization) -> None:
        rows = ExternalKey.objects.filter(organization=organization)
        self._by_uuid = {
            (kind, object_uuid): key
            for kind, object_uuid, key in rows.values_list("kind", "object_uuid", "key")
        }

    def __call__(self, kind: str, obj: Any) -> str:
        return self.of(kind, obj.uuid)

    def of(self, kind: str, object_uuid: uuid.UUID) -> str:
        key = self._by_uuid.get((kind, object_uuid))
        return str(object_uuid) if key is None else key
