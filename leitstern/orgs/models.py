"""Organisations (tenants), memberships with roles, and teams.

Everything in Leitstern belongs to exactly one organisation. Persons appear only
here, as members of an organisation or a team — never as owners of an OKR.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitstern.orgs.versions import new_version


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator (OKR coach)")
    ADMIN = "admin", _("Admin")


ROLE_RANK = {Role.MEMBER: 1, Role.FACILITATOR: 2, Role.ADMIN: 3}


class Attribution(models.TextChoices):
    TEAM = "team", _("Team only")
    TEAM_AND_NAME = "team_and_name", _("Team, with the writer's name on problems and help offers")


class Organization(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(
        _("default language"), max_length=8, default="en", choices=settings.LANGUAGES
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=20,
        choices=Attribution.choices,
        default=Attribution.TEAM,
        help_text=_("Check-ins always belong to the team. Names are never counted or ranked."),
    )
    max_objectives_per_team = models.PositiveSmallIntegerField(
        _("objectives per team and cycle (limit)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    max_key_results_per_objective = models.PositiveSmallIntegerField(
        _("key results per objective (limit)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    pulse_min_responses = models.PositiveSmallIntegerField(
        _("minimum answers before pulse results show"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
    )
    audit_retention_days = models.PositiveSmallIntegerField(
        _("days the security audit trail is kept"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    late_checkin_days = models.PositiveSmallIntegerField(
        _("days after a cycle's end that late check-ins are accepted"),
        default=7,
        validators=[MaxValueValidator(60)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Changes with everything shown org-wide (cycles, the team tree, names); see versions.py.
    page_version = models.BigIntegerField(default=new_version, db_default=0, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(pulse_min_responses__gte=3),
                name="org_pulse_threshold_at_least_3",
                violation_error_message=_(
                    "Pulse results need at least 3 answers to stay anonymous."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrgOwned(models.Model):
    """Base for every object inside an organisation: tenant key and public UUID."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def require_same_organization(self, *fields: str) -> None:
        """Raise a ValidationError if an object set in `fields` lives in another organisation."""
        errors = {}
        for field in fields:
            if getattr(self, f"{field}_id") is None:
                continue
            obj = getattr(self, field)
            if obj.organization_id != self.organization_id:
                errors[field] = _("This belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["organization", "person"],
                name="membership_once_per_org",
                violation_error_message=_("This person is already a member of the organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization} ({self.role})"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class TeamQuerySet(models.QuerySet["Team"]):
    def in_org(self, organization: Organization) -> TeamQuerySet:
        return self.filter(organization=organization)


class Team(OrgOwned):
    slug = models.SlugField(_("short name"), max_length=60)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("what the team is for"), blank=True)
    # The parent is for navigation only: it gives no authority over the child team's OKRs.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    # Changes with everything shown on the team's page; see versions.py.
    page_version = models.BigIntegerField(default=new_version, db_default=0, editable=False)
    members = models.ManyToManyField(
        Membership, through="TeamMembership", related_name="teams", blank=True
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["organization", "slug"],
                name="team_slug_unique_per_org",
                violation_error_message=_("Another team of this organisation has this short name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.require_same_organization("parent")
        seen = {self.pk}
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"parent": _("A team cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["team", "membership"],
                name="team_membership_once",
                violation_error_message=_("This person is already in the team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} in {self.team}"

    def clean(self) -> None:
        if self.membership.organization_id != self.team.organization_id:
            raise ValidationError(_("Only members of the team's organisation can join the team."))
