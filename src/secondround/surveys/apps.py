from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "secondround.surveys"
    label = "surveys"
    verbose_name = "Candidate experience surveys"
