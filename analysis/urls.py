from django.urls import path, re_path

from . import coordinator_views, views

app_name = "analysis"

urlpatterns = [
    path("analysis/", views.national, name="national"),
    path("analysis/export.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("analysis/export.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("open-data/", views.open_data, name="open_data"),
    path("coordinator/<str:code>/open-data/", coordinator_views.open_data_consent, name="open_data_consent"),
    re_path(
        r"^open-data/(?P<version>[0-9A-Za-z._-]{1,20})/(?P<name>aggregates\.csv|aggregates\.json|datapackage\.json)$",
        views.open_data_file,
        name="open_data_file",
    ),
]
