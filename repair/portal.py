"""Who a portal user may act for — one function, so the repair app asks the disclosure app's answer.

``disclosure.accounts.subjects_for_user(user)`` is the platform's single source (real-name verified
identities and enterprise agents). It is imported lazily so the repair app loads without it; when it is
absent the user acts for nobody (closed by default), and a warning says why.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def subjects_for_user(user):
    from records.models import Subject

    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return Subject.objects.none()
    from django.apps import apps

    try:
        if not apps.is_installed("disclosure"):
            raise ImportError("disclosure is not installed")
        from accounts.links import subjects_for_user as lookup
    except ImportError:
        logger.warning("repair: disclosure.accounts.subjects_for_user is not available; portal users act for no subject")
        return Subject.objects.none()
    return lookup(user)


def can_act_for(user, subject_id) -> bool:
    return bool(subject_id) and subjects_for_user(user).filter(pk=subject_id).exists()
