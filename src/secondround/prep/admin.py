from django.contrib import admin

from secondround.prep import models

admin.site.register(models.PrepKit)
admin.site.register(models.Story)
admin.site.register(models.CandidateQuestion)
admin.site.register(models.PracticeAttempt)


@admin.register(models.InviteLink)
class InviteLinkAdmin(admin.ModelAdmin[models.InviteLink]):
    list_display = ["application", "prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
