from django.contrib import admin
from django.urls import include, path

from analysis.admin_views import raw_export_view
from throttling.forms import ThrottledAdminAuthenticationForm
from throttling.views import admin_login

admin.site.site_header = "Zelfscan"
admin.site.site_title = "Zelfscan"
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("contact.urls")),
    path("", include("coordinators.urls")),
    path("", include("rounds.urls")),
    path("", include("analysis.urls")),
    path("", include("api.urls")),
    path("", include("dataprotection.urls")),
    path("", include("insights.urls")),
    path("", include("roadmaps.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before admin.site.urls: the admin's login page with rate limits (throttling app).
    path("admin/login/", admin_login),
    path("admin/raw-export/", raw_export_view, name="raw_export"),
    path("admin/", admin.site.urls),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
