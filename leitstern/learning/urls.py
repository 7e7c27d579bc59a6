"""Pages of this app, all below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
