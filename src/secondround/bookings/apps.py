from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "secondround.bookings"
    label = "bookings"
    verbose_name = "Bookings"
