from django.contrib import admin

from secondround.questions.models import Question, Scenario


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ["text", "type", "kind", "builtin", "retired"]
    list_filter = ["type", "kind", "builtin", "retired"]
    search_fields = ["text"]


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin[Scenario]):
    list_display = ["title", "role_family", "timebox_minutes", "builtin", "retired"]
    list_filter = ["role_family", "retired"]
