"""The quality coach in the browser: findings as you type (htmx)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from leitstern.okrs.coaching import review_key_result_input, review_objective_input
from leitstern.orgs.access import get_membership


@require_POST
def coach_key_result(request: HttpRequest, org: str) -> HttpResponse:
    get_membership(request.user, org)  # type: ignore[arg-type]
    return render(request, "web/_coach.html", {"review": review_key_result_input(request.POST)})


@require_POST
def coach_objective(request: HttpRequest, org: str) -> HttpResponse:
    get_membership(request.user, org)  # type: ignore[arg-type]
    return render(request, "web/_coach.html", {"review": review_objective_input(request.POST)})
