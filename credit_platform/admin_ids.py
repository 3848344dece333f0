"""Admin object ids are validated before they reach the ORM.

The admin names an object by its primary key in the URL (``<path:object_id>/change/``, ``…/history/``,
``…/delete/`` and django-simple-history's ``…/history/<version_id>/``). Django's own views turn most malformed ids
into a redirect, but the history pages and several admin classes look the id up directly, so ``abc`` or a number
beyond the key's range was a ``ValueError``/``OverflowError`` — a 500. This middleware checks every such id against
the model's primary-key field (its type and the database's range for it) before the view runs; an id the key
cannot hold is an ordinary 404. Admin classes need nothing of their own.

The ids a changelist POST carries for an action (the ticked rows, ``_selected_action``) reach the ORM the same way
(``queryset.filter(pk__in=selected)``): one the key cannot hold is a 400 before the view runs, never a 500.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest


def _model_admin(view_func) -> admin.ModelAdmin | None:
    """The ModelAdmin behind an admin view: ModelAdmin.get_urls() marks its views with ``model_admin``; other
    admin views (django-simple-history's) wrap a bound method of the ModelAdmin."""
    model_admin = getattr(view_func, "model_admin", None)
    if isinstance(model_admin, admin.ModelAdmin):
        return model_admin
    owner = getattr(getattr(view_func, "__wrapped__", None), "__self__", None)
    return owner if isinstance(owner, admin.ModelAdmin) else None


def key_can_hold(field, raw: str) -> bool:
    """Whether ``raw`` (an id from a URL) is a value the primary-key ``field`` can hold in this database."""
    while field.is_relation:  # a one-to-one primary key holds what the key it points to holds
        field = field.target_field
    if "\x00" in raw:  # PostgreSQL holds no NUL in any text
        return False
    try:
        value = field.to_python(unquote(raw))
        field.run_validators(value)  # IntegerField: the database's range for the column (e.g. signed 64-bit)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return value is not None


class AdminObjectIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = _model_admin(view_func)
        if model_admin is None:
            return None
        model = model_admin.model
        if request.method == "POST" and getattr(view_func, "__name__", "") == "changelist_view":
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            if not all(key_can_hold(model._meta.pk, raw) for raw in selected):
                return HttpResponseBadRequest("所选对象编号无效 / a selected object id is not valid",
                                              content_type="text/plain; charset=utf-8")
        checks = []
        if "object_id" in view_kwargs:
            checks.append((model._meta.pk, view_kwargs["object_id"]))
        elif getattr(getattr(view_func, "__wrapped__", None), "__name__", "") == "history_form_view" and len(view_args) == 2:
            history = getattr(model, model._meta.simple_history_manager_attribute).model
            checks += [(model._meta.pk, view_args[0]), (history._meta.pk, view_args[1])]
        for field, raw in checks:
            if not key_can_hold(field, raw):
                raise Http404("没有这个对象 / no such object")
        return None
