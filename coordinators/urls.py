from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "coordinators"

urlpatterns = [
    path("coordinator/", views.home, name="home"),
    path("coordinator/login/", views.login_view, name="login"),
    path("coordinator/login/code/", views.login_code, name="login_code"),
    path("coordinator/login/setup/", views.setup, name="setup"),
    path("coordinator/logout/", views.logout_view, name="logout"),
    path("coordinator/password/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "coordinator/password/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="coordinators/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path("coordinator/password/link/", views.password_link, name="password_link"),
    path(
        "coordinator/password/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "coordinator/password/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="coordinators/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("coordinator/<str:code>/coordinators/", views.coordinators, name="coordinators"),
]
