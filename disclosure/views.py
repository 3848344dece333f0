"""Public portal and subjects' pages (server-rendered, Simplified Chinese). Views only call services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from credit_platform.policies import active_policy
from credit_platform.ratelimits import rate_limited
from disclosure import double_publicity, querylog, reports, services, uploads
from disclosure.accounts import (
    link_identity, primary_subject, resolve_pending_links, self_account_exists, subjects_for_user,
)
from disclosure.forms import AuthorisationForm, EnterpriseForm, RegistrationForm, SpecialReportForm, VerifyForm
from disclosure.identity import IdentityError, get_backend
from disclosure.masking import public_subject_name
from disclosure.models import Authorisation, CreditReport, QueryLogEntry
from disclosure.presenters import (
    group_public_records, own_record_rows, registration_facts, related_persons_public,
)

# --- public -------------------------------------------------------------------------------------------


def _has_query(request) -> bool:
    return bool((request.GET.get("q") or "").strip())


@rate_limited("search", when=_has_query)
def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    page, error = None, ""
    if query:
        if len(query) < 2:
            error = "请输入至少两个字的单位名称，或完整的 18 位统一社会信用代码。"
        else:
            page = services.search_public_page(query, request.GET.get("page"))
            if not page.results:
                error = "未找到相符的法人或非法人组织。自然人信息不提供公开查询。"
    return render(request, "disclosure/search.html", {
        "query": query, "page": page, "results": page.results if page else [], "error": error,
        "count_cap": services.SEARCH_COUNT_CAP,
    })


@rate_limited("search")
def double_publicity_search(request):
    """双公示: every administrative licence and penalty in its publicity period, searchable and paged."""
    query, errors = double_publicity.parse_query(request.GET)
    page = double_publicity.search(query, request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "disclosure/double_publicity.html", {
        "query": query, "errors": errors, "page": page, "kinds": double_publicity.KINDS,
        "departments": double_publicity.departments_with_publicity(), "params": params.urlencode(),
        "count_cap": double_publicity.COUNT_CAP,
    })


@rate_limited("browse")
def subject_page(request, code: str):
    subject = services.find_public_subject(code)
    if subject is None:
        return render(request, "disclosure/message.html", {
            "title": "未找到该主体",
            "message": f"没有统一社会信用代码为“{code[:40]}”的法人或非法人组织的公开信息。请核对代码（18 位，字母为大写）。",
        }, status=404)
    records = list(services.public_records().filter(subject=subject).order_by("-decided_on", "-id"))
    return render(request, "disclosure/subject.html", {
        "subject": subject, "name": public_subject_name(subject.name, subject.type),
        "related": related_persons_public(subject), "groups": group_public_records(records),
        "registration": registration_facts(subject, records), "count": len(records),
    })


# --- verification -----------------------------------------------------------------------------------------


def _is_check(request) -> bool:
    """A verification actually asked (the form posted, or a report's QR link with its check code)."""
    return request.method == "POST" or bool(request.GET.get("c"))


@csrf_exempt  # CSRF is checked by _verify, after the upload cap is in place (Django's documented pattern)
def verify(request, number: str = ""):
    """Report verification. An uploaded PDF is capped at ``VERIFY_UPLOAD_MAX_BYTES`` and hashed chunk by chunk."""
    limit = settings.VERIFY_UPLOAD_MAX_BYTES
    if request.method == "POST":
        if uploads.declared_too_large(request, limit):
            return _verify_too_large(request, limit)
        return _verify(request, number, uploads.cap(request, limit))
    return _verify(request, number, None)


def _too_large_message(limit: int) -> str:
    return f"文件过大：平台出具的报告不超过 {uploads.size_label(limit)}，请上传平台出具的原件。"


def _verify_too_large(request, limit: int):
    context = {"form": VerifyForm(), "result": None, "masked_name": "", "upload_error": _too_large_message(limit)}
    return render(request, "disclosure/verify.html", context, status=413)


@csrf_protect
@rate_limited("verify", when=_is_check)
def _verify(request, number: str, capped):
    result = None
    status = 200
    upload_error = ""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if capped is not None and capped.exceeded:
            upload_error, status = _too_large_message(capped.limit), 413
        elif form.is_valid():
            upload = form.cleaned_data.get("pdf")
            result = reports.verify(form.cleaned_data["number"], form.cleaned_data["check_code"], upload)
    else:
        initial = {"number": number, "check_code": request.GET.get("c", "")}
        form = VerifyForm(initial=initial)
        if number and request.GET.get("c"):
            result = reports.verify(number, request.GET["c"])
    if result is not None and not result.ok and result.report is None:
        status = 404
    masked_name = ""
    if result and result.report:
        masked_name = public_subject_name(result.report.subject_name, result.report.subject.type)
    return render(request, "disclosure/verify.html", {"form": form, "result": result, "masked_name": masked_name,
                                                      "upload_error": upload_error}, status=status)


# --- accounts ------------------------------------------------------------------------------------------------


@method_decorator(rate_limited("login", methods=("POST",)), name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """Login attempts are limited per IP (``RATELIMIT_LOGIN``) on top of django-axes' per-account lockout."""

    template_name = "disclosure/login.html"

    def get_default_redirect_url(self):
        if self.request.user.is_staff:
            return "/admin/"
        return reverse("disclosure:my-record")


def register(request):
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("disclosure:my-record")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity = get_backend().verify_person(data["name"], data["id_number"])
        except IdentityError as exc:
            form.add_error(None, exc.message)
        else:
            if self_account_exists(identity):
                form.add_error(None, "该身份已注册账号。如忘记登录名或密码，请到服务窗口办理。")
            else:
                with transaction.atomic():
                    user = get_user_model().objects.create_user(
                        username=data["username"], password=data["password1"], first_name=identity.name,
                        kind="citizen", phone=data.get("phone") or "",
                    )
                    link_identity(user, identity)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "实名认证通过，账号已开通。")
                return redirect("disclosure:my-record")
    return render(request, "disclosure/register.html", {"form": form})


@login_required
def add_enterprise(request):
    self_subject = subjects_for_user(request.user).filter(type="natural_person").first()
    links = request.user.subject_links.filter(revoked_at__isnull=True, role="self").first()
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if links is None:
            form.add_error(None, "请先完成本人实名认证，再绑定单位。")
        else:
            from disclosure.identity import VerifiedIdentity

            # The link keeps only the mask of the agent's number; the subject on file has it in full.
            agent_code = links.subject.code if links.subject_id else links.code
            agent = VerifiedIdentity("natural_person", links.code_type, agent_code, links.name, links.verified_by)
            try:
                identity = get_backend().verify_agent(
                    agent, form.cleaned_data["uscc"], form.cleaned_data["enterprise_name"],
                    evidence=form.cleaned_data.get("evidence") or "",
                )
            except IdentityError as exc:
                form.add_error(None, exc.message)
            else:
                link_identity(request.user, identity, evidence="授权码" if form.cleaned_data.get("evidence") else "关联人员")
                messages.success(request, f"已绑定单位：{identity.name}。")
                return redirect(f"{reverse('disclosure:my-record')}?subject={identity.code}")
    return render(request, "disclosure/enterprise.html", {"form": form, "self_subject": self_subject})


# --- my credit record ---------------------------------------------------------------------------------------


def _my_subject(request):
    resolve_pending_links(request.user)
    subjects = list(subjects_for_user(request.user).order_by("type", "name"))
    wanted = request.GET.get("subject") or request.POST.get("subject")
    chosen = None
    if wanted:
        chosen = next((s for s in subjects if s.code == wanted), None)
        if chosen is None:
            raise Http404("您无权查看该主体的信息。")
    return chosen or primary_subject(request.user), subjects


def _no_subject(request):
    return render(request, "disclosure/message.html", {
        "title": "尚未关联信用主体",
        "message": "您的账号尚未完成实名认证或平台尚无您的信用信息。",
        "link": reverse("disclosure:register"), "link_text": "实名注册",
    })


@login_required
def my_record(request):
    subject, subjects = _my_subject(request)
    if subject is None:
        return _no_subject(request)
    records = list(services.own_records().filter(subject=subject).order_by("-decided_on", "-id"))
    querylog.append(actor=request.user, subject=subject, action=QueryLogEntry.Action.OWN_RECORD, scope=["full"],
                    channel=QueryLogEntry.Channel.PORTAL, purpose="self", purpose_label="本人查询")
    rows = own_record_rows(records)
    repair_requirements = _attach_repair_notices(rows, records, request.user)
    return render(request, "disclosure/my_record.html", {
        "subject": subject, "subjects": subjects, "rows": rows, "repair_requirements": repair_requirements,
        "opt_out": services.active_opt_out(subject), "policy": active_policy(),
    })


def _attach_repair_notices(rows: list[dict], records: list, user) -> list[dict]:
    """两书同达 (国办发〔2025〕22号, NDRC Order 36): the repair notice is shown to the subject with each dishonesty
    record — what a repair needs, the earliest date, the notice and the application. Showing it records the first
    delivery. Batched (a constant number of queries for any number of records). Returns the profile's repair
    conditions (the same for every record); nothing when the repair app is not installed."""
    from django.apps import apps

    if not apps.is_installed("repair"):
        return []
    from repair.eligibility import requirements
    from repair.notice import notice_summaries

    summaries = notice_summaries(records, viewer=user)
    for row in rows:
        row["repair"] = summaries.get(row["id"])
    return requirements(active_policy()) if summaries else []


@login_required
def my_queries(request):
    subject, subjects = _my_subject(request)
    if subject is None:
        return _no_subject(request)
    entries = QueryLogEntry.objects.filter(subject_id=subject.pk).order_by("-seq")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "disclosure/my_queries.html", {"subject": subject, "subjects": subjects, "page": page})


