"""Platform settings of the sanctions app (not statutory numbers: those live in the policy profiles).

Each is declared in ``config/settings.py`` from the environment (README, configuration table):

* ``SANCTIONS_COMMITMENT_REMIND_DAYS`` — departments are reminded this many days before a commitment's
  verification is due (default 10).
* ``SANCTIONS_COURT_DEPARTMENTS`` — codes of the departments (courts) whose systems may push dishonest judgment
  debtors, who are listed on receipt (Heilongjiang art. 38 para. 2); default ``FY``.
* ``SANCTIONS_RECORD_SYNC_BATCH`` — history rows read per batch by the record-change sweep (default 5000).
* ``SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS`` — pushes within this many seconds share one catch-up task, which
  runs this long after the first of them (default 5).
"""

from __future__ import annotations

from django.conf import settings


def commitment_remind_days() -> int:
    return int(settings.SANCTIONS_COMMITMENT_REMIND_DAYS)


def record_sync_batch() -> int:
    return int(settings.SANCTIONS_RECORD_SYNC_BATCH)


def court_departments() -> list[str]:
    return list(settings.SANCTIONS_COURT_DEPARTMENTS)


def record_changes_coalesce_seconds() -> int:
    return max(0, int(settings.SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS))
