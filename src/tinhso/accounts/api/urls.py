from django.urls import path
from rest_framework.routers import SimpleRouter

from tinhso.accounts.api.tokens import ApiTokenViewSet
from tinhso.accounts.api.views import TokenView

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="auth-tokens")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="auth-token"), *router.urls]
