from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "secondround.feedback"
    label = "feedback"
    verbose_name = "Feedback letters"
