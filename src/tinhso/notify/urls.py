from django.urls import path

from tinhso.notify import views

app_name = "notify"

urlpatterns = [
    path("reports/esms/<str:token>/", views.esms_report, name="esms_report"),
    path("reports/speedsms/<str:token>/", views.speedsms_report, name="speedsms_report"),
]
