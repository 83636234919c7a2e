from django.urls import path

from secondround.messaging import views

urlpatterns = [
    path("messages/", views.outbox, name="outbox"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/resend/", views.message_resend, name="message-resend"),
    path("messages/templates/", views.template_list, name="message-templates"),
    path(
        "messages/templates/<str:kind>/<str:language>/",
        views.template_edit,
        name="message-template",
    ),
    path(
        "messages/templates/<str:kind>/<str:language>/reset/",
        views.template_reset,
        name="message-template-reset",
    ),
    path("messages/applications/<int:pk>/outcome/", views.send_outcome, name="message-outcome"),
    path(
        "messages/applications/<int:pk>/invitation/",
        views.send_invitation,
        name="message-invitation",
    ),
    path(
        "messages/applications/<int:pk>/next-steps/",
        views.send_next_steps,
        name="message-next-steps",
    ),
    path(
        "messages/applications/<int:pk>/decision-date/",
        views.set_decision_date,
        name="message-decision-date",
    ),
    path("messages/applications/<int:pk>/language/", views.set_language, name="message-language"),
]
