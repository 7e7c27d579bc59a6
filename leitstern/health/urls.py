"""Pages of this app, all below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path

from leitstern.health import views

urlpatterns = [
    path("health/", views.health_list, name="health_list"),
    path("health/new/", views.health_metric_create, name="health_metric_create"),
    path("health/<uuid:metric>/", views.health_metric_detail, name="health_metric_detail"),
    path("health/<uuid:metric>/edit/", views.health_metric_edit, name="health_metric_edit"),
    path("health/<uuid:metric>/readings/", views.health_reading_add, name="health_reading_add"),
]