@login_required
@require_POST
def trust_opt_out(request):
    subject, _ = _my_subject(request)
    if subject is None:
        raise Http404
    if request.POST.get("action") == "withdraw":
        services.withdraw_trust_opt_out(subject)
        messages.success(request, "已撤回不公开申请，守信信息恢复公示。")
    else:
        services.opt_out_of_trust_publicity(subject, request.user)
        messages.success(request, "已停止公示您的守信信息（立即生效）。")
    return redirect(f"{reverse('disclosure:my-record')}?subject={subject.code}")


@login_required
def my_authorisations(request):
    subject, subjects = _my_subject(request)
    if subject is None:
        return _no_subject(request)
    form = AuthorisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_authorisation(subject, request.user, **form.cleaned_data)
        except services.DisclosureError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "授权已生效。")
            return redirect(f"{reverse('disclosure:my-authorisations')}?subject={subject.code}")
    grants = Authorisation.objects.filter(subject=subject).order_by("-created_at")
    return render(request, "disclosure/my_authorisations.html", {
        "subject": subject, "subjects": subjects, "form": form, "grants": grants, "today": timezone.localdate(),
        "rule": active_policy().authorisation_max_days,
    })


@login_required
@require_POST
def revoke_authorisation(request, pk: int):
    grant = get_object_or_404(Authorisation, pk=pk, subject__in=subjects_for_user(request.user))
    services.revoke_authorisation(grant)
    messages.success(request, f"已撤回对 {grant.grantee_name} 的授权。")
    return redirect(f"{reverse('disclosure:my-authorisations')}?subject={grant.subject.code}")


