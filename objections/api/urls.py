from rest_framework.routers import SimpleRouter

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from objections.api.views import ComplaintViewSet, ObjectionViewSet

# Path-style routes so the viewsets' ``lookup_value_converter = "id"`` bounds every {id} before the ORM sees it.
router = SimpleRouter(use_regex_path=False)
router.register("objections", ObjectionViewSet, basename="objection")
router.register("credit-complaints", ComplaintViewSet, basename="credit-complaint")

urlpatterns = router.urls
