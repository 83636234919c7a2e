from django.contrib import admin

from secondround.security import models

admin.site.register(models.SecurityPolicy)
