"""People who sign in. Deliberately without manager, title, salary or rating fields."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitstern.lib.sqlrows import PreparedRows


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def get(self, *args: Any, **kwargs: Any) -> Person:
        """`get(pk=…)`, which the authentication middleware asks on every signed-in request,
        through a query compiled once (lib/sqlrows.py: compiling costs more than running);
        any other lookup as usual. Same instance, same DoesNotExist."""
        # Not for the historical models of migrations (use_in_migrations): today's columns.
        if self.model is not Person or args or list(kwargs) != ["pk"] or self._db:
            return super().get(*args, **kwargs)
        try:
            rows = _by_pk().rows(kwargs["pk"])
        except OverflowError:  # SQLite: no row has a primary key beyond 64 bits
            rows = []
        if not rows:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return self.model.from_db("default", _person_fields(), rows[0])

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.full_clean(exclude=["password"])
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """A login. Roles live on the membership in an organisation, not here."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("Browser setting")), ("en", "English"), ("de", "Deutsch")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Operators of an installation only (Django admin); not an organisation role.
    is_staff = models.BooleanField(_("operator"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the API, scoped to one organisation and acting with its creator's role.

    Only a SHA-256 digest of the secret is stored; the token is shown once at creation. The
    `last_used_on` date is kept so people can spot forgotten tokens — deliberately a date,
    not a counter, so it never becomes an activity figure about a person.
    """

    # A string reference: accounts sits left of orgs and does not import it.
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. “CI export script”"))
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_on = models.DateField(_("last used on"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        expired = self.expires_at is not None and self.expires_at <= timezone.now()
        return self.revoked_at is None and not expired


class IdempotentRequest(models.Model):
    """A remembered answer to a write carrying an `Idempotency-Key`, so a retry repeats it."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once_per_token")
        ]

    def __str__(self) -> str:
        return self.key


def _person_fields() -> list[str]:
    return [f.attname for f in Person._meta.concrete_fields]


@functools.cache
def _by_pk() -> PreparedRows:
    return PreparedRows(
        lambda pk: Person._base_manager.filter(pk=pk).values_list(*_person_fields()),
        fields=(Person._meta.pk,),  # type: ignore[arg-type]
        markers=(1_987_654_321,),
    )
