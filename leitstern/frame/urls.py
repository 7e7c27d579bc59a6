"""The frame (vision, purpose, MOALs) and strategy time, below /o/<org>/."""

from django.urls import path

from leitstern.frame import views

urlpatterns = [
    path("frame/", views.frame_detail, name="frame_detail"),
    path("frame/edit/", views.frame_edit, name="frame_edit"),
    path("frame/moals/new/", views.moal_edit, name="moal_create"),
    path("frame/moals/<uuid:moal>/", views.moal_edit, name="moal_edit"),
    path("teams/<slug:team>/strategy-time/", views.strategy_time_edit, name="strategy_time_edit"),
]
