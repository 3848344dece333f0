"""The registry of statutory deadline fields (DESIGN.md principles 2 and 3).

Every stored due date that can be *provisional* (computed Monday–Friday less the statutory holidays by rule,
because its year's working-day schedule had not been entered yet) is registered here with:

* ``model`` — ``"app_label.ModelName"``;
* ``due_field`` — the stored due date;
* ``provisional_field`` — the flag set while the due date is provisional;
* ``recompute`` — ``recompute(year) -> int | dict``: recompute every open provisional due date of this kind once
  ``year``'s schedule has been entered (idempotent: a row no longer provisional is left alone);
* ``article`` / ``label`` — what the deadline is and the article that sets it (for the admin).

When an admin enters (or changes) a year's calendar, :func:`credit_platform.workdays.notify_schedule_changed`
walks this registry after commit and calls each distinct ``recompute`` once. A model that carries a
provisional-flagged due field which is not registered here fails ``tests/credit_platform/test_deadline_registry.py``,
so a new deadline cannot be forgotten.

Apps register in their ``AppConfig.ready()`` (the registry lives in the lowest floor; it imports nothing above it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Deadline", "deadlines", "recompute_functions", "register_deadline", "registered_fields",
           "unregister_deadline"]

Recompute = Callable[[int], object]


@dataclass(frozen=True)
class Deadline:
    model: str
    due_field: str
    provisional_field: str
    recompute: Recompute
    label: str = ""
    article: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.model.lower(), self.due_field


_registry: dict[tuple[str, str], Deadline] = {}


def register_deadline(model: str, due_field: str, provisional_field: str, recompute: Recompute, *, label: str = "",
                      article: str = "") -> Deadline:
    """Register one deadline field (idempotent: registering the same field again replaces the entry)."""
    if model.count(".") != 1:
        raise ValueError(f"model must be 'app_label.ModelName', got {model!r}")
    entry = Deadline(model, due_field, provisional_field, recompute, label, article)
    _registry[entry.key] = entry
    return entry


def unregister_deadline(model: str, due_field: str) -> None:
    """Remove one entry (a test's temporary deadline); unknown entries are ignored."""
    _registry.pop((model.lower(), due_field), None)


def deadlines() -> list[Deadline]:
    return list(_registry.values())


def registered_fields() -> set[tuple[str, str]]:
    """``{("app_label.modelname", provisional_field)}`` for every registered deadline."""
    return {(d.model.lower(), d.provisional_field) for d in _registry.values()}


def recompute_functions() -> list[Recompute]:
    """Each distinct recompute function once, in registration order (one function may serve several fields)."""
    seen: list[Recompute] = []
    for entry in _registry.values():
        if entry.recompute not in seen:
            seen.append(entry.recompute)
    return seen
