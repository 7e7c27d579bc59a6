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


class PendingImport(models.Model):
    """An uploaded file between its dry-run preview and the confirmation in the web app."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
