"""Pages that span the domain apps, below /o/<org>/."""

from django.urls import path

from leitstern.web import coach, report, teams

urlpatterns = [
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<slug:team>/", teams.team_detail, name="team_detail"),
    path("cycles/<uuid:cycle>/report/", report.cycle_report, name="cycle_report"),
    path("coach/key-result/", coach.coach_key_result, name="coach_key_result"),
    path("coach/objective/", coach.coach_objective, name="coach_objective"),
]
