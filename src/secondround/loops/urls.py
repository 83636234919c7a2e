from django.urls import path

from secondround.loops import views

urlpatterns = [
    path("positions/<int:pk>/round-two/", views.round_two, name="round-two"),
    path("positions/<int:pk>/round-two/propose/", views.propose, name="round-two-propose"),
    path("positions/<int:pk>/round-two/accept/", views.accept, name="round-two-accept"),
    path("positions/<int:pk>/round-two/seats/<int:seat_pk>/swap/", views.swap, name="seat-swap"),
    path(
        "positions/<int:pk>/round-two/seats/<int:seat_pk>/competencies/",
        views.seat_competencies,
        name="seat-competencies",
    ),
    path(
        "positions/<int:pk>/round-two/sessions/<int:session_pk>/",
        views.session_edit,
        name="session-edit",
    ),
    path("positions/<int:pk>/round-two/items/<int:item_pk>/", views.item_edit, name="item-edit"),
    path(
        "positions/<int:pk>/round-two/applications/<int:application_pk>/items/new/",
        views.item_new,
        name="item-new",
    ),
    path("qualifications/", views.qualifications_list, name="qualifications"),
    path("qualifications/<int:user_pk>/", views.qualifications_edit, name="qualifications-edit"),
    path("kits/", views.my_kits, name="my-kits"),
    path("kits/<int:seat_pk>/<int:application_pk>/", views.kit, name="kit"),
    path("kits/<int:seat_pk>/<int:application_pk>/pdf/", views.kit_pdf, name="kit-pdf"),
]
