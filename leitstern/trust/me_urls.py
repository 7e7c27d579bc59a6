"""Personal pages outside an organisation, mounted at /me/ (see leitstern/urls.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from leitstern.trust import me_views

urlpatterns = [
    path("data/", me_views.my_data, name="my_data"),
    path("data.json", me_views.my_data_download, name="my_data_download"),
    path("delete/", me_views.my_account_delete, name="my_account_delete"),
    path("deleted/", login_not_required(me_views.account_deleted), name="account_deleted"),
]
