"""Platform settings of the repair app (not statutory numbers: those live in the policy profiles).

Each can be set in Django settings or, failing that, in the environment:

* ``REPAIR_EVIDENCE_ROOT`` — where evidence files are kept; outside ``MEDIA_ROOT``, served only through
  ``repair.views.evidence_download`` which checks who is asking.
* ``REPAIR_EVIDENCE_MAX_BYTES`` — the largest evidence file accepted (default 10 MiB).
* ``REPAIR_EVIDENCE_MAX_FILES`` — files per application (default 10).
* ``REPAIR_REMIND_WORKING_DAYS`` — reviewers are reminded this many working days before a due date (default 1).

The outbox's ``REPAIR_OUTBOX_*`` settings are read by ``records.outbox``, where the outbox now lives.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from credit_platform.env import env_int, env_str


def _setting(name: str, default):
    return getattr(settings, name, default)


def _int(name: str, default: int) -> int:
    return int(_setting(name, env_int(name, default)))


def evidence_root() -> str:
    return str(_setting("REPAIR_EVIDENCE_ROOT", env_str("REPAIR_EVIDENCE_ROOT", str(settings.VAR_DIR / "private" / "repair"))))


def evidence_max_bytes() -> int:
    return _int("REPAIR_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def evidence_max_files() -> int:
    return _int("REPAIR_EVIDENCE_MAX_FILES", 10)


def remind_working_days() -> int:
    return _int("REPAIR_REMIND_WORKING_DAYS", 1)


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
