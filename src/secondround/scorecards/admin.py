from django.contrib import admin

from secondround.scorecards.models import Rating, Scorecard


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["application", "interviewer", "round", "status", "submitted_at"]
    list_filter = ["round", "status"]
    inlines = [RatingInline]
