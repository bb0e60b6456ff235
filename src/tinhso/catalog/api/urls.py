from rest_framework.routers import SimpleRouter

from tinhso.catalog.api.views import AgencyViewSet, FieldViewSet, ProcedureViewSet

router = SimpleRouter()
router.register("fields", FieldViewSet, basename="field")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("procedures", ProcedureViewSet, basename="procedure")

urlpatterns = router.urls
