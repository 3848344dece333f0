"""Value types for policy profiles (skeleton; the full parameter set is defined with the profiles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Rule(Generic[T]):
    value: T
    article: str
    summary: str = ""


@dataclass(frozen=True)
class PolicyProfile:
    code: str
    name: str
