from django.urls import path

from secondround.hiring import views

urlpatterns = [
    path("company/", views.company_profile, name="company"),
    path("positions/", views.position_list, name="positions"),
    path("positions/new/", views.position_create, name="position-create"),
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
]
