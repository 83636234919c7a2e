from django.urls import path

from secondround.prep import views

urlpatterns = [
    path("prep/", views.prep_home, name="prep-home"),
    path("prep/i/<str:token>/", views.invitation, name="prep-invitation"),
    path("prep/i/<str:token>/opened/", views.invitation_opened, name="prep-invitation-opened"),
    path("prep/kits/<uuid:public_id>/", views.kit_overview, name="prep-kit"),
    path("prep/kits/<uuid:public_id>/research/", views.research, name="prep-research"),
    path("prep/kits/<uuid:public_id>/stories/", views.stories, name="prep-stories"),
    path("prep/kits/<uuid:public_id>/stories/<int:pk>/", views.story_edit, name="prep-story"),
    path(
        "prep/kits/<uuid:public_id>/stories/<int:pk>/delete/",
        views.story_delete,
        name="prep-story-delete",
    ),
    path("prep/kits/<uuid:public_id>/ask/", views.ask, name="prep-ask"),
    path(
        "prep/kits/<uuid:public_id>/ask/<int:pk>/remove/", views.ask_remove, name="prep-ask-remove"
    ),
    path("prep/kits/<uuid:public_id>/practice/", views.practice, name="prep-practice"),
    path("prep/kits/<uuid:public_id>/summary.pdf", views.summary_pdf, name="prep-summary-pdf"),
    path("prep/kits/<uuid:public_id>/keep/", views.keep, name="prep-keep"),
    path("applications/<int:pk>/prep-links/", views.links, name="prep-links"),
    path(
        "applications/<int:pk>/prep-links/<int:link_pk>/revoke/",
        views.link_revoke,
        name="prep-link-revoke",
    ),
]
