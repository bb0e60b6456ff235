from django.urls import path

from tinhso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-ky/", views.register, name="register"),
    path("dang-xuat/", views.logout, name="logout"),
]
