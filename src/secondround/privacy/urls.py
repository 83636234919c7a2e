from django.urls import path

from secondround.privacy import views

urlpatterns = [
    path("candidates/<int:pk>/data/", views.candidate_data, name="candidate-data"),
    path("candidates/<int:pk>/data/export/", views.candidate_export, name="candidate-export"),
    path("settings/privacy/", views.retention_settings, name="privacy-settings"),
]
