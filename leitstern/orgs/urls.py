"""People and team administration below /o/<org>/."""

from django.urls import path

from leitstern.orgs import views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:person>/", views.person_edit, name="person_edit"),
    path("teams-admin/new/", views.team_edit, name="team_create"),
    path("teams-admin/<slug:team>/", views.team_edit, name="team_edit"),
]
