"""Subject identifiers: 公民身份号码 (GB 11643, python-stdnum ``cn.ric``) and 统一社会信用代码 (GB 32100,
``cn.uscc``), with the two checks python-stdnum leaves out: a birth date in the future, and the GB 11714
check digit of the organisation code embedded in a USCC (characters 9–17).

Results are cached per process: a batch names the same subjects many times. The caches hold plain tuples of
strings and dates, which Python's cyclic collector stops tracking: 65,536 cached objects of a class would be
walked by every full collection (see ``credit_platform.gcpause``).
Personal identifiers are never logged (DESIGN.md principle 5).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from stdnum import exceptions as stdnum_errors, numdb
from stdnum.cn import ric, uscc


class IdCheck(NamedTuple):
    code: str  # normalised
    error: str | None  # error code, None when valid
    birth_date: date | None = None


_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_GB11714_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def gb11714_check_digit(body: str) -> str:
    """Check digit of an 8-character organisation code (GB 11714-1997): digits 0–9, letters A–Z = 10–35."""
    total = sum(_GB11714_VALUE[c] * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def gb11714_valid(code: str) -> bool:
    if len(code) != 9 or any(c not in _GB11714_VALUE for c in code[:8]):
        return False
    return code[8] == gb11714_check_digit(code[:8])


# python-stdnum's cn.uscc algorithm (alphabet and weights from the module), without its per-call clean-up:
# the hot path runs it on an already compacted code. tests/records/test_identifiers_and_scan.py checks that
# it agrees with ``stdnum.cn.uscc.is_valid`` on random codes; errors are classified by stdnum itself.
_USCC_ALPHABET = uscc._alphabet
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_valid(code: str) -> bool:
    if len(code) != 18 or not code[:8].isdigit():
        return False
    values = _USCC_VALUE
    try:
        total = sum(values[c] * w for c, w in zip(code, _USCC_WEIGHTS, strict=False))  # 17 weights: the 18th character is the check
        values[code[17]]
    except KeyError:
        return False
    return _USCC_ALPHABET[(31 - total) % 31] == code[17]


def check_uscc(raw: str) -> IdCheck:
    return IdCheck(*_uscc_result(raw))


@lru_cache(maxsize=65536)
def _uscc_result(raw: str) -> tuple[str, str | None, None]:
    code = raw.replace(" ", "").replace("-", "").upper().strip()
    if not _uscc_valid(code):
        try:
            code = uscc.validate(raw)  # the library has the last word (and says why)
        except stdnum_errors.ValidationError:
            return raw, "invalid_uscc", None
    if not gb11714_valid(code[8:17]):
        return code, "invalid_uscc_org_code", None
    return code, None, None


@lru_cache(maxsize=65536)
def _ric_result(raw: str) -> tuple[str, str | None, date | None]:
    code = ric.compact(raw)
    if len(code) != 18 or not code[:17].isdigit():
        return code, "invalid_id_number", None
    if code[-1] != ric.calc_check_digit(code):
        return code, "invalid_id_checksum", None
    try:
        born = ric.get_birth_date(code)
    except stdnum_errors.ValidationError:
        return code, "invalid_id_birth_date", None
    if not _known_region(code[:6]):
        return code, "invalid_id_region", None
    return code, None, born


@lru_cache(maxsize=8192)
def _known_region(prefix: str) -> bool:
    """The 6-digit region code was ever assigned. Unlike ``ric.get_birth_place`` this does not tie the code to
    the birth year: a person born before a district was created keeps that district's code when registered."""

    info = {k: v for _, props in numdb.get("cn/loc").info(prefix) for k, v in props.items()}
    return "county" in info


def check_ric(raw: str, today: date) -> IdCheck:
    code, error, born = _ric_result(raw)
    if error is None and born > today:
        return IdCheck(code, "invalid_id_birth_date")
    return IdCheck(code, error, born)


_DOCUMENT_PATTERNS = {
    "passport": re.compile(r"^[A-Z0-9]{5,20}$"),
    "hk_macao_permit": re.compile(r"^[A-Z0-9]{8,20}$"),
    "taiwan_permit": re.compile(r"^[A-Z0-9]{8,20}$"),
    "foreign_permanent_id": re.compile(r"^[A-Z0-9]{15,18}$"),
    "other": re.compile(r"^[A-Z0-9\-]{4,40}$"),
}


def check_document(code_type: str, raw: str) -> IdCheck:
    code = re.sub(r"\s+", "", raw).upper()
    pattern = _DOCUMENT_PATTERNS.get(code_type)
    if pattern is None or not pattern.match(code):
        return IdCheck(code, "invalid_document_number")
    return IdCheck(code, None)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def make_ric(region: str, born: date, sequence: int) -> str:
    """A checksum-valid 公民身份号码 (demo data and tests): 6-digit region, birth date, 3-digit sequence."""
    body = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(region: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A fully valid USCC (demo data and tests): the organisation code carries its GB 11714 check digit."""
    body = f"{serial % 10**8:08d}"
    org = body + gb11714_check_digit(body)
    code17 = f"{authority}{kind}{region}{org}"
    return code17 + uscc.calc_check_digit(code17)
