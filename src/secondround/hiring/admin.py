from django.contrib import admin

from secondround.hiring import models


class CompanyValueInline(admin.StackedInline[models.CompanyValue, models.CompanyProfile]):
    model = models.CompanyValue
    extra = 0


@admin.register(models.CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin[models.CompanyProfile]):
    inlines = [CompanyValueInline]


class CompetencyInline(admin.StackedInline[models.Competency, models.Position]):
    model = models.Competency
    extra = 0


@admin.register(models.Position)
class PositionAdmin(admin.ModelAdmin[models.Position]):
    list_display = ["title", "department", "hiring_manager", "status"]
    list_filter = ["status", "department"]
    filter_horizontal = ["recruiters", "interviewers"]
    inlines = [CompetencyInline]


@admin.register(models.Candidate)
class CandidateAdmin(admin.ModelAdmin[models.Candidate]):
    list_display = ["full_name", "email", "created_at"]
    search_fields = ["full_name", "email"]


class StageMoveInline(admin.TabularInline[models.StageMove, models.Application]):
    model = models.StageMove
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "moved_by", "moved_at", "reason"]


@admin.register(models.Application)
class ApplicationAdmin(admin.ModelAdmin[models.Application]):
    list_display = ["candidate", "position", "stage", "stage_changed_at"]
    list_filter = ["stage", "position"]
    inlines = [StageMoveInline]


admin.site.register(models.Competency)
admin.site.register(models.CompanyValue)
admin.site.register(models.StageMove)
admin.site.register(models.Interview)
admin.site.register(models.RaterQualification)
