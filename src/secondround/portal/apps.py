from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "secondround.portal"
    verbose_name = "Candidate portal"
