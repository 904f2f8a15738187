"""zelfscan.urls plus the bench-only bare view (bench.settings routes through this module)."""

from django.urls import path

from zelfscan.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

from . import views

urlpatterns = [path("bench/bare/", views.bare, name="bench-bare"), *urlpatterns]
