from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "secondround.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from secondround.scheduling import signals  # noqa: F401  (connects the receivers)
