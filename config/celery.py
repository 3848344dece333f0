"""The Celery application. Imported by ``credit_platform/__init__.py`` so tasks find it.

The filesystem broker's folders must exist before a worker starts (Celery does not create them).
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("credit_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_dirs() -> None:
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = getattr(settings, "CELERY_RESULT_BACKEND", "") or ""
    if backend.startswith("file://"):
        Path(backend[len("file://") :]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender, **kwargs):
    try:
        ensure_filesystem_broker_dirs()
    except Exception:  # settings not configured (e.g. `celery --help`): nothing to prepare
        pass
