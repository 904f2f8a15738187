from django.urls import path

from . import views
from .pdf_views import report_pdf, sample_pdf, shared_pdf

app_name = "reports"

urlpatterns = [
    path("scan/<uuid:public_id>/report/", views.report, name="report"),
    path("scan/<uuid:public_id>/report/compare/", views.compare, name="compare"),
    path("scan/<uuid:public_id>/report/share/", views.share, name="share"),
    path("shared/", views.shared, name="shared"),
    path("sample-report/", views.sample_report, name="sample"),
    path("scan/<uuid:public_id>/report/pdf/", report_pdf, name="report_pdf"),
    path("shared/pdf/", shared_pdf, name="shared_pdf"),
    path("sample-report/pdf/", sample_pdf, name="sample_pdf"),
]
