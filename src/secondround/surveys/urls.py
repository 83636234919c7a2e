from django.urls import path

from secondround.surveys import views

urlpatterns = [
    path("prep/i/<str:token>/survey/", views.candidate_survey, name="survey-candidate"),
    path("surveys/", views.overview, name="surveys"),
    path("positions/<int:pk>/survey/", views.results, name="survey-results"),
]
