"""System check: the CJK font the credit reports embed (WenQuanYi Micro Hei, Debian ``fonts-wqy-microhei``)."""

from __future__ import annotations

from django.core import checks


@checks.register(checks.Tags.compatibility)
def cjk_font_installed(app_configs=None, **kwargs):
    from disclosure.fonts import cjk_font_path

    if cjk_font_path() is None:
        return [
            checks.Warning(
                "中文字体 WenQuanYi Micro Hei 未安装：信用报告仍可生成，但不会嵌入字体，在没有中文字体的设备上可能无法显示。"
                " / the CJK font is missing: reports will not embed it.",
                hint="apt-get install fonts-wqy-microhei",
                id="disclosure.W001",
            )
        ]
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
