"""Platform settings of the objections app (not statutory numbers: those live in the policy profiles).

Each is declared in ``config/settings.py`` from the environment (README, configuration table):

* ``OBJECTION_EVIDENCE_ROOT`` — where evidence files are kept; outside ``MEDIA_ROOT`` and never served by
  the web server, only through ``objections.views.evidence_download`` which checks who is asking.
* ``OBJECTION_EVIDENCE_MAX_BYTES`` — the largest evidence file accepted (default 10 MiB).
* ``OBJECTION_EVIDENCE_MAX_FILES`` — files per objection (default 10).
* ``OBJECTION_REMIND_WORKING_DAYS`` — handlers are reminded this many working days before a due date (default 1).
* ``OBJECTION_RECEIVED_AT_SKEW_SECONDS`` — tolerance for a department system's clock when checking that
  a receipt time is not in the future (default 120 s).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage



def evidence_root() -> str:
    return str(settings.OBJECTION_EVIDENCE_ROOT)


def evidence_max_bytes() -> int:
    return int(settings.OBJECTION_EVIDENCE_MAX_BYTES)


def evidence_max_files() -> int:
    return int(settings.OBJECTION_EVIDENCE_MAX_FILES)


def remind_working_days() -> int:
    return int(settings.OBJECTION_REMIND_WORKING_DAYS)


def received_at_skew_seconds() -> int:
    return int(settings.OBJECTION_RECEIVED_AT_SKEW_SECONDS)


class EvidenceStorage(FileSystemStorage):
    """A private file storage: no ``base_url`` (nothing can build a public link to a file), and its location
    is read from the settings on every use, so tests and deployments can move it."""

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
    """Callable storage for ``Evidence.file`` (keeps the path out of migrations)."""
    return _storage