@login_required
def my_reports(request):
    subject, subjects = _my_subject(request)
    if subject is None:
        return _no_subject(request)
    if request.method == "POST":
        report = reports.issue_report(subject, request.user, base_url=request.build_absolute_uri("/"))
        messages.success(request, f"报告已生成：{report.number}，校验码 {report.check_code}。")
        return redirect(f"{reverse('disclosure:my-reports')}?subject={subject.code}")
    issued = CreditReport.objects.filter(subject=subject).order_by("-generated_at")[:50]
    form = SpecialReportForm(max_years=reports.SPECIAL_REPORT_MAX_YEARS)
    return render(request, "disclosure/my_reports.html", {"subject": subject, "subjects": subjects, "reports": issued,
                                                          "form": form})


@login_required
@require_POST
def special_report(request):
    subject, subjects = _my_subject(request)
    if subject is None:
        raise Http404
    form = SpecialReportForm(request.POST, max_years=reports.SPECIAL_REPORT_MAX_YEARS)
    if not form.is_valid():
        issued = CreditReport.objects.filter(subject=subject).order_by("-generated_at")[:50]
        return render(request, "disclosure/my_reports.html", {"subject": subject, "subjects": subjects,
                                                              "reports": issued, "form": form}, status=400)
    params = {"from": form.cleaned_data["date_from"].isoformat(), "to": form.cleaned_data["date_to"].isoformat(),
              "categories": form.cleaned_data["categories"]}
    report = reports.issue_report(subject, request.user, base_url=request.build_absolute_uri("/"),
                                  kind=CreditReport.Kind.SPECIAL, params=params)
    messages.success(request, f"专项信用报告已生成：{report.number}，校验码 {report.check_code}。")
    return redirect(f"{reverse('disclosure:my-reports')}?subject={subject.code}")


@login_required
def download_report(request, number: str):
    report = get_object_or_404(CreditReport, number=number, subject__in=subjects_for_user(request.user))
    if not report.pdf:
        raise Http404
    return FileResponse(report.pdf.open("rb"), content_type="application/pdf", filename=f"{report.number}.pdf",
                        as_attachment=request.GET.get("inline") != "1")


# --- grantees ------------------------------------------------------------------------------------------------


@login_required
def granted_to_me(request):
    grants = services.authorisations_for_grantee(request.user)
    return render(request, "disclosure/granted.html", {"grants": grants})


@login_required
def authorised_view(request, pk: int):
    grant = services.authorisations_for_grantee(request.user).filter(pk=pk).first()
    if grant is None:
        return render(request, "disclosure/message.html", {
            "title": "无权查看", "message": "该授权不存在、已过期或已被撤回，或授权的对象不是您。"}, status=403)
    records = list(services.authorised_view(grant).order_by("-decided_on", "-id"))
    querylog.append(actor=request.user, subject=grant.subject, action=QueryLogEntry.Action.AUTHORISED,
                    scope=grant.categories, channel=QueryLogEntry.Channel.PORTAL, purpose="authorised",
                    purpose_label=grant.purpose, reference=f"AUTH-{grant.pk}")
    return render(request, "disclosure/authorised_view.html", {
        "grant": grant, "rows": own_record_rows(records, third_party=True),
        "subject_name": grant.subject.name,  # the subject consented to this grantee
    })

