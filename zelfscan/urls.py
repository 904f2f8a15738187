from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Zelfscan"
admin.site.site_title = "Zelfscan"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("contact.urls")),
    path("", include("coordinators.urls")),
    path("", include("rounds.urls")),
    path("", include("insights.urls")),
    path("", include("roadmaps.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
