from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "secondround.questions"
    label = "questions"
