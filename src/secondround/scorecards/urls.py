from django.urls import path

from secondround.scorecards import views

urlpatterns = [
    path("applications/<int:pk>/round-one/", views.round_one_entry, name="round-one-entry"),
]
