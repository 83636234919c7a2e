from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "secondround.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from secondround.loops.booking_facts import provide
        from secondround.scheduling import signals  # noqa: F401  (connects the receivers)
        from secondround.scheduling.facts import BookingFactsFromDatabase

        # Loops reads booked lengths through the seam it declares (it sits below us).
        provide(BookingFactsFromDatabase())
