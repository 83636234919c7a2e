from django.urls import path

from secondround.security import views

urlpatterns = [
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/two-factor/qr.svg", views.two_factor_qr, name="two-factor-qr"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("settings/security/", views.security_settings, name="security-settings"),
]
