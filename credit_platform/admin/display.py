"""How the back office prints a value in messages and columns."""

from __future__ import annotations


def day(value) -> str:
    """A date as ``2026-10-09``, or ``—`` when there is none (a deadline not set yet, a case never paused)."""
    return f"{value:%Y-%m-%d}" if value else "—"
