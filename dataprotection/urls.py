from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("scan/<uuid:public_id>/your-data/", views.your_data, name="your_data"),
    path("scan/<uuid:public_id>/your-data/sent/", views.requested, name="requested"),
    path("your-data/confirm/", views.confirm, name="confirm"),
]
