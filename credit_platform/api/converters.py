"""Path converters: an id in a URL is validated before it reaches the ORM.

``<id:pk>`` matches only a positive integer that fits the database's signed 64-bit key (``DB_INT_MAX``); anything
else (``0``, ``-1``, ``1.5``, ``abc``, twenty digits) matches no URL at all, so the answer is the ordinary 404
instead of an ``OverflowError``/``DataError`` from the database driver. Importing this module registers the
converter; every URL conf with an id imports it (``from credit_platform.api import converters  # noqa: F401``).
The API schema documents the same bounds (``SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"]``).
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

from credit_platform.api.fields import DB_INT_MAX

NAME = "id"
# No leading zero (one spelling per object) and at most 19 digits; to_python rejects 19 digits above DB_INT_MAX.
REGEX = "[1-9][0-9]{0,18}"


class PositiveIdConverter:
    regex = REGEX

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > DB_INT_MAX:
            raise ValueError("id beyond the database's 64-bit range")  # Django: no match → 404
        return number

    def to_url(self, value) -> str:
        number = int(value)
        if not 1 <= number <= DB_INT_MAX:
            raise ValueError("not a positive 64-bit id")  # reverse(): NoReverseMatch
        return str(number)


# The schema for the converter's parameters (drf-spectacular's PATH_CONVERTER_OVERRIDES).
OPENAPI_SCHEMA = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}

if NAME not in get_converters():
    register_converter(PositiveIdConverter, NAME)
