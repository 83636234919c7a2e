from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "secondround.security"
    label = "security"
    verbose_name = "Sign-in security"
