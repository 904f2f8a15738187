from django.contrib import admin

from .models import Municipality, Region


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "common_name",
        "cbs_code",
        "province",
        "population",
        "size_class",
        "urbanisation_class",
        "g4",
        "g40",
        "active",
    ]
    list_filter = ["province", "size_class", "urbanisation_class", "g4", "g40", "active"]
    search_fields = ["name", "common_name", "cbs_code"]
    readonly_fields = ["cbs_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    search_fields = ["name"]
