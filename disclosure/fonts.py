"""The CJK font the credit reports embed, wherever one is installed.

Lookup, first hit wins:

1. ``settings.REPORT_FONT_PATH`` when set: that file (``none`` means: act as if no CJK font were installed — how the
   test suite checks the platform on a host without one);
2. WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei`` (what CI and the Docker image install);
3. any installed font that covers Chinese, as fontconfig lists it (``fc-list :lang=zh``; ``fc-match :lang=zh`` alone
   is not enough: it answers its best match, e.g. DejaVu Sans, even when nothing covers Chinese).

Without one the report is still rendered, by the same renderer and layout (QR code included), but its Chinese text
has no glyphs to embed; ``font_missing_message`` says how to install one (the admin, ``manage.py check`` and
``make run`` show it).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FONT_FAMILY = "WenQuanYi Micro Hei"
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/local/share/fonts/wqy-microhei.ttc",
)
INSTALL_HINT = "Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei；其他系统请安装任一中文字体（如 Noto Sans CJK SC）"


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: str


def _fc_list_cjk() -> CjkFont | None:
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "-f", "%{family}|%{file}\n"], capture_output=True, text=True,
                             timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in out.splitlines():
        family, _, file = line.partition("|")
        family = family.split(",")[0].strip()
        if family and file and Path(file).is_file() and Path(file).suffix.lower() in (".ttf", ".ttc", ".otf", ".otc"):
            found.append(CjkFont(family, file))
    # Prefer a proportional face over a monospaced one; otherwise fontconfig's order, made stable by sorting.
    found.sort(key=lambda f: ("mono" in f.family.lower(), f.family, f.path))
    return found[0] if found else None


@functools.lru_cache(maxsize=8)
def _lookup(configured: str) -> CjkFont | None:
    if configured:
        if configured.lower() == "none":
            return None
        path = Path(configured)
        return CjkFont(path.stem, str(path)) if path.is_file() else None
    for path in KNOWN_PATHS:
        if Path(path).is_file():
            return CjkFont(FONT_FAMILY, path)
    return _fc_list_cjk()


def cjk_font() -> CjkFont | None:
    """The CJK font to embed in reports, or None when none is installed (see the module doc)."""
    return _lookup(str(settings.REPORT_FONT_PATH or "").strip())


def cjk_font_path() -> str | None:
    font = cjk_font()
    return font.path if font else None


def font_missing_message() -> str | None:
    if cjk_font() is None:
        configured = str(settings.REPORT_FONT_PATH or "").strip()
        where = f"（REPORT_FONT_PATH={configured} 不可用）" if configured and configured.lower() != "none" else ""
        return (f"未找到中文字体{where}：信用报告仍可生成，但其中的中文无法嵌入字体、显示为方框。"
                f"请安装中文字体：{INSTALL_HINT}。")
    return None
