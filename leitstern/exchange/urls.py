"""Import and export pages, below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
