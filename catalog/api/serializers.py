from __future__ import annotations

from rest_framework import serializers

from catalog.models import CatalogComment, CatalogItem, CatalogVersion
from catalog.services import comment_body_error


class CatalogItemSerializer(serializers.ModelSerializer):
    providers = serializers.SerializerMethodField(help_text="提供单位的部门代码")
    version = serializers.CharField(source="version.version_label", read_only=True)
    level = serializers.CharField(source="version.level", read_only=True)

    class Meta:
        model = CatalogItem
        fields = [
            "code", "name", "category", "providers", "openness", "repairable", "content_schema", "behaviour",
            "matter_type", "info_kind", "domain", "data_source", "channel", "sharing_scope", "publicity_months_min",
            "publicity_months_max", "update_cycle", "legal_basis", "version", "level",
        ]

    def get_providers(self, obj) -> list[str]:
        return sorted(d.code for d in obj.providers.all())


class CatalogVersionSerializer(serializers.ModelSerializer):
    items = CatalogItemSerializer(many=True, read_only=True)

    class Meta:
        model = CatalogVersion
        fields = [
            "id", "title", "level", "region", "version_label", "status", "comment_opens_on", "comment_closes_on",
            "effective_from", "published_at", "review_due", "items",
        ]


class CatalogCommentSerializer(serializers.ModelSerializer):
    item = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="条目编码（可选）")

    class Meta:
        model = CatalogComment
        fields = ["id", "item", "author_name", "author_kind", "contact", "body", "submitted_at", "status"]
        read_only_fields = ["id", "submitted_at", "status"]
        extra_kwargs = {"contact": {"write_only": True}}

    def validate_body(self, value):
        error = comment_body_error(value)
        if error:
            raise serializers.ValidationError(error)
        return value
