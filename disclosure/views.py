"""Public portal and subjects' pages (server-rendered, Simplified Chinese). Views only call services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts import agents, querylog
from accounts.identity import (
    CLOSED_MESSAGE,
    CLOSED_TITLE,
    VerifiedIdentity,
    dev_check_enabled,
    get_backend,
    identity_mode,
    oidc_configured,
)
from accounts.links import (
    is_official,
    link_identity,
    self_account_exists,
    subject_handle,
    subjects_for_user,
)
from accounts.models import AgentLetter, QueryLogEntry
from credit_platform.exceptions import DomainError, report_to_form
from credit_platform.http_cache import public_page
from credit_platform.policies import active_policy
from credit_platform.privacy import identifier_hash, looks_like_organisation_code, mask_identifier, normalise
from credit_platform.ratelimits import hit, rate_limited, too_many_requests
from disclosure import double_publicity, public_cache, reports, services, uploads
from disclosure.forms import (
    AuthorisationForm,
    EnterpriseForm,
    PortalLoginForm,
    RegistrationForm,
    SpecialReportForm,
    VerifyForm,
)
from disclosure.masking import public_subject_name
from disclosure.models import Authorisation, CreditReport
from disclosure.portal_subject import chosen_subject, no_subject_page, subject_url
from disclosure.presenters import (
    group_public_records,
    own_record_rows,
    registration_facts,
    related_persons_public,
)

PUBLIC_REPORT = CreditReport.Kind.PUBLIC  # anyone's downloads of the public edition are not the subject's own reports

# --- public -------------------------------------------------------------------------------------------


def _has_query(request) -> bool:
    return bool((request.GET.get("q") or "").strip())


@rate_limited("search", when=_has_query)
@public_page(public_cache.search_scope)
def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    page, error = None, ""
    if query:
        if len(query) < 2:
            error = "请输入至少两个字的单位名称，或完整的 18 位统一社会信用代码。"
        else:
            page = services.search_public_page(query, request.GET.get("page"))
            if not page.items:
                error = "未找到相符的法人或非法人组织。自然人信息不提供公开查询。"
    return render(request, "disclosure/search.html", {
        "query": query, "page": page, "results": page.items if page else [], "error": error,
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
@public_page(public_cache.subject_page_scope)
def subject_page(request, code: str):
    subject = services.find_public_subject(code)
    if subject is None:
        return render(request, "disclosure/message.html", {
            "title": "未找到该主体",
            "message": f"没有统一社会信用代码为“{_echo_code(code)}”的法人或非法人组织的公开信息。请核对代码（18 位，字母为大写）。",
        }, status=404)
    records = list(services.public_records().filter(subject=subject).order_by("-decided_on", "-id"))
    return render(request, "disclosure/subject.html", {
        "subject": subject, "name": public_subject_name(subject.name, subject.type),
        "related": related_persons_public(subject), "groups": group_public_records(records),
        "registration": registration_facts(subject, records), "count": len(records),
    })


def _echo_code(code: str) -> str:
    """The code as typed, for the not-found page — masked unless it is an organisation's code (a resident ID number
    typed into the address bar is never printed back in full)."""
    code = (code or "")[:40]
    return code if looks_like_organisation_code(code) else mask_identifier(code)


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
# Sign-in, registration and enterprise binding follow accounts.identity.identity_mode(): OpenID Connect at
# 政务服务统一身份认证 (accounts/oidc.py), the development check with DEBUG on only, or closed.


def _closed(request, status: int = 503):
    return render(request, "disclosure/message.html", {"title": CLOSED_TITLE, "message": CLOSED_MESSAGE}, status=status)


def _official_refused(request):
    return render(request, "disclosure/message.html", {
        "title": "请从管理后台登录",
        "message": "工作人员账号不能在公众门户登录、注册或绑定单位，请使用管理后台。",
        "link": "/admin/", "link_text": "进入管理后台",
    }, status=403)


def _identity_limited(request, kind: str, value: str):
    """Count one attempt against the identity tried (whatever address it comes from): the 429 answer, or None."""
    limit = hit(request, "identity", key=f"{kind}:{identifier_hash(normalise(value))}")
    return too_many_requests(request, limit) if limit is not None else None


@method_decorator(rate_limited("login", methods=("POST",)), name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """The citizens' door. With a provider: the button to 政务服务统一身份认证. With DEBUG on: also the development
    accounts' password form. Otherwise closed. Officials are refused here (they use /admin/). Password attempts are
    limited per address (``RATELIMIT_LOGIN``) and per login name (``RATELIMIT_IDENTITY``), on top of django-axes."""

    template_name = "disclosure/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = False

    def dispatch(self, request, *args, **kwargs):
        if identity_mode() == "closed":
            return _closed(request)
        if request.user.is_authenticated and is_official(request.user):
            return _official_refused(request)
        if request.method == "POST":
            if not dev_check_enabled():
                return _closed(request, status=403)
            limited = _identity_limited(request, "login", (request.POST.get("username") or "").lower())
            if limited is not None:
                return limited
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(oidc=oidc_configured(), dev_check=dev_check_enabled(),
                       failed=self.request.GET.get("failed") == "1")
        return context

    def get_default_redirect_url(self):
        return reverse("disclosure:my-record")


@rate_limited("signup", methods=("POST",))
def register(request):
    """Development check only (DEBUG on): name + ID number. With a provider the first sign-in opens the account.

    Whatever the reason a registration fails — the name does not match the number on file, or the person already
    has an account — the answer is the same, so nobody learns whether a number is on file or registered."""
    if request.user.is_authenticated and is_official(request.user):
        return _official_refused(request)
    if not dev_check_enabled():
        if oidc_configured():
            return render(request, "disclosure/message.html", {
                "title": "实名注册", "message": "请通过政务服务统一身份认证平台登录，首次登录即自动开通账号，无需另行注册。",
                "link": reverse("oidc_authentication_init"), "link_text": "通过统一身份认证登录",
            })
        return _closed(request)
    if request.user.is_authenticated:
        return redirect("disclosure:my-record")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        limited = _identity_limited(request, "ric", request.POST.get("id_number") or "")
        if limited is not None:
            return limited
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity = get_backend().verify_person(data["name"], data["id_number"])
            if self_account_exists(identity):
                raise DomainError("not_registered", REGISTRATION_REFUSED)
        except DomainError as exc:
            form.add_error(None, REGISTRATION_REFUSED if exc.code in UNIFORM_REFUSALS else exc.message)
        else:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=data["username"], password=data["password1"], first_name=identity.name,
                    kind="citizen", phone=data.get("phone") or "",
                )
                link_identity(user, identity)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "实名认证通过，账号已开通（开发环境核验）。")
            return redirect("disclosure:my-record")
    return render(request, "disclosure/register.html", {"form": form})


REGISTRATION_REFUSED = "未能完成实名注册：请核对姓名与公民身份号码。如您此前已注册过账号，请直接登录，或到信用服务窗口办理。"
UNIFORM_REFUSALS = {"identity_mismatch", "not_registered"}


@login_required
@rate_limited("signup", methods=("POST",))
def add_enterprise(request):
    """Bind the signed-in person to an enterprise: as its legal representative on file at once, or by an
    authorisation letter an official approves (accounts.agents). The fixed demo code only with DEBUG on."""
    if is_official(request.user):
        return _official_refused(request)
    if identity_mode() == "closed":
        return _closed(request)
    dev = dev_check_enabled()
    self_subject = subjects_for_user(request.user).filter(type="natural_person").first()
    form = EnterpriseForm(request.POST or None, request.FILES or None, dev=dev)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = agents.find_enterprise(data["uscc"], data["enterprise_name"])
            if data.get("letter"):
                agents.submit_letter(request.user, enterprise, data["letter"])
                messages.success(request, f"已提交 {enterprise.name} 的授权委托书，工作人员审核通过后即可代表该单位办理。")
                return redirect("disclosure:my-record")
            if dev and data.get("evidence"):
                link = agents.self_link(request.user)
                if link is None:
                    raise DomainError("self_not_verified", "请先完成本人实名认证，再绑定单位。")
                agent_code = link.subject.code if link.subject_id else link.code
                agent = VerifiedIdentity("natural_person", link.code_type, agent_code, link.name, link.verified_by)
                identity = get_backend().verify_agent(agent, data["uscc"], data["enterprise_name"],
                                                      evidence=data["evidence"])
                link_identity(request.user, identity, evidence="授权码（开发环境）")
            else:
                agents.bind_legal_representative(request.user, enterprise)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已绑定单位：{enterprise.name}。")
            return redirect(f"{reverse('disclosure:my-record')}?subject={subject_handle(request.user, enterprise)}")
    return render(request, "disclosure/enterprise.html", {"form": form, "self_subject": self_subject, "dev": dev,
                                                          "max_days": settings.AGENT_LETTER_MAX_DAYS})


# --- my credit record ---------------------------------------------------------------------------------------

@login_required
@require_POST
def revoke_agent_letter(request, pk: int):
    """The enterprise (through its legal representative) or the agent themselves ends an approved letter at once."""
    letter = get_object_or_404(AgentLetter, pk=pk)
    if not agents.may_revoke(request.user, letter):
        raise Http404
    agents.revoke_letter(letter, request.user, note="单位或经办人在门户撤销")
    messages.success(request, f"已撤销 {letter.agent_name} 代表 {letter.enterprise.name} 的授权。")
    return redirect("disclosure:my-record")


@login_required
def my_queries(request):
    subject, subjects = chosen_subject(request)
    if subject is None:
        return no_subject_page(request)
    entries = QueryLogEntry.objects.filter(subject_id=subject.pk).order_by("-seq")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "disclosure/my_queries.html", {"subject": subject, "subjects": subjects, "page": page})


@login_required
@require_POST
def trust_opt_out(request):
    subject, _ = chosen_subject(request)
    if subject is None:
        raise Http404
    if request.POST.get("action") == "withdraw":
        services.withdraw_trust_opt_out(subject)
        messages.success(request, "已撤回不公开申请，守信信息恢复公示。")
    else:
        services.opt_out_of_trust_publicity(subject, request.user)
        messages.success(request, "已停止公示您的守信信息（立即生效）。")
    return redirect(subject_url("disclosure:my-record", subject))


@login_required
def my_authorisations(request):
    subject, subjects = chosen_subject(request)
    if subject is None:
        return no_subject_page(request)
    form = AuthorisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_authorisation(subject, request.user, **form.cleaned_data)
        except DomainError as exc:
            report_to_form(form, exc)
        else:
            messages.success(request, "授权已生效。")
            return redirect(subject_url("disclosure:my-authorisations", subject))
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
    return redirect(f"{reverse('disclosure:my-authorisations')}?subject={subject_handle(request.user, grant.subject)}")


@login_required
def my_reports(request):
    subject, subjects = chosen_subject(request)
    if subject is None:
        return no_subject_page(request)
    if request.method == "POST":
        report = reports.issue_report(subject, request.user, base_url=request.build_absolute_uri("/"))
        messages.success(request, f"报告已生成：{report.number}，校验码 {report.check_code}。")
        return redirect(subject_url("disclosure:my-reports", subject))
    issued = CreditReport.objects.filter(subject=subject).exclude(kind=PUBLIC_REPORT).order_by("-generated_at")[:50]
    form = SpecialReportForm(max_years=reports.SPECIAL_REPORT_MAX_YEARS)
    return render(request, "disclosure/my_reports.html", {"subject": subject, "subjects": subjects, "reports": issued,
                                                          "form": form})


@login_required
@require_POST
def special_report(request):
    subject, subjects = chosen_subject(request)
    if subject is None:
        raise Http404
    form = SpecialReportForm(request.POST, max_years=reports.SPECIAL_REPORT_MAX_YEARS)
    if not form.is_valid():
        issued = CreditReport.objects.filter(subject=subject).exclude(kind=PUBLIC_REPORT).order_by("-generated_at")[:50]
        return render(request, "disclosure/my_reports.html", {"subject": subject, "subjects": subjects,
                                                              "reports": issued, "form": form}, status=400)
    params = {"from": form.cleaned_data["date_from"].isoformat(), "to": form.cleaned_data["date_to"].isoformat(),
              "categories": form.cleaned_data["categories"]}
    report = reports.issue_report(subject, request.user, base_url=request.build_absolute_uri("/"),
                                  kind=CreditReport.Kind.SPECIAL, params=params)
    messages.success(request, f"专项信用报告已生成：{report.number}，校验码 {report.check_code}。")
    return redirect(subject_url("disclosure:my-reports", subject))


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

