from rest_framework.routers import SimpleRouter

from tinhso.dossiers.api.views import DossierViewSet, TrackingViewSet

router = SimpleRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("tracking", TrackingViewSet, basename="tracking")

urlpatterns = router.urls
