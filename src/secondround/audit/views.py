from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from secondround.audit import selectors
from secondround.audit.forms import AuditFilterForm
from secondround.web.helpers import request_user


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    audit_filter = selectors.AuditFilter()
    if form.is_bound and form.is_valid():
        audit_filter = selectors.AuditFilter(**form.cleaned_data)
    events = selectors.audit_events(request_user(request), audit_filter)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "audit/log.html", {"form": form, "page": page}, status=status)
