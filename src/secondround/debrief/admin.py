from django.contrib import admin

from secondround.debrief.models import CalibrationSnapshot, Decision, DecisionRevision


class DecisionRevisionInline(admin.TabularInline[DecisionRevision, Decision]):
    model = DecisionRevision
    extra = 0
    readonly_fields = ["changed_by", "changed_at", "reason", "before"]
    can_delete = False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin[Decision]):
    list_display = ["application", "decision", "decided_by", "decided_at", "next_step_date"]
    list_filter = ["decision"]
    inlines = [DecisionRevisionInline]


@admin.register(CalibrationSnapshot)
class CalibrationSnapshotAdmin(admin.ModelAdmin[CalibrationSnapshot]):
    list_display = ["created_at", "n_ratings"]
    exclude = ["result"]  # the stored fit: large, for the code only


admin.site.register(DecisionRevision)
