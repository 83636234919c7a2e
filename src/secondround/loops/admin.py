from django.contrib import admin

from secondround.loops import models


class SessionInline(admin.TabularInline[models.LoopSession, models.LoopPlan]):
    model = models.LoopSession
    extra = 0


@admin.register(models.LoopPlan)
class LoopPlanAdmin(admin.ModelAdmin[models.LoopPlan]):
    list_display = ["position", "status", "time_budget_minutes"]
    inlines = [SessionInline]


admin.site.register(models.Seat)
admin.site.register(models.SessionQuestion)


@admin.register(models.ClarificationItem)
class ClarificationItemAdmin(admin.ModelAdmin[models.ClarificationItem]):
    list_display = ["application", "competency", "status", "priority", "session"]
    list_filter = ["status"]


admin.site.register(models.LoopSession)


@admin.register(models.SeatStandIn)
class SeatStandInAdmin(admin.ModelAdmin[models.SeatStandIn]):
    list_display = ["seat", "application", "interviewer", "created_at"]
    # Written by scheduling's replacement, with its audit event: not edited by hand here.
    readonly_fields = ["seat", "application", "interviewer", "created_at"]
