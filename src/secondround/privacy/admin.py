from django.contrib import admin

from secondround.privacy import models

admin.site.register(models.RetentionPolicy)


@admin.register(models.Erasure)
class ErasureAdmin(admin.ModelAdmin[models.Erasure]):
    list_display = ["candidate", "reason", "erased_at", "erased_by"]
