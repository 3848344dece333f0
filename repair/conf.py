"""Platform settings of the repair app (not statutory numbers: those live in the policy profiles).

Each is declared in ``config/settings.py`` from the environment (README, configuration table):

* ``REPAIR_EVIDENCE_ROOT`` — where evidence files are kept; outside ``MEDIA_ROOT``, served only through
  ``repair.views.evidence_download`` which checks who is asking.
* ``REPAIR_EVIDENCE_MAX_BYTES`` — the largest evidence file accepted (default 10 MiB).
* ``REPAIR_EVIDENCE_MAX_FILES`` — files per application (default 10).
* ``REPAIR_REMIND_WORKING_DAYS`` — reviewers are reminded this many working days before a due date (default 1).
* ``REPAIR_OUTBOX_MAX_ATTEMPTS`` — webhook attempts before a delivery is dead-lettered (default 8).
* ``REPAIR_OUTBOX_BACKOFF_SECONDS`` — the first retry delay; each retry doubles it (default 60 s),
  capped at ``REPAIR_OUTBOX_BACKOFF_MAX_SECONDS`` (default 6 h).
* ``REPAIR_OUTBOX_TIMEOUT_SECONDS`` — HTTP timeout of one webhook call (default 10 s).
* ``REPAIR_OUTBOX_LEASE_SECONDS`` — how long a worker holds a delivery it is sending before a sweep may
  take it back (default 300 s).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage



def evidence_root() -> str:
    return str(settings.REPAIR_EVIDENCE_ROOT)


def evidence_max_bytes() -> int:
    return int(settings.REPAIR_EVIDENCE_MAX_BYTES)


def evidence_max_files() -> int:
    return int(settings.REPAIR_EVIDENCE_MAX_FILES)


def remind_working_days() -> int:
    return int(settings.REPAIR_REMIND_WORKING_DAYS)


def outbox_max_attempts() -> int:
    return int(settings.REPAIR_OUTBOX_MAX_ATTEMPTS)


def outbox_backoff_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_BACKOFF_SECONDS)


def outbox_backoff_max_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_BACKOFF_MAX_SECONDS)


def outbox_timeout_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_TIMEOUT_SECONDS)


def outbox_lease_seconds() -> int:
    return int(settings.REPAIR_OUTBOX_LEASE_SECONDS)


class EvidenceStorage(FileSystemStorage):
    """Private storage: no ``base_url``; the location is read from the settings on every use."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return evidence_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_storage = EvidenceStorage()


def evidence_storage():
    return _storage
