from django.urls import path

from secondround.scorecards import views

urlpatterns = [
    path("positions/<int:pk>/round-one/import/", views.import_round_one, name="round-one-import"),
    path("applications/<int:pk>/round-one/", views.round_one_entry, name="round-one-entry"),
    path(
        "kits/<int:seat_pk>/<int:application_pk>/scorecard/",
        views.scorecard_for_seat,
        name="scorecard-for-seat",
    ),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
]
