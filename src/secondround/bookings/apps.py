from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "secondround.bookings"
    label = "bookings"
    verbose_name = "Bookings"

    def ready(self) -> None:
        from secondround.bookings.closing import ReleaseBookings
        from secondround.hiring.closing import provide

        provide(ReleaseBookings())
