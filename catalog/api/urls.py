from django.urls import path

from catalog.api import views
from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter

urlpatterns = [
    path("catalog/items/", views.CatalogItemListView.as_view(), name="catalog-items"),
    path("catalog/items/<str:code>/", views.CatalogItemDetailView.as_view(), name="catalog-item"),
    path("catalog/drafts/", views.PublicCommentVersionsView.as_view(), name="catalog-drafts"),
    path("catalog/drafts/<id:pk>/comments/", views.PublicCommentView.as_view(), name="catalog-draft-comment"),
]
