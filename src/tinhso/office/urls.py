from django.urls import path

from tinhso.office import views

app_name = "office"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/act/<slug:action>/", views.dossier_action, name="dossier_action"),
    path("dossiers/<int:pk>/apology/", views.dossier_apology, name="dossier_apology"),
    path("desk/new/", views.desk_new, name="desk_new"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
]
