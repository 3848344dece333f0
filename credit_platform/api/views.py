from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class WhoAmIView(APIView):
    """Which department a token belongs to — lets a department system check its credential."""

    @extend_schema(
        responses=inline_serializer(
            "WhoAmI",
            {"kind": serializers.CharField(), "department": serializers.CharField(allow_null=True), "username": serializers.CharField()},
        )
    )
    def get(self, request):
        department = getattr(request.user, "department", None)
        kind = "department_system" if getattr(request.user, "is_department_client", False) else "user"
        return Response({"kind": kind, "department": department.code if department else None, "username": str(request.user)})
