"""Portal: a subject files an objection against its own records and follows it to the end; evidence is
served only to the applicant and the officials who may see the case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.links import subjects_for_user
from credit_platform import roles
from credit_platform.exceptions import DomainError, report_to_form
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from objections import access, clock, services
from objections.forms import EvidenceForm, PortalObjectionForm, WithdrawForm
from objections.models import OPEN_STATUSES, Channel, Evidence, Objection, Status

STEPS = [
    (Status.RECEIVED, "已受理"),
    (Status.MARKED, "已作异议标注"),
    (Status.UNDER_REVIEW, "核查中"),
    (Status.DECIDED, "已办结"),
]


def _portal_user(request):
    user = request.user
    if getattr(user, "is_department_client", False):
        raise Http404
    return user


def _own(request):
    user = _portal_user(request)
    return access.objections_visible_to(user) if user.is_staff else Objection.objects.filter(
        pk__in=access.objections_visible_to(user).values("pk")
    )


@login_required
def objection_list(request):
    user = _portal_user(request)
    objections = (
        Objection.objects.filter(pk__in=access.objections_visible_to(user).values("pk"))
        .select_related("subject").order_by("-received_at")
    ) if not user.is_staff else Objection.objects.filter(applicant=user).order_by("-received_at")
    return render(request, "objections/list.html", {
        "objections": objections, "can_file": subjects_for_user(user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def objection_new(request):
    user = _portal_user(request)
    records_qs = access.records_fileable_by(user).select_related("source_department", "catalog_item").order_by("-id") \
        if not user.is_staff else access.records_fileable_by(None)
    preselect = [int(x) for x in request.GET.getlist("record") if x.isdigit()]
    form = PortalObjectionForm(request.POST or None, request.FILES or None, records_qs=records_qs,
                               initial={"records": preselect})
    if request.method == "POST" and form.is_valid():
        records = list(form.cleaned_data["records"])
        try:
            objection = services.file_objection(
                records=records, ground=form.cleaned_data["ground"], statement=form.cleaned_data["statement"],
                actor=user, channel=Channel.PORTAL, applicant=user,
                applicant_phone=form.cleaned_data.get("phone") or getattr(user, "phone", ""),
                applicant_email=user.email, handling_department=access.handling_department_for(user, records),
                evidence=form.cleaned_data.get("files") or [],
            )
        except DomainError as exc:
            report_to_form(form, exc)
        else:
            messages.success(request, f"异议已提交，编号 {objection.number}。{services._due_sentence(objection)}")
            return redirect("objections:detail", pk=objection.pk)
    return render(request, "objections/new.html", {"form": form, "policy": active_policy(), "has_records": records_qs.exists()})


@login_required
def objection_detail(request, pk):
    user = _portal_user(request)
    objection = get_object_or_404(_own(request).select_related("subject", "handling_department"), pk=pk)
    today = local_date(timezone.now())
    reached = {Status.RECEIVED}
    if objection.marked_at:
        reached.add(Status.MARKED)
    if objection.review_started_at:
        reached.add(Status.UNDER_REVIEW)
    if objection.status == Status.DECIDED:
        reached.add(Status.DECIDED)
    steps = [{"code": code, "label": label, "done": code in reached, "current": code == objection.status}
             for code, label in STEPS]
    running = objection.mark_due if objection.status == Status.RECEIVED else objection.decision_due
    return render(request, "objections/detail.html", {
        "objection": objection,
        "steps": steps,
        "events": objection.events.filter(public=True),
        "items": objection.items.select_related("record", "record__source_department", "record__catalog_item"),
        "evidence": objection.evidence.all(),
        "policy": objection.policy,
        "state": clock.deadline_state(running, today) if objection.is_open and not objection.paused_since else None,
        "is_applicant": objection.applicant_id == user.pk,
        "evidence_form": EvidenceForm(),
        "withdraw_form": WithdrawForm(),
        "is_open": objection.status in OPEN_STATUSES,
    })


@login_required
@require_POST
def objection_evidence(request, pk):
    user = _portal_user(request)
    objection = get_object_or_404(_own(request), pk=pk)
    if objection.applicant_id != user.pk:
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(objection, form.cleaned_data["files"], actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "证明材料已补充。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("objections:detail", pk=objection.pk)


@login_required
@require_POST
def objection_withdraw(request, pk):
    user = _portal_user(request)
    objection = get_object_or_404(_own(request), pk=pk)
    if objection.applicant_id != user.pk:
        raise Http404
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw(objection, actor=user, reason=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "异议已撤回。")
    return redirect("objections:detail", pk=objection.pk)


@login_required
def evidence_download(request, pk, evidence_id):
    """Evidence only for the applicant and officials who may see the case; never a public URL."""
    user = _portal_user(request)
    objection = get_object_or_404(access.objections_visible_to(user), pk=pk)
    # officials who see the case, except the administrators and the auditor (三员分立); the applicant
    if not (objection.applicant_id == user.pk or (user.is_staff and roles.may_read_evidence(user))):
        raise Http404
    evidence = get_object_or_404(Evidence, pk=evidence_id, objection=objection)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=True,
                            filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
