"""The table of contents of Leitstern's pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from leitstern.api import api
from leitstern.web import language, views

org_pages: list[URLPattern | URLResolver] = [
    path("", views.org_home, name="org_home"),
    path("", include("leitstern.web.org_urls")),
    path("", include("leitstern.orgs.urls")),
    path("", include("leitstern.frame.urls")),
    path("", include("leitstern.okrs.urls")),
    path("", include("leitstern.checkins.urls")),
    path("", include("leitstern.learning.urls")),
    path("", include("leitstern.health.urls")),
    path("", include("leitstern.trust.urls")),
    path("", include("leitstern.exchange.urls")),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("leitstern.accounts.urls")),
    path("me/", include("leitstern.trust.me_urls")),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("operator/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("leitstern.web.urls")),
    path("o/<slug:org>/", include(org_pages)),
]

if settings.LEITSTERN_BENCH:  # floor views of bench/web_bench.py; never in production
    urlpatterns.append(path("_bench/", include("bench.floor")))
