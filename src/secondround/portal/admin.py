from django.contrib import admin

from secondround.portal import models

admin.site.register(models.AdjustmentRequest)
