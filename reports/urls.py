from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("scan/<uuid:public_id>/report/", views.report, name="report"),
    path("scan/<uuid:public_id>/report/compare/", views.compare, name="compare"),
    path("scan/<uuid:public_id>/report/share/", views.share, name="share"),
    path("shared/", views.shared, name="shared"),
    path("sample-report/", views.sample_report, name="sample"),
]
