"""Integers that reach the database: bounded at the edge so an over-long number is a field error, not an
``OverflowError`` from the database driver (SQLite and PostgreSQL keys are signed 64-bit)."""

from __future__ import annotations

from rest_framework import serializers

from credit_platform.exceptions import DomainError

DB_INT_MAX = 2**63 - 1


def object_id(**kwargs) -> serializers.IntegerField:
    """A primary key in a request body."""
    return serializers.IntegerField(min_value=1, max_value=DB_INT_MAX, **kwargs)


def id_param(value, name: str) -> int:
    """A primary key from a query parameter or a JSON document; ``DomainError`` (400) unless it is one."""
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        number = 0
    if not 1 <= number <= DB_INT_MAX or (isinstance(value, float) and not value.is_integer()):
        raise DomainError("invalid", f"{name} 须为正整数 / {name} must be a positive integer",
                          fields={name: ["须为正整数 / must be a positive integer"]})
    return number
