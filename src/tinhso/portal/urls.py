from django.urls import path

from tinhso.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure"),
    path(
        "thu-tuc/<int:pk>/mau/<int:document_pk>/",
        views.document_template,
        name="document_template",
    ),
    path("thu-tuc/<int:pk>/nop-truc-tuyen/", views.submit, name="submit"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so-cua-toi/<int:pk>/bo-sung/", views.dossier_supplement, name="supplement"),
    path("ho-so-cua-toi/<int:pk>/rut-ho-so/", views.dossier_withdraw, name="withdraw"),
    path("ho-so-cua-toi/<int:pk>/danh-gia/", views.dossier_rate, name="rate"),
    path("tai-khoan/thong-bao/", views.notification_settings, name="notifications"),
    path("tai-khoan/ma-truy-cap/", views.api_tokens, name="api_tokens"),
    path(
        "tai-khoan/ma-truy-cap/<int:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"
    ),
    path("tra-cuu/", views.track, name="track"),
    path("sau-dang-nhap/", views.after_sign_in, name="after_sign_in"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
