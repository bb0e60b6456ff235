from django.urls import path

from tinhso.accounts import otp_views, views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login, name="login"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/xac-nhan/", views.register_confirm, name="register_confirm"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/dat-lai/", views.password_reset_confirm, name="password_reset_confirm"),
    path("dang-xuat/", views.logout, name="logout"),
    path("tai-khoan/", views.account, name="account"),
    path("xac-thuc/", otp_views.verify, name="otp_verify"),
    path("xac-thuc/thiet-lap/", otp_views.enrol, name="otp_enrol"),
]
