"""Masking personal data on public surfaces (DESIGN.md principle 5) — pure functions.

Names keep the first character (张伟 → 张*), identity numbers the first and last four (6502**********123X),
phones the first three and last four. Birth date, address, phone, bank account and health are never shown
in public at all (Heilongjiang art. 24, Qufu art. 64, 行政处罚结果信息网上公示暂行办法 art. 7): ``public_content``
drops those keys and masks identifiers that appear inside free text (``credit_platform.privacy.mask_text``, the
platform's one free-text mask, with ``accounts=True``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from credit_platform.privacy import MASK, mask_identifier, mask_name, mask_text

# Content keys that never appear in public, whatever their value (matched case-insensitively, by substring).
DROPPED_KEY_PARTS = (
    "birth", "address", "addr", "phone", "mobile", "tel", "contact", "bank", "account_no", "health", "medical",
    "disease", "id_number", "idcard", "id_card", "email", "住址", "地址", "电话", "手机", "联系", "银行", "账号",
    "健康", "病", "出生", "身份证",
)
# Content keys whose value is a natural person's name.
NAME_KEY_PARTS = ("person_name", "legal_representative", "representative", "principal", "operator", "responsible",
                  "姓名", "法定代表人", "负责人", "经营者", "责任人")


def mask_id(code: str | None) -> str:
    """650203199001011234 → 6502**********1234 (first and last four kept): the one mask of the platform, shared
    with the stored masks of identifiers that are kept only as hashes (``credit_platform.privacy``)."""
    return mask_identifier(code)


def mask_phone(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) >= 7:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    return MASK * len(digits)


def _key_matches(key: str, parts: tuple[str, ...]) -> bool:
    lowered = key.lower()
    return any(p in lowered for p in parts)


def public_content(content: Any, names: Iterable[str] = ()) -> Any:
    """A record's ``content`` as it may appear in public: personal keys dropped, names and numbers masked."""
    names = tuple(names)
    if isinstance(content, Mapping):
        out = {}
        for key, value in content.items():
            key_s = str(key)
            if _key_matches(key_s, DROPPED_KEY_PARTS):
                continue
            if _key_matches(key_s, NAME_KEY_PARTS) and isinstance(value, str):
                out[key_s] = mask_name(value)
            else:
                out[key_s] = public_content(value, names)
        return out
    if isinstance(content, list | tuple):
        return [public_content(v, names) for v in content]
    if isinstance(content, str):
        return mask_text(content, names, accounts=True)
    return content


def public_subject_name(name: str, subject_type: str) -> str:
    """Organisations are named in full; a natural person's name is masked."""
    return mask_name(name) if subject_type == "natural_person" else name


def public_subject_code(code: str, subject_type: str) -> str:
    """A USCC is public; a personal identity number is masked."""
    return mask_id(code) if subject_type == "natural_person" else code
