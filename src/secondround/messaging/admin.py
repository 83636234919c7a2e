from django.contrib import admin

from secondround.messaging import models


@admin.register(models.Message)
class MessageAdmin(admin.ModelAdmin[models.Message]):
    list_display = ["kind", "to_email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]


admin.site.register(models.MessageTemplate)
admin.site.register(models.MessageAttachment)
admin.site.register(models.DecisionReminder)
