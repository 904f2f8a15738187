from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("start/sent/", views.registered, name="registered"),
    path("start/correct-address/", views.correct_email, name="correct_email"),
    path("link/", views.link, name="link"),
    path("new-link/", views.new_link, name="new_link"),
    path("new-link/sent/", views.new_link_sent, name="new_link_sent"),
    path("scan/<uuid:public_id>/", views.resume, name="resume"),
    path("scan/<uuid:public_id>/start-from-previous/", views.start_from_previous, name="start_from_previous"),
    path("scan/<uuid:public_id>/theme/<int:number>/", views.theme, name="theme"),
    path("scan/<uuid:public_id>/saved/", views.stopped, name="stopped"),
    path("scan/<uuid:public_id>/review/", views.review, name="review"),
]
