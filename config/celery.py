"""The Celery application. Imported by ``config/__init__.py`` so tasks find it."""

from __future__ import annotations

import os

from celery import Celery

from credit_platform.broker import ensure_filesystem_broker_dirs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("credit_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _prepare_broker(sender, **kwargs):
    """The filesystem broker's folders, created as soon as the worker or beat reads its configuration."""
    ensure_filesystem_broker_dirs()
