from django.urls import path

from secondround.bookings import views

urlpatterns = [
    path("interviews/", views.agenda, name="my-interviews"),
    path("interviews/feed/", views.feed_manage, name="interview-feed-manage"),
    path("interviews/feed/<str:token>.ics", views.feed, name="interview-feed"),
    path("interviews/<int:pk>/decline/", views.decline, name="interview-decline"),
]
