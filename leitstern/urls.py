"""The table of contents of Leitstern's pages."""

from django.contrib import admin
from django.urls import include, path

from leitstern.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("operator/", admin.site.urls),
    path("o/<slug:org>/", views.org_home, name="org_home"),
]
