"""Import and export pages, below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path

from leitstern.exchange import views

urlpatterns = [
    path("exchange/", views.exchange, name="exchange"),
]
