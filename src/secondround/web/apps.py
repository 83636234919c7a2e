from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "secondround.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from zoneinfo import ZoneInfo

        from secondround.revisions import tell_times_in
        from secondround.scheduling.selectors import policy

        # A refusal to overwrite tells the time in the organisation's zone, like the booking
        # pages; revisions sits below scheduling, so it is told here, at the top.
        tell_times_in(lambda: ZoneInfo(policy().time_zone))
