from django.contrib import admin

from secondround.feedback import models

admin.site.register(models.FeedbackLetter)
admin.site.register(models.LetterVersion)
