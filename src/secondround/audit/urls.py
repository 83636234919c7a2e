from django.urls import path

from secondround.audit import views

urlpatterns = [path("audit/", views.audit_log, name="audit-log")]
