from django.urls import path

from secondround.prep import views

urlpatterns = [
    path("prep/", views.prep_home, name="prep-home"),
]
