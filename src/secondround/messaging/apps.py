from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "secondround.messaging"
    label = "messaging"
    verbose_name = "Messages to candidates"
