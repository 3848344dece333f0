"""System check: a CJK font for the credit reports (``disclosure.fonts``; Debian ``fonts-wqy-microhei`` in CI and Docker)."""

from __future__ import annotations

from django.core import checks


@checks.register(checks.Tags.compatibility)
def cjk_font_installed(app_configs=None, **kwargs):
    from disclosure.fonts import INSTALL_HINT, font_missing_message

    message = font_missing_message()
    if message:
        return [checks.Warning(message + " / no CJK font found: reports cannot embed one.", hint=INSTALL_HINT,
                               id="disclosure.W001")]
    return []

