"""Codes stored for machines, shown to people as words: ``{{ e.scope|scope_label }}``, ``{{ g.categories|category_labels }}``."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from disclosure.services import CATEGORIES

register = template.Library()

SCOPE_LABELS = dict(CATEGORIES, full="全部信息")


@register.filter
def category_labels(codes) -> str:
    """``["basic", "dishonesty"]`` → ``基础信息、失信信息``; an unknown code is shown as it is."""
    if not codes:
        return "—"
    if isinstance(codes, str):
        codes = [codes]
    return "、".join(SCOPE_LABELS.get(str(code), str(code)) for code in codes)


@register.filter
def scope_label(scope) -> str:
    """A query-log scope: a list of categories, or a joint check's matter (``{"joint_check": …, "matter": …}``)."""
    if isinstance(scope, Mapping):
        if "joint_check" in scope:
            measures = scope.get("measures") or []
            return f"联合奖惩比对（事项 {scope.get('matter', '—')}，命中措施 {len(measures)} 项）"
        return "、".join(f"{key}：{value}" for key, value in scope.items())
    return category_labels(scope)
