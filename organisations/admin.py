from django.contrib import admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["common_name", "cbs_code", "province", "population", "urbanisation_class", "g4", "g40", "active"]
    list_filter = ["province", "urbanisation_class", "g4", "g40", "active"]
    search_fields = ["name", "common_name", "cbs_code"]
    readonly_fields = ["cbs_code"]
