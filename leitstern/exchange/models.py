"""Stable keys of OKR-as-code files.

An exported object's key is its UUID. When a file is imported into another organisation
(or written by hand with keys like "onboarding-q3"), the new objects get fresh UUIDs and
this table remembers which key they came from, so exporting again yields the same file and
importing again updates instead of duplicating.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from leitstern.orgs.models import Organization


class ExternalKey(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=100)
    object_uuid = models.UUIDField()

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["organization", "kind", "key"], name="external_key_once_per_org"
            ),
        ]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["organization", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} → {self.object_uuid}"
