from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tinhso.core.site_files import favicon, robots_txt
from tinhso.scheduler.views import healthz

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    path("accounts/", include("tinhso.accounts.urls")),
    path("office/", include("tinhso.office.urls")),
    path("ho-so/", include("tinhso.dossiers.urls")),
    path("notify/", include("tinhso.notify.urls")),
    path("api/v1/", include("tinhso.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("tinhso.portal.urls")),
]

# Under /api/ these answer in the API's JSON error envelope (tinhso.core.api).
handler400 = "tinhso.core.api.bad_request"
handler403 = "tinhso.core.api.permission_denied"
handler404 = "tinhso.core.api.not_found"
handler500 = "tinhso.core.api.server_error"

admin.site.site_header = f"Tỉnh Số · {settings.PROVINCE_NAME}"
