from django.urls import path

from secondround.questions import views

urlpatterns = [
    path("questions/", views.bank, name="question-bank"),
    path("questions/new/", views.question_edit, name="question-new"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("questions/<int:pk>/retire/", views.question_retire, name="question-retire"),
    path("scenarios/", views.scenarios, name="scenarios"),
    path("scenarios/new/", views.scenario_edit, name="scenario-new"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario-edit"),
    path("scenarios/<int:pk>/retire/", views.scenario_retire, name="scenario-retire"),
]
