from django.contrib import admin
from django.urls import include, path

from secondround.api.api import api

urlpatterns = [
    path("", include("secondround.web.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
