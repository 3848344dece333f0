"""Portal pages: my dishonesty records and what repair needs, apply, follow an application, the repair notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.links import can_act_for, subjects_for_user
from credit_platform import roles, security
from credit_platform.exceptions import DomainError
from credit_platform.ratelimits import rate_limited
from records import outbox
from records.models import Record
from repair import access, notice, services
from repair.models import EvidenceKind, RepairApplication, RepairEvidence


def _own_record(request, pk: int):
    record = Record.objects.select_related("subject", "catalog_item", "source_department").filter(pk=pk).first()
    if record is None or not access.can_see_record(request.user, record):
        raise Http404
    return record


@login_required
def index(request):
    subjects = subjects_for_user(request.user)
    records = (
        Record.objects.filter(subject__in=subjects, category="dishonesty")
        .select_related("subject", "catalog_item", "source_department")
        .order_by("-decided_on", "-id")[:200]
    )
    records = list(records)
    summaries = notice.notice_summaries(records, viewer=request.user)
    open_apps = services.open_applications_by_record(records)
    rows = [{"record": record, "summary": summaries[record.pk], "open": open_apps.get(record.pk)} for record in records]
    applications = RepairApplication.objects.filter(subject__in=subjects).select_related("record", "department")[:200]
    return render(request, "repair/index.html", {"rows": rows, "applications": applications})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    record = _own_record(request, pk)
    if not can_act_for(request.user, record.subject_id):
        raise Http404
    pending = services.open_application_for(record)
    if pending is not None:
        # Said before the form is filled in (and before any file is chosen), not after.
        messages.info(request, f"该失信信息已有正在办理的修复申请（{pending.number}），办结前不能重复申请；可在此补充材料或撤回申请。")
        return redirect("repair:application", number=pending.number)
    name = request.user.get_full_name() or request.user.username
    commitment = services.commitment_text(record, name)
    eligibility = services.check_eligibility(record)
    errors = {}
    if request.method == "POST":
        uploads = [
            services.EvidenceUpload(kind, f) for kind in EvidenceKind.values for f in request.FILES.getlist(f"evidence_{kind}")
        ]
        if request.POST.get("sign") != "1":
            errors["commitment"] = "请阅读并签署信用承诺书。"
        else:
            try:
                app = services.apply(
                    record, applicant=request.user, applicant_name=name, applicant_phone=request.POST.get("phone", ""),
                    correction_statement=request.POST.get("correction_statement", ""), commitment=commitment, evidence=uploads,
                )
            except DomainError as exc:
                errors[exc.field or "__all__"] = exc.message
            else:
                if app.status == "refused":
                    messages.warning(request, "申请不予受理：" + (app.events.filter(kind="refused").first().reason or ""))
                else:
                    messages.success(request, f"申请已提交（{app.number}），受理期限：{app.accept_due:%Y年%-m月%-d日}。")
                return redirect("repair:application", number=app.number)
    return render(request, "repair/apply.html", {
        "record": record, "commitment": commitment, "eligibility": eligibility, "errors": errors,
        "kinds": EvidenceKind.choices, "policy": services.policy_for(), "post": request.POST,
    })


@login_required
def application(request, number: str):
    app = RepairApplication.objects.select_related("record", "department", "subject").filter(number=number).first()
    if app is None or not access.can_view(request.user, app):
        raise Http404
    official = access.is_official(request.user)
    events = app.events.all() if official else app.events.filter(public=True)
    applicant_may_act = app.is_open and can_act_for(request.user, app.subject_id)
    return render(request, "repair/application.html", {
        "app": app, "events": events, "evidence": app.evidence.all(),
        "deliveries": outbox.deliveries_for_record(app.record_id), "official": official,
        "progress_code": services.progress_code(app), "applicant_may_act": applicant_may_act,
        "kinds": EvidenceKind.choices,
    })


def _applicant_application(request, number: str) -> RepairApplication:
    app = RepairApplication.objects.filter(number=number).first()
    if app is None or not can_act_for(request.user, app.subject_id):
        raise Http404
    return app


@login_required
@require_POST
def add_evidence(request, number: str):
    app = _applicant_application(request, number)
    uploads = [
        services.EvidenceUpload(kind, f) for kind in EvidenceKind.values for f in request.FILES.getlist(f"evidence_{kind}")
    ]
    try:
        rows = services.add_evidence(app, uploads, actor=request.user)
    except DomainError as exc:
        messages.error(request, f"材料未补充：{exc.message}")
    else:
        messages.success(request, f"已补充 {len(rows)} 份材料，审核人员会在办理时一并审查。")
    return redirect("repair:application", number=app.number)


@login_required
@require_POST
def withdraw(request, number: str):
    app = _applicant_application(request, number)
    try:
        services.withdraw(app, actor=request.user)
    except DomainError as exc:
        messages.error(request, f"未能撤回：{exc.message}")
    else:
        messages.success(request, "申请已撤回。符合条件的，可以重新申请信用修复。")
    return redirect("repair:application", number=app.number)


@require_http_methods(["GET", "POST"])
@rate_limited("verify", methods=("POST",))
def progress(request):
    """进度查询: anyone holding an application's number and 查询码 (a window applicant without an account) sees
    its state, due dates and public timeline — nothing personal, no evidence."""
    app, error = None, ""
    number = (request.POST.get("number") or "").strip()[:32]
    if request.method == "POST":
        app = services.find_by_progress_code(number, request.POST.get("code", ""))
        if app is None:
            error = "申请编号或查询码不正确，请核对回执后重新输入。"
    return render(request, "repair/progress.html", {
        "app": app, "error": error, "number": number,
        "events": app.events.filter(public=True) if app else [],
    })


@login_required
def record_notice(request, pk: int):
    record = _own_record(request, pk)
    if not notice.applies_to(record):
        raise Http404  # only a dishonesty record has a notice; a GET never creates one for any other record
    if can_act_for(request.user, record.subject_id):
        notice.mark_delivered(record, request.user)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(notice.render_pdf(record), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="repair-notice-{record.pk}.pdf"'
        return response
    return HttpResponse(notice.render_html(record))


@login_required
def evidence_download(request, pk: int):
    row = RepairEvidence.objects.select_related("application").filter(pk=pk).first()
    if row is None or not access.can_view(request.user, row.application):
        raise Http404
    # the administrators and the auditor never download a citizen's evidence (三员分立)
    if security.is_official(request.user) and not roles.may_read_evidence(request.user):
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
