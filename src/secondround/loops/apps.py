from django.apps import AppConfig


class LoopsConfig(AppConfig):
    name = "secondround.loops"
    label = "loops"
