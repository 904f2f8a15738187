from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("coordinator/rounds/<int:round_id>/report/", views.report, name="report"),
    path("coordinator/rounds/<int:round_id>/report/groups/", views.by_group, name="groups"),
    path("coordinator/rounds/<int:round_id>/report/trend/", views.progress, name="trend"),
    path("coordinator/rounds/<int:round_id>/report/present/", views.present, name="present"),
    path("coordinator/rounds/<int:round_id>/report/present/<int:screen>/", views.present, name="present_screen"),
    path("coordinator/rounds/<int:round_id>/report/pdf/", views.report_pdf, name="report_pdf"),
]
