from django.contrib import admin

from secondround.scorecards.models import ItemResolution, Rating, Scorecard, ScorecardRevision


class RatingInline(admin.TabularInline[Rating, Scorecard]):
    model = Rating
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin[Scorecard]):
    list_display = ["application", "interviewer", "round", "status", "submitted_at"]
    list_filter = ["round", "status"]
    inlines = [RatingInline]


admin.site.register(ItemResolution)


@admin.register(ScorecardRevision)
class ScorecardRevisionAdmin(admin.ModelAdmin[ScorecardRevision]):
    list_display = ["scorecard", "changed_by", "changed_at", "reason"]
    readonly_fields = ["scorecard", "changed_by", "changed_at", "reason", "changes"]


admin.site.register(Rating)
