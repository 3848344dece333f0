"""System check: without an OpenID Connect provider, citizens' sign-in is closed (``manage.py check --deploy``)."""

from __future__ import annotations

from django.core import checks

from accounts.identity import OIDC_REQUIRED_SETTINGS, oidc_configured


@checks.register(checks.Tags.security, deploy=True)
def identity_provider_configured(app_configs=None, **kwargs):
    """``manage.py check --deploy``: without an OpenID Connect provider, citizens' sign-in is closed.

    The id stays ``disclosure.W002`` although the check moved here with the identity code: operators
    silence or alert on it by that id, and the README documents it."""
    if oidc_configured():
        return []
    return [
        checks.Warning(
            "未配置政务服务统一身份认证（OpenID Connect）：DEBUG 关闭时，个人和企业的实名登录、注册及单位绑定将关闭。"
            " / no OpenID Connect identity provider is configured: citizens' sign-in, registration and enterprise "
            "binding are closed when DEBUG is off (the development identity check never stands in for it).",
            hint="设置 " + "、".join(OIDC_REQUIRED_SETTINGS) + " 以及 OIDC_OP_JWKS_ENDPOINT（或 OIDC_RP_IDP_SIGN_KEY），见 README。",
            id="disclosure.W002",
        )
    ]
