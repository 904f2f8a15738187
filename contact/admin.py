from django.contrib import admin

from .models import ContactRequest


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "topic", "status", "created_at"]
    list_filter = ["status", "topic"]
    list_editable = ["status"]
    search_fields = ["organisation", "name", "email"]
    readonly_fields = ["name", "email", "organisation", "topic", "message", "language", "created_at"]

    def has_add_permission(self, request):
        return False
