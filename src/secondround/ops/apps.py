from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "secondround.ops"
    label = "ops"
    verbose_name = "Operations"
