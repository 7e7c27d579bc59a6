"""Pages of this app, all below /o/<org>/ (see leitstern/urls.py)."""

from django.urls import path

from leitstern.learning import views

urlpatterns = [
    path(
        "objectives/<uuid:objective>/retrospective/",
        views.retrospective_form,
        name="retrospective_form",
    ),
    path("learnings/", views.learning_list, name="learning_list"),
    path("learnings/teams/", views.learning_teams, name="learning_teams"),
]
