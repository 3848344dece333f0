"""Platform settings of the sanctions app (not statutory numbers: those live in the policy profiles).

Each can be set in Django settings or, failing that, in the environment:

* ``SANCTIONS_COMMITMENT_REMIND_DAYS`` — departments are reminded this many days before a commitment's
  verification is due (default 10).
* ``SANCTIONS_COURT_DEPARTMENTS`` — codes of the departments (courts) whose systems may push dishonest judgment
  debtors, who are listed on receipt (Heilongjiang art. 38 para. 2); default ``FY``.
* ``SANCTIONS_RECORD_SYNC_BATCH`` — history rows read per batch by the record-change sweep (default 5000).
"""

from __future__ import annotations

from django.conf import settings

from credit_platform.env import env_int, env_list


def commitment_remind_days() -> int:
    return int(getattr(settings, "SANCTIONS_COMMITMENT_REMIND_DAYS", env_int("SANCTIONS_COMMITMENT_REMIND_DAYS", 10)))


def record_sync_batch() -> int:
    return int(getattr(settings, "SANCTIONS_RECORD_SYNC_BATCH", env_int("SANCTIONS_RECORD_SYNC_BATCH", 5000)))


def court_departments() -> list[str]:
    return list(getattr(settings, "SANCTIONS_COURT_DEPARTMENTS", env_list("SANCTIONS_COURT_DEPARTMENTS", ["FY"])))
