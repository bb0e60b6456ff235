"""The REST API, /api/v1/: one include per app's api package (namespace ``api``)."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("tinhso.accounts.api.urls")),
    path("", include("tinhso.catalog.api.urls")),
    path("", include("tinhso.dossiers.api.urls")),
]
