"""History rows for set-based changes of records (DESIGN.md principle 4): a bulk ``update()`` writes none itself."""

from __future__ import annotations

from records.models import Record


def record_history(record_ids: list[int], reason: str) -> None:
    """One history row per changed record, with ``reason`` — in bulk."""
    if not record_ids:
        return
    objs = list(Record.objects.filter(pk__in=record_ids))
    Record.history.bulk_history_create(objs, batch_size=1000, default_change_reason=reason)
