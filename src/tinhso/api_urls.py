"""The REST API, /api/v1/: one include per app's api package."""

from django.urls import include, path

urlpatterns = [
    path("", include("tinhso.catalog.api.urls")),
    path("", include("tinhso.dossiers.api.urls")),
]
