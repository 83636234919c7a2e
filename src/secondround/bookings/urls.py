from django.urls import path

from secondround.bookings import candidate_views, views

urlpatterns = [
    path("interviews/", views.agenda, name="my-interviews"),
    path("interviews/feed/", views.feed_manage, name="interview-feed-manage"),
    path("interviews/feed/<str:token>.ics", views.feed, name="interview-feed"),
    path("interviews/<int:pk>/decline/", views.decline, name="interview-decline"),
    path("applications/<int:pk>/booking/", views.team_page, name="booking-team"),
    path("applications/<int:pk>/booking/offer/", views.offer, name="booking-offer"),
    path(
        "applications/<int:pk>/booking/declines/<int:decline_pk>/book/",
        views.replacement,
        name="booking-replacement",
    ),
]

candidate_patterns = [
    path("prep/i/<str:token>/schedule/", candidate_views.schedule_page, name="candidate-schedule"),
    path("prep/i/<str:token>/schedule/pick/", candidate_views.pick, name="candidate-pick"),
    path(
        "prep/i/<str:token>/schedule/reschedule/",
        candidate_views.reschedule,
        name="candidate-reschedule",
    ),
    path(
        "prep/i/<str:token>/schedule/availability/",
        candidate_views.availability,
        name="candidate-availability",
    ),
]
urlpatterns += candidate_patterns
