from rest_framework.routers import SimpleRouter

from objections.api.views import ComplaintViewSet, ObjectionViewSet

router = SimpleRouter()
router.register("objections", ObjectionViewSet, basename="objection")
router.register("credit-complaints", ComplaintViewSet, basename="credit-complaint")

urlpatterns = router.urls
