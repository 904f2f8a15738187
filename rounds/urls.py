from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("coordinator/<str:code>/rounds/new/", views.new_round, name="new"),
    path("coordinator/<str:code>/departments/", views.departments, name="departments"),
    path("coordinator/rounds/<int:round_id>/", views.detail, name="detail"),
    path("coordinator/rounds/<int:round_id>/invite/", views.invite_pasted, name="invite_pasted"),
    path("coordinator/rounds/<int:round_id>/invite/csv/", views.invite_csv, name="invite_csv"),
    path("coordinator/rounds/<int:round_id>/remind/", views.remind, name="remind"),
    path("invitation/", views.accept, name="accept"),
    path("invitation/no-reminders/", views.opt_out, name="opt_out"),
]
