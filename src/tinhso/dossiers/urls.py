from django.urls import path

from tinhso.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("<int:pk>/tep/<int:file_pk>/", views.file_download, name="file"),
    path("<int:pk>/phieu/<str:form>/", views.slip, name="slip"),
]
