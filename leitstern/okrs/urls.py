"""Objective, key-result, cycle and alignment pages below /o/<org>/."""

from django.urls import path

from leitstern.okrs import views

urlpatterns = [
    path("objectives/<uuid:objective>/", views.objective_detail, name="objective_detail"),
    path("objectives/<uuid:objective>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<uuid:objective>/drop/", views.objective_drop, name="objective_drop"),
    path(
        "objectives/<uuid:objective>/carry-over/",
        views.objective_carry_over,
        name="objective_carry_over",
    ),
    path(
        "objectives/<uuid:objective>/key-results/new/",
        views.key_result_create,
        name="key_result_create",
    ),
    path("teams/<slug:team>/objectives/new/", views.objective_create, name="objective_create"),
    path("teams/<slug:team>/objectives/commit/", views.objectives_commit, name="objectives_commit"),
    path("key-results/<uuid:key_result>/", views.key_result_detail, name="key_result_detail"),
    path("key-results/<uuid:key_result>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<uuid:key_result>/indicators/", views.indicator_add, name="indicator_add"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<uuid:cycle>/phase/", views.cycle_move, name="cycle_move"),
    path("alignment/", views.alignment_map, name="alignment_map"),
]
