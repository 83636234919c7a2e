from django.urls import path

from secondround.portal import views

urlpatterns = [
    path("portal/<str:token>/", views.portal, name="portal"),
    path("portal/<str:token>/preferences/", views.preferences, name="portal-preferences"),
    path("portal/<str:token>/questions/", views.ask, name="portal-ask"),
    path("portal/<str:token>/adjustments/", views.adjustments, name="portal-adjustments"),
    path("portal/<str:token>/interviews.ics", views.itinerary_download, name="portal-ics"),
    path(
        "applications/<int:pk>/candidate-questions/<int:question_pk>/route/",
        views.route,
        name="portal-question-route",
    ),
    path(
        "applications/<int:pk>/candidate-questions/<int:question_pk>/answered/",
        views.mark_answered,
        name="portal-question-answered",
    ),
    path(
        "applications/<int:pk>/candidate-questions/<int:question_pk>/answer/",
        views.answer,
        name="portal-question-answer",
    ),
]
