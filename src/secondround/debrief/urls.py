from django.urls import path

from secondround.debrief import views

urlpatterns = [
    path("positions/<int:pk>/debrief/", views.debrief, name="debrief"),
    path("positions/<int:pk>/debrief/weights/", views.save_weights, name="debrief-weights"),
    path("positions/<int:pk>/debrief/refresh/", views.refresh, name="debrief-refresh"),
    path("positions/<int:pk>/debrief/pack/", views.pack, name="debrief-pack"),
    path(
        "positions/<int:pk>/debrief/cells/<int:application_pk>/<int:competency_pk>/",
        views.cell,
        name="debrief-cell",
    ),
    path(
        "positions/<int:pk>/debrief/decisions/<int:application_pk>/",
        views.decide,
        name="decision",
    ),
]
