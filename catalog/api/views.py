"""Catalog API: the items in force (for department systems) and public comment on draft versions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.serializers import CatalogCommentSerializer, CatalogItemSerializer, CatalogVersionSerializer
from catalog.filtersets import CatalogItemFilterSet
from catalog.models import CatalogItem, CatalogVersion
from catalog.services import add_comment, current_items
from credit_platform.exceptions import DomainError
from credit_platform.ratelimits import CommentThrottle


class CatalogItemListView(ListAPIView):
    """Items of the catalog in force today (national base + supplements). ``?provider=SCJG`` for one department."""

    serializer_class = CatalogItemSerializer
    filterset_class = CatalogItemFilterSet
    pagination_class = None
    queryset = CatalogItem.objects.none()  # the model, for the schema and the filterset; requests use get_queryset

    def get_queryset(self):
        return current_items().select_related("version").prefetch_related("providers").order_by("sort_order", "code").distinct()


class CatalogItemDetailView(RetrieveAPIView):
    serializer_class = CatalogItemSerializer
    lookup_field = "code"

    def get_queryset(self):
        return current_items().select_related("version").prefetch_related("providers")


class PublicCommentVersionsView(ListAPIView):
    """Draft catalogs open for public comment (Karamay art. 9 para. 4); open to everyone."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = CatalogVersionSerializer
    pagination_class = None

    def get_queryset(self):
        return CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLIC_COMMENT).prefetch_related(
            "items__providers", "items__version"
        )


class PublicCommentView(APIView):
    """Anyone may comment; limited per address (``RATELIMIT_COMMENT``) and in size (``CATALOG_COMMENT_MAX_CHARS``)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [CommentThrottle]

    @extend_schema(request=CatalogCommentSerializer, responses={201: CatalogCommentSerializer})
    def post(self, request, pk):
        version = get_object_or_404(CatalogVersion, pk=pk, status=CatalogVersion.Status.PUBLIC_COMMENT)
        serializer = CatalogCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item_code = data.pop("item", None)
        item = version.items.filter(code=item_code).first() if item_code else None
        if item_code and item is None:
            raise DomainError("unknown_item", "该版本中没有此条目 / no such item in this version", fields={"item": item_code})
        try:
            comment = add_comment(version, item=item, **data)
        except DomainError as exc:
            raise DomainError("comment_closed", exc.message) from None
        return Response(CatalogCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
