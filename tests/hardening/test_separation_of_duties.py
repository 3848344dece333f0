"""Separation of duties for objects and history (MLPS 2.0 level 3, 三员分立).

Every role of the demo walks every admin change, history and revert page and every API write. The lists are
generated from the admin registry and from the API schema (built from the URL conf), so a model or an endpoint
added later is walked too. One world is built for the walk (bootstrap_demo plus the matrix's objects).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from credit_platform.admin.history import GuardedHistoryAdmin
from tests.hardening._world import api_for, build, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = ("admin", "centre", "officer_scjg", "officer_swj", "handler", "reviewer", "auditor", "sysadmin", "secadmin",
         "auditadmin")
# the three administrators and the auditor: they handle no credit business (roles.DUTY_RESTRICTED_ROLES)
NO_BUSINESS = ("auditor", "sysadmin", "secadmin", "auditadmin")
READ_ONLY = ("auditor", "auditadmin")


def _history_count(model) -> int:
    history = getattr(model, "history", None)
    return history.count() if history is not None else 0


def _scoped(model_admin, user, obj) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin.get_queryset(request).filter(pk=obj.pk).exists()


def _form_data(model_admin, user, obj) -> dict:
    """What a browser posts back from the change form as shown (every editable field at its current value)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    try:
        form = model_admin.get_form(request, obj)(instance=obj)
    except Exception:  # noqa: BLE001  (a form that cannot be built for this role posts nothing)
        return {}
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = getattr(value, "pk", value)
    return data


def test_every_role_through_every_admin_page_and_every_api_write(settings, tmp_path):
    """One world for both walks (building it is most of the runtime)."""
    w = build(settings, tmp_path)
    _walk_admin(w)
    _walk_api_writes(w)


def _walk_admin(w):
    failures, walked = [], 0
    history_admins = 0
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label):
        opts = model._meta
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        info = f"admin:{opts.app_label}_{opts.model_name}"
        pages = {"change": reverse(f"{info}_change", args=[obj.pk]), "history": reverse(f"{info}_history", args=[obj.pk])}
        version = None
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, GuardedHistoryAdmin), f"{opts.label}: history admin must be GuardedHistoryAdmin"
            history_admins += 1
            version = model.history.filter(**{opts.pk.attname: obj.pk}).order_by("history_id").first()
            if version is not None:
                pages["revert"] = reverse(f"{info}_simple_history", args=[obj.pk, version.history_id])
        for who in ROLES:
            user = w.users[who]
            client = client_for(w, who)
            in_scope = _scoped(model_admin, user, obj)
            for url in pages.values():
                walked += 1
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"{who} GET {url}: {response.status_code}")
                elif response.status_code == 200 and not in_scope:
                    failures.append(f"{who} GET {url}: 200 for an object outside the admin's scope")
            # Revert and read-only change form: whoever may not change this object writes nothing, not even history.
            # the model permission of the role (the system administrator keeps departments, for instance), in scope;
            # the read-only roles never
            may_change = (user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and in_scope
                          and who not in READ_ONLY)
            posts = [("change", pages["change"])]
            if "revert" in pages:
                posts.append(("revert", pages["revert"]))
            for kind, url in posts:
                if may_change and not (kind == "revert" and not model_admin.history_revert):
                    continue
                before_rows = _history_count(model)
                before = model._default_manager.filter(pk=obj.pk).values().first()
                source = version.instance if kind == "revert" else obj
                response = client.post(url, _form_data(model_admin, user, source))
                walked += 1
                if response.status_code >= 500:
                    failures.append(f"{who} POST {url}: {response.status_code}")
                if kind == "revert" and response.status_code not in (302, 403, 404) or (
                        kind == "revert" and response.status_code == 302 and in_scope):
                    failures.append(f"{who} POST {url} (revert without the right): {response.status_code}")
                if _history_count(model) != before_rows:
                    failures.append(f"{who} POST {url}: wrote a history row")
                if model._default_manager.filter(pk=obj.pk).values().first() != before:
                    failures.append(f"{who} POST {url}: changed the object")
    assert history_admins >= 15 and walked > 1000, (history_admins, walked)
    assert not failures, "\n".join(failures)


def _api_writes():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in ("post", "put", "patch", "delete"):
                yield method, path


def _public(path: str) -> bool:
    from django.urls import resolve
    from rest_framework.permissions import AllowAny

    view = resolve(path).func
    cls = getattr(view, "cls", None)
    return bool(cls and AllowAny in getattr(cls, "permission_classes", ()))


def _walk_api_writes(w):
    """The three administrators and the auditor: every API write is refused (403/404/405), none writes a row."""
    from catalog.models import CatalogVersion
    from sanctions.models import Commitment, JointCheck

    values = {
        "/api/v1/objections/{id}": w.objection.pk, "/api/v1/records/{id}": w.zhang_penalty.pk,
        "{number}": w.application.number, "/api/v1/catalog/drafts/{id}": CatalogVersion.objects.order_by("pk").first().pk,
        "/api/v1/commitments/{id}": getattr(Commitment.objects.order_by("pk").first(), "pk", 1),
        "{check_id}": getattr(JointCheck.objects.order_by("pk").first(), "check_id", "00000000-0000-0000-0000-000000000000"),
        "{request_id}": 1, "{id}": 1,
    }

    def concrete(path: str) -> str:
        for key, value in values.items():
            if key.startswith("/"):
                if path.startswith(key):
                    path = path.replace(key, key.replace("{id}", str(value)), 1)
            else:
                path = path.replace(key, str(value))
        return path

    from django.apps import apps

    def footprint():
        return sum(m.objects.count() for m in apps.get_models() if issubclass(m, HistoricalChanges))

    failures, walked = [], 0
    writes = list(_api_writes())
    assert len(writes) >= 30
    for method, template in writes:
        path = concrete(template)
        if _public(path):
            continue  # public endpoints (an anonymous comment on a draft catalogue) are nobody's business write
        before = footprint()
        for who in NO_BUSINESS:
            response = getattr(api_for(w, who), method)(path, {}, format="json")
            walked += 1
            if response.status_code not in (401, 403, 404, 405):
                failures.append(f"{who} {method.upper()} {path}: {response.status_code}")
        if footprint() != before:
            failures.append(f"{method.upper()} {path}: wrote history")
    assert walked > 100
    assert not failures, "\n".join(failures)
