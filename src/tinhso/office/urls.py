from django.urls import path

from tinhso.office import views

app_name = "office"
urlpatterns = [
    path("", views.queue, name="queue"),
]
