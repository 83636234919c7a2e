"""Pages of bookings: the interviewer's agenda and feed, the candidate's options, the team's page.

Thin: each view reads through a selector or acts through one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secondround.bookings import offers, selectors, services
from secondround.bookings.feeds import active_feed_for_token, feed_token
from secondround.bookings.forms import DeclineForm, ReplacementForm
from secondround.bookings.invites import feed_ics
from secondround.bookings.models import Decline, OfferKind
from secondround.hiring.models import Application, Interview
from secondround.hiring.selectors import get_visible_application, require_manager
from secondround.web.helpers import request_user, run_service, visible_or_404


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("interview-feed", args=[token]))


def _agenda_context(request: HttpRequest) -> dict[str, object]:
    user = request_user(request)
    feed = selectors.feed_of(user)
    return {
        "agenda": selectors.agenda(user),
        "feed": feed,
        "feed_url": _feed_url(request, feed_token(feed)) if feed else "",
        "decline_form": DeclineForm(),
    }


@login_required
@require_GET
def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "bookings/agenda.html", _agenda_context(request))


@login_required
@require_POST
def feed_manage(request: HttpRequest) -> HttpResponse:
    """Create or regenerate the feed URL (action=regenerate), or end it (action=revoke)."""
    user = request_user(request)
    action = request.POST.get("action", "")
    if action == "regenerate":
        services.regenerate_calendar_feed(user=user)
        messages.success(request, _("Your new feed address is below; the old one no longer works."))
    elif action == "revoke":
        services.revoke_calendar_feed(user=user)
        messages.success(request, _("Your feed address no longer works."))
    else:
        return HttpResponse(_("action: choose regenerate or revoke."), status=400)
    if getattr(request, "htmx", False):
        return render(request, "bookings/_feed.html", _agenda_context(request))
    return redirect("my-interviews")


@never_cache
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed calendar clients subscribe to: no login, the token is the key."""
    found = active_feed_for_token(token)
    if found is None:
        raise Http404("No such feed.")
    response = HttpResponse(feed_ics(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interviews.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    interview = get_object_or_404(
        Interview.objects.select_related("application__candidate", "application__position"),
        pk=pk,
        interviewer=user,
    )
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.decline_interview(
                actor=user, interview=interview, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Declined. The hiring team will book a replacement."))
            return redirect("my-interviews")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "bookings/decline.html", {"interview": interview, "form": form}, status=status
    )


# --- the hiring team's page for one finalist ---------------------------------------------------


def _team_application(request: HttpRequest, pk: int) -> Application:
    application = visible_or_404(get_visible_application, request, pk)
    require_manager(request_user(request), application.position)
    return application


@login_required
@require_GET
def team_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _team_application(request, pk)
    return render(request, "bookings/team.html", selectors.team_view(application))


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer times to the candidate: fresh whole-loop options on their private page (to move
    the booked loop when one is booked, as after a decline nobody can take)."""
    application = _team_application(request, pk)
    kind = OfferKind.RESCHEDULE if selectors.booked_sessions(application) else OfferKind.FIRST
    try:
        made = offers.offer_times(actor=request_user(request), application=application, kind=kind)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(request, "bookings/team.html", selectors.team_view(application), status=409)
    messages.success(
        request,
        _("%(n)d options offered; the candidate picks one on their page.")
        % {"n": len(made.options)},
    )
    return redirect("booking-team", application.pk)


@login_required
@require_POST
def replacement(request: HttpRequest, pk: int, decline_pk: int) -> HttpResponse:
    """Book the replacement the page proposed (person, and a new time when it moved)."""
    application = _team_application(request, pk)
    found = get_object_or_404(Decline, pk=decline_pk, interview__application=application)
    form = ReplacementForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    try:
        services.book_replacement(
            actor=request_user(request),
            decline=found,
            person=form.cleaned_data["person"],
            starts_at=form.cleaned_data["starts_at"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(request, "bookings/team.html", selectors.team_view(application), status=409)
    messages.success(request, _("Booked; updated invitations are on their way."))
    return redirect("booking-team", application.pk)
