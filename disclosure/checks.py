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
