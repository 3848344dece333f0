"""System check: a CJK font for the credit reports (``disclosure.fonts``; Debian ``fonts-wqy-microhei`` in CI and Docker)."""

from __future__ import annotations

from django.core import checks

from disclosure.fonts import INSTALL_HINT, font_missing_message


@checks.register(checks.Tags.compatibility)
def cjk_font_installed(app_configs=None, **kwargs):
    message = font_missing_message()
    if message:
        return [checks.Warning(message + " / no CJK font found: reports cannot embed one.", hint=INSTALL_HINT,
                               id="disclosure.W001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def identity_provider_configured(app_configs=None, **kwargs):
    """``manage.py check --deploy``: without an OpenID Connect provider, citizens' sign-in is closed (issue 13)."""
    from disclosure.identity import OIDC_REQUIRED_SETTINGS, oidc_configured

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
