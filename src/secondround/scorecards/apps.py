from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "secondround.scorecards"
    label = "scorecards"

    def ready(self) -> None:
        # Loops reads scorecard facts through the seam it declares (it sits below us).
        from secondround.loops.scorecard_facts import provide
        from secondround.scorecards.facts import ScorecardFactsFromDatabase

        provide(ScorecardFactsFromDatabase())
