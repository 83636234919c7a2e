from django.urls import path

from secondround.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("availability/", views.availability, name="availability"),
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/<int:room_id>/", views.rooms, name="room"),
    path("settings/scheduling/", views.policy_settings, name="policy"),
    path("positions/<int:position_id>/schedule/", views.board, name="board"),
    path("positions/<int:position_id>/schedule/run/", views.run_schedule, name="run"),
    path("scheduled/<int:session_id>/", views.edit_session, name="session"),
    path(
        "applications/<int:application_id>/availability/",
        views.candidate_availability,
        name="candidate-availability",
    ),
    path("applications/<int:application_id>/schedule/cancel/", views.cancel, name="cancel"),
    path("schedule/load/", views.load, name="load"),
]
