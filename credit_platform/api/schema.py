"""OpenAPI description of the department token, so /api/schema/ documents how to authenticate."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class DepartmentTokenScheme(OpenApiAuthenticationExtension):
    target_class = "credit_platform.api.authentication.DepartmentTokenAuthentication"
    name = "departmentToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "部门系统令牌 / department system token: `Token <token>` (issued by `create_api_token`).",
        }
