from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def handbook(request: HttpRequest) -> HttpResponse:
    """Leitstern's principles and how each shows up in the tool (public, no sign-in)."""
    return render(request, "web/handbook.html")
