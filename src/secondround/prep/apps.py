from django.apps import AppConfig


class PrepConfig(AppConfig):
    name = "secondround.prep"
    label = "prep"
    verbose_name = "Candidate preparation"
