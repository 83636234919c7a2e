from django.urls import path

from secondround.feedback import views

urlpatterns = [
    path(
        "applications/<int:pk>/feedback-letter/",
        views.letter_editor,
        name="feedback-letter-editor",
    ),
    path("prep/i/<str:token>/feedback/", views.candidate_letter, name="feedback-letter-candidate"),
    path("prep/i/<str:token>/feedback.pdf", views.candidate_letter_pdf, name="feedback-letter-pdf"),
]
