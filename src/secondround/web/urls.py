from django.urls import path

from secondround.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("company/", views.company_profile, name="company"),
    path("positions/", views.position_list, name="positions"),
    path("positions/new/", views.position_create, name="position-create"),
    path("positions/<int:pk>/", views.position_detail, name="position"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position-edit"),
    path("positions/<int:pk>/competencies/new/", views.competency_edit, name="competency-new"),
    path(
        "positions/<int:pk>/competencies/<int:competency_pk>/",
        views.competency_edit,
        name="competency-edit",
    ),
    path(
        "positions/<int:pk>/competencies/<int:competency_pk>/delete/",
        views.competency_delete,
        name="competency-delete",
    ),
    path("positions/<int:pk>/candidates/new/", views.candidate_add, name="candidate-add"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
