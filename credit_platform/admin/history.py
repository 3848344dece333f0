"""History pages that keep the separation of duties (MLPS 2.0 level 3, 三员分立; DESIGN principle 4).

django-simple-history's admin looks objects up itself and saves a "revert" form on POST without asking whether
the user may change the object: a read-only role (the auditor) could revert an objection from marked to received,
and another department's history was readable by id. ``GuardedHistoryAdmin`` is the base of every history admin
of the platform:

* the history list and each historical version are shown only for an object in the admin's own queryset
  (department scope, assigned handler — whatever ``get_queryset`` applies) and only to whom may view it — asked
  as ``user.has_perm(perm, obj)`` for department-owned models (``credit_platform.admin.scope``: the
  department-scope rule backend answers);
* a revert needs the change permission on that very object, and admins whose changes go only through a statutory
  workflow (``history_revert = False``: records, objections, complaints, repair cases, lists) never revert;
* saving a change form that changes nothing writes no history row; a revert is compared with the live row, not with
  the historical version its form is pre-filled from, so an unedited revert restores that version — the fields its
  form edits only: read-only workflow fields keep their live values;
* a model that refuses the revert (``DomainError``, e.g. a published catalog version) is shown as an error message on
  the revert page, as ``RefusalAdminMixin`` does for the sanctions admins — not a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from credit_platform.admin.scope import DepartmentScopePermissionsMixin
from credit_platform.exceptions import DomainError


class GuardedHistoryAdmin(DepartmentScopePermissionsMixin, SimpleHistoryAdmin):
    #: False where every change is a step of a workflow with its own record and clock: reverting would skip it.
    history_revert = True

    def _scoped_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._scoped_object(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._scoped_object(request, object_id)
        if request.method == "POST" and self.revert_disabled(request, obj):
            raise PermissionDenied
        try:
            # simple_history saves the revert outside a transaction: a refusal must leave nothing of it behind.
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def revert_disabled(self, request, obj=None):
        if not self.history_revert or super().revert_disabled(request, obj):
            return True
        # ``obj`` may be the historical instance: ask about the live object, as the change form would.
        live = self.get_object(request, str(obj.pk)) if obj is not None else None
        return not self.has_change_permission(request, live)

    def save_model(self, request, obj, form, change):
        if change and getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            self._keep_live_values_outside_the_form(obj, form)
        if change and not self._changes_live_row(obj, form):
            return  # nothing changed: no save, so no history row
        super().save_model(request, obj, form, change)

    @staticmethod
    def _keep_live_values_outside_the_form(obj, form) -> None:
        """A revert restores what its form edits; the fields outside the form — read-only workflow state (a catalog
        version's status, its approval and publication) — keep their live values: they change only through their
        workflow, never back to what an old version held."""
        others = [f.attname for f in obj._meta.concrete_fields if f.name not in form.fields and not f.primary_key]
        live = type(obj)._default_manager.filter(pk=obj.pk).values(*others).first() if others else None
        for name, value in (live or {}).items():
            setattr(obj, name, value)

    @staticmethod
    def _changes_live_row(obj, form) -> bool:
        if getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is None:
            return form.has_changed()  # the change form: its initial values are the live row's
        # A revert: the form is pre-filled from the historical version, so an unedited revert "has not changed" —
        # ask the database whether the values it would save differ from the live row's.
        names = [f.attname for f in obj._meta.concrete_fields if f.name in form.fields]
        live = type(obj)._default_manager.filter(pk=obj.pk).values(*names).first()
        return live is None or any(live[name] != getattr(obj, name) for name in names)
