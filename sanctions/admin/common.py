"""What every sanctions admin shares: the department scope, the step log table, and refusals shown as messages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join

from credit_platform.exceptions import DomainError
from credit_platform.roles import department_of, sees_all_departments
from sanctions import services


def scope(request, qs, field: str = "department"):
    if sees_all_departments(request.user):
        return qs
    department = department_of(request.user)
    if department is None:
        return qs.none()
    # A proxy of Department (DepartmentFeedbackRate) is filtered on its own key: a Department instance is not one.
    return qs.filter(**{field: department.pk if field == "pk" else department})


def skip_formsets(formsets) -> None:
    """For a ``save_related`` that deliberately saves no inline: the admin's change message reads what each formset
    saved (``new_objects`` …), which only ``formset.save()`` sets — record that it saved nothing."""
    for formset in formsets:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def steps_html(obj):
    steps = services.steps_of(obj).order_by("at", "id")
    if not steps:
        return "—"
    return format_html(
        "<table><tr><th>时间</th><th>步骤</th><th>操作人</th><th>理由</th></tr>{}</table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         ((f"{e.at:%Y-%m-%d %H:%M}", STEP_LABELS.get(e.step, e.step), e.actor_label, e.reason) for e in steps)),
    )


STEP_LABELS = {
    "public_comment": "公开征求意见", "approved": "批准", "published": "公布", "repealed": "废止", "withdrawn": "停止实施",
    "created_from": "创建新版本", "listed": "列入", "removed": "移出", "proposed": "拟列入", "notified": "事先告知",
    "defence_submitted": "陈述申辩", "defence_reviewed": "复核", "not_listed": "不予列入", "publicity_stopped": "终止公示",
    "restored": "恢复", "repair_noted": "修复（仍有其他依据）", "recorded": "登记", "reminded": "提醒", "escalated": "逾期督办",
    "lifted": "停止实施措施", "feedback_applied": "反馈：已实施", "feedback_not_applied": "反馈：未实施",
}


class WorkflowFormMixin:
    """Run a service step from an admin form and show a refusal as a form error."""

    def run_step(self, request, form, func, success: str):
        try:
            func()
        except DomainError as exc:
            form.add_error(None, exc.message)
            for name, problems in (exc.fields or {}).items():
                if name in form.fields:
                    form.add_error(name, "；".join(str(p) for p in problems))
            return False
        messages.success(request, success)
        return True


class RefusalAdminMixin:
    """A published measure list, a logged joint check and the step log refuse changes in the model itself
    (``DomainError`` code ``frozen``), e.g. when a history revert would rewrite a published list: the admin shows the
    refusal on the page it came from instead of a 500. The views run in a transaction, so nothing of the refused
    change is kept."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())
