from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("coordinator/<str:code>/roadmap/", views.roadmap, name="roadmap"),
    path("coordinator/<str:code>/roadmap/items/new/", views.add_item, name="add_item"),
    path("coordinator/<str:code>/roadmap/items/<int:item_id>/", views.item, name="item"),
    path("coordinator/<str:code>/roadmap/items/<int:item_id>/remove/", views.remove_item, name="remove_item"),
    path("coordinator/<str:code>/roadmap/csv/", views.roadmap_csv, name="csv"),
    path("coordinator/<str:code>/roadmap/pdf/", views.roadmap_pdf, name="pdf"),
]
