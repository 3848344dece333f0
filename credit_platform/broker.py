"""The embedded filesystem broker (``make run`` without Redis): its folders must exist before a worker starts,
because Celery does not create them."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def ensure_filesystem_broker_dirs() -> None:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = settings.CELERY_RESULT_BACKEND or ""
    if backend.startswith("file://"):
        Path(backend[len("file://") :]).mkdir(parents=True, exist_ok=True)
