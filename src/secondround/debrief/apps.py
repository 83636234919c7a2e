from django.apps import AppConfig


class DebriefConfig(AppConfig):
    name = "secondround.debrief"
    label = "debrief"
    verbose_name = "Debrief and decisions"

    def ready(self) -> None:
        from secondround.debrief.facts import RecordedDecisions
        from secondround.hiring.decision_facts import provide

        provide(RecordedDecisions())
