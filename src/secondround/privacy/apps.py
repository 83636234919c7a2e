from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "secondround.privacy"
    label = "privacy"
    verbose_name = "Privacy: retention, erasure, export"
