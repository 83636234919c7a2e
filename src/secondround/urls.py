from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from secondround.accounts.forms import ColleaguePasswordResetForm
from secondround.api.api import api
from secondround.ops.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("secondround.web.urls")),
    path("", include("secondround.hiring.urls")),
    path("", include("secondround.loops.urls")),
    path("", include("secondround.questions.urls")),
    path("", include("secondround.scorecards.urls")),
    path("", include("secondround.prep.urls")),
    path("", include("secondround.portal.urls")),
    path("", include("secondround.debrief.urls")),
    path("", include("secondround.feedback.urls")),
    path("", include("secondround.surveys.urls")),
    path("", include("secondround.messaging.urls")),
    path("", include("secondround.audit.urls")),
    path("", include("secondround.security.urls")),
    path("", include("secondround.privacy.urls")),
    path("", include("secondround.scheduling.urls")),
    path("", include("secondround.bookings.urls")),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=ColleaguePasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
