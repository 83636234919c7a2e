from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secondround.accounts"
    label = "accounts"
    verbose_name = "Accounts"
