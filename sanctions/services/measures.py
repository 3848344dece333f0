"""措施清单: a measure list's life cycle (draft → public comment → approved → published → repealed) and the
withdrawal of one measure."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.exceptions import DomainError
from credit_platform.months import add_months
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from sanctions import rules
from sanctions.models import Measure, MeasureList
from sanctions.services.common import log_step, save_with_reason, today


# --- measure lists -------------------------------------------------------------------------------------------------
def _require_list(lst: MeasureList, *allowed) -> None:
    if lst.status not in allowed:
        raise DomainError("invalid_state", f"清单状态为“{lst.get_status_display()}”，不能执行此操作 / not allowed in "
                                             f"status {lst.status}")


def measure_list_errors(lst: MeasureList) -> dict[str, dict]:
    policy = active_policy()
    out = {}
    for m in lst.measures.all():
        errors = rules.measure_errors(m, policy)
        if errors:
            out[m.code] = errors
    return out


@transaction.atomic
def open_public_comment(lst: MeasureList, *, actor, opens_on: date | None = None, closes_on: date | None = None) -> MeasureList:
    """Karamay art. 23 para. 3, Heilongjiang art. 39: the draft is put to public comment."""
    _require_list(lst, MeasureList.Status.DRAFT)
    if not lst.measures.exists():
        raise DomainError("empty_list", "清单没有措施 / the list has no measures")
    errors = measure_list_errors(lst)
    if errors:
        raise DomainError("invalid_measures", "清单中有不合规的措施 / some measures are not valid", fields=errors)
    lst.status = MeasureList.Status.PUBLIC_COMMENT
    lst.comment_opens_on = opens_on or today()
    lst.comment_closes_on = closes_on
    save_with_reason(lst, "公开征求意见")
    log_step(lst, "public_comment", actor, "公开征求意见", closes_on=closes_on)
    return lst


@transaction.atomic
def approve_list(lst: MeasureList, *, actor, approval_document: str) -> MeasureList:
    """The people's government approves (Karamay art. 23). Supplementary lists must have been put to public comment;
    the national base list is adopted as issued."""
    if lst.level == MeasureList.Level.NATIONAL:
        _require_list(lst, MeasureList.Status.DRAFT, MeasureList.Status.PUBLIC_COMMENT)
    else:
        _require_list(lst, MeasureList.Status.PUBLIC_COMMENT)
    if not (approval_document or "").strip():
        raise DomainError("approval_document_required", "须填写批准文件 / the approval document is required",
                            fields={"approval_document": ["required"]})
    errors = measure_list_errors(lst)
    if errors:
        raise DomainError("invalid_measures", "清单中有不合规的措施 / some measures are not valid", fields=errors)
    lst.approval_document = approval_document.strip()
    lst.approved_at = timezone.now()
    lst.status = MeasureList.Status.APPROVED
    lst.save()
    log_step(lst, "approved", actor, lst.approval_document)
    return lst


@transaction.atomic
def publish_list(lst: MeasureList, *, actor, publication_ref: str = "", effective_from: date | None = None) -> MeasureList:
    """Publish an approved list; from now on (and from ``effective_from``) its measures can be applied. A previous
    published version of the same list is repealed; the next review is due per the profile."""
    _require_list(lst, MeasureList.Status.APPROVED)
    now = timezone.now()
    lst.status = MeasureList.Status.PUBLISHED
    lst.published_at = now
    lst.publication_ref = publication_ref or lst.publication_ref
    lst.effective_from = effective_from or lst.effective_from or local_date(now)
    months = active_policy().measure_list_review_months.value
    lst.review_due = add_months(lst.effective_from, months) if months else None
    lst.save()
    log_step(lst, "published", actor, publication_ref, review_due=lst.review_due)
    for old in MeasureList.objects.filter(
        level=lst.level, title=lst.title, status=MeasureList.Status.PUBLISHED
    ).exclude(pk=lst.pk):
        old.status = MeasureList.Status.REPEALED
        old.repealed_at = now
        old.superseded_by = lst
        old.save()
        log_step(old, "repealed", actor, f"被新版本替代：{lst.version_label}")
    return lst


@transaction.atomic
def repeal_list(lst: MeasureList, *, actor, reason: str) -> MeasureList:
    _require_list(lst, MeasureList.Status.PUBLISHED)
    if not (reason or "").strip():
        raise DomainError("reason_required", "须说明理由 / a reason is required")
    lst.status = MeasureList.Status.REPEALED
    lst.repealed_at = timezone.now()
    lst.save()
    log_step(lst, "repealed", actor, reason)
    return lst


@transaction.atomic
def new_list_version(lst: MeasureList, *, actor, version_label: str) -> MeasureList:
    """A new draft copied from ``lst`` (a published list is never edited in place)."""
    copy = MeasureList.objects.create(
        title=lst.title, level=lst.level, version_label=version_label, issuer=lst.issuer, notes=lst.notes,
    )
    for m in lst.measures.all().prefetch_related("matters", "implementing_departments"):
        matters, departments = list(m.matters.all()), list(m.implementing_departments.all())
        m.pk = m.id = None
        m.measure_list = copy
        m.withdrawn = False
        m._state.adding = True
        m.save()
        m.matters.set(matters)
        m.implementing_departments.set(departments)
    log_step(copy, "created_from", actor, f"基于 {lst}")
    return copy


@transaction.atomic
def withdraw_measure(measure: Measure, *, actor, reason: str) -> Measure:
    """Stop applying one published measure at once (e.g. its legal basis was repealed) pending a new list version."""
    if not (reason or "").strip():
        raise DomainError("reason_required", "须说明理由 / a reason is required")
    measure.withdrawn = True
    measure.save(update_fields=["withdrawn"])
    log_step(measure, "withdrawn", actor, reason)
    return measure
