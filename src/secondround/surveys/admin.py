from django.contrib import admin

from secondround.surveys import models

admin.site.register(models.SurveyResponse)
