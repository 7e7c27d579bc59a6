"""Pages of this app, all below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path

from leitstern.checkins import problem_views, views

urlpatterns = [
    path("teams/<slug:team>/check-in/", views.checkin_form, name="checkin_form"),
    path("problems/", problem_views.problem_list, name="problem_list"),
    path("problems/<uuid:problem>/", problem_views.problem_detail, name="problem_detail"),
    path(
        "problems/<uuid:problem>/help/",
        problem_views.problem_offer_help,
        name="problem_offer_help",
    ),
    path("problems/<uuid:problem>/resolve/", problem_views.problem_resolve, name="problem_resolve"),
]
