"""The candidate's side: preparation kits, story bank and practice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def prep_home(request: HttpRequest) -> HttpResponse:
    return render(request, "prep/home.html", {})
