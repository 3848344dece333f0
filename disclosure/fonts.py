"""Where the report font is (WenQuanYi Micro Hei from Debian's fonts-wqy-microhei; README names it for production)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

FONT_FAMILY = "WenQuanYi Micro Hei"
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/local/share/fonts/wqy-microhei.ttc",
)


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    for path in KNOWN_PATHS:
        if Path(path).exists():
            return path
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{family}|%{file}", FONT_FAMILY], capture_output=True, text=True, timeout=5, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        family, _, file = out.partition("|")
        if FONT_FAMILY.lower() in family.lower() and Path(file).exists():
            return file
    return None


def font_missing_message() -> str | None:
    if cjk_font_path() is None:
        return "中文字体 WenQuanYi Micro Hei（fonts-wqy-microhei）未安装：信用报告不会嵌入中文字体。"
    return None
