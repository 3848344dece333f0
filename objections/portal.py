"""Which subjects (and so which records) belong to a logged-in portal user.

The disclosure app owns the portal's subject accounts (``disclosure.accounts.subjects_for_user``). This
module is the one place the objections app asks; until that function exists it falls back to a minimal
lookup so filing works, and swapping is automatic once it is there.
"""

from __future__ import annotations


def subjects_for_user(user):
    """A ``records.Subject`` queryset of the subjects ``user`` may act for on the portal."""
    from records.models import Subject

    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return Subject.objects.none()
    from django.apps import apps

    if not apps.is_installed("disclosure"):
        return _fallback_subjects(user)
    try:
        from accounts.links import subjects_for_user as disclosure_subjects
    except ImportError:
        return _fallback_subjects(user)
    return disclosure_subjects(user)


def _fallback_subjects(user):
    """Minimal lookup until the disclosure app's accounts land: none.

    No real-name link exists yet, and guessing one (by name) would let anybody object to a namesake's
    records; an official registers such objections at the counter meanwhile.
    """
    from records.models import Subject

    return Subject.objects.none()
