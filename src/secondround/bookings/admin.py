from django.contrib import admin

from secondround.bookings import models

admin.site.register(models.LoopOffer)
admin.site.register(models.Decline)


@admin.register(models.CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[models.CalendarFeed]):
    # With the site's key, the nonce gives the owner's private address: admins see that a
    # feed exists and when it was revoked, not what opens it.
    list_display = ["user", "created_at", "revoked_at"]
    exclude = ["nonce", "token_hash"]
