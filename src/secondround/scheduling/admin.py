from django.contrib import admin

from secondround.scheduling import models


@admin.register(models.ScheduledSession)
class ScheduledSessionAdmin(admin.ModelAdmin[models.ScheduledSession]):
    list_display = ["session", "application", "starts_at", "status", "sequence"]
    list_filter = ["status"]
    raw_id_fields = ["application", "session", "booked_by", "interviews"]


@admin.register(models.CalendarConnection)
class CalendarConnectionAdmin(admin.ModelAdmin[models.CalendarConnection]):
    list_display = ["user", "kind", "last_ok_at", "last_error"]
    exclude = ["secret"]  # the app password is write-only, also here


admin.site.register(models.SchedulingPolicy)
admin.site.register(models.PersonAvailability)
admin.site.register(models.BusyBlock)
admin.site.register(models.Room)
admin.site.register(models.CandidateAvailability)
admin.site.register(models.CandidateTimeZone)
admin.site.register(models.SeatAssignment)
