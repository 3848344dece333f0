"""Portal pages: the public red and severe lists, the published measure lists (with comment on drafts), public
commitments, and a subject's own memberships, notices and statement-and-defence form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.links import subjects_for_user
from credit_platform.exceptions import DomainError
from credit_platform.policies import active_policy

from sanctions import documents, services
from sanctions import implementation as implementation_report
from sanctions.models import (
    Commitment,
    Defence,
    Evaluation,
    Interview,
    MeasureComment,
    MeasureList,
    RedListEntry,
    SevereListEntry,
)

PAGE_SIZE = 50


def subjects_for(user):
    """The subjects a portal user may act for (the accounts app decides)."""
    return subjects_for_user(user)


def _search(qs, q: str):
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(subject__name__icontains=q) | Q(subject__code__iexact=q))
    return qs


def red_list(request):
    qs = RedListEntry.objects.filter(status=RedListEntry.Status.LISTED, public=True).select_related("subject", "department")
    qs = _search(qs, request.GET.get("q")).order_by("-listed_at")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sanctions/red_list.html", {"page": page, "q": request.GET.get("q", ""),
                                                        "policy": active_policy()})


def severe_list(request):
    qs = SevereListEntry.objects.filter(public=True).exclude(subject__type="natural_person").select_related(
        "subject", "department").prefetch_related("measures")
    qs = _search(qs, request.GET.get("q")).order_by("-listed_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sanctions/severe_list.html", {"page": page, "q": request.GET.get("q", ""),
                                                           "policy": active_policy()})


def measure_lists(request):
    lists = MeasureList.objects.filter(status__in=[MeasureList.Status.PUBLISHED, MeasureList.Status.PUBLIC_COMMENT])
    return render(request, "sanctions/measure_lists.html", {"lists": lists.order_by("status", "level", "-published_at")})


class CommentForm(forms.ModelForm):
    class Meta:
        model = MeasureComment
        fields = ("author", "organisation", "content")
        labels = {"author": "姓名", "organisation": "单位（可不填）", "content": "意见和建议"}


def measure_list_detail(request, pk: int):
    lst = get_object_or_404(MeasureList, pk=pk, status__in=[MeasureList.Status.PUBLISHED, MeasureList.Status.PUBLIC_COMMENT,
                                                           MeasureList.Status.REPEALED])
    form = None
    if lst.status == MeasureList.Status.PUBLIC_COMMENT:
        form = CommentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.save(commit=False)
            comment.measure_list = lst
            comment.save()
            messages.success(request, "意见已提交，感谢您的参与。")
            return redirect("sanctions:measure-list", pk=lst.pk)
    measures = lst.measures.prefetch_related("matters").order_by("kind", "sort_order", "code")
    return render(request, "sanctions/measure_list.html", {"lst": lst, "measures": measures, "form": form})


def commitments(request):
    qs = Commitment.objects.filter(public=True).exclude(subject__type="natural_person").select_related(
        "subject", "department", "matter")
    qs = _search(qs, request.GET.get("q")).order_by("-made_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "sanctions/commitments.html", {"page": page, "q": request.GET.get("q", ""),
                                                           "policy": active_policy()})


VISIBLE_TO_SUBJECT = [SevereListEntry.Status.NOTIFIED, SevereListEntry.Status.LISTED, SevereListEntry.Status.NOT_LISTED,
                      SevereListEntry.Status.REMOVED]


@login_required
def mine(request):
    subjects = list(subjects_for(request.user).order_by("type", "name"))
    rows = []
    for subject in subjects:
        rows.append({
            "subject": subject,
            "red": RedListEntry.objects.filter(subject=subject).select_related("department").order_by("-listed_at"),
            "severe": SevereListEntry.objects.filter(subject=subject, status__in=VISIBLE_TO_SUBJECT).select_related(
                "department").order_by("-created_at"),
            "commitments": Commitment.objects.filter(subject=subject).select_related("department").order_by("-made_on"),
            "interviews": Interview.objects.filter(subject=subject).select_related("department").order_by("-held_on"),
            "evaluation": Evaluation.objects.filter(subject=subject).first(),
            "route": services.commitment_route_for(subject),
        })
    return render(request, "sanctions/mine.html", {"rows": rows})


class PortalDefenceForm(forms.Form):
    statement = forms.CharField(label="陈述申辩意见", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    evidence = forms.CharField(label="事实、理由和证据（说明或清单）", widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, max_length=10000)


def _my_entry(request, pk: int) -> SevereListEntry:
    entry = SevereListEntry.objects.filter(pk=pk, status__in=VISIBLE_TO_SUBJECT).select_related(
        "subject", "department").first()
    if entry is None or not subjects_for(request.user).filter(pk=entry.subject_id).exists():
        raise Http404
    return entry


@login_required
def my_severe(request, pk: int):
    entry = _my_entry(request, pk)
    can_defend = entry.status == SevereListEntry.Status.LISTED or entry.status == SevereListEntry.Status.NOTIFIED
    form = PortalDefenceForm(request.POST or None) if can_defend else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.submit_defence(entry, statement=form.cleaned_data["statement"],
                                    evidence=form.cleaned_data["evidence"], user=request.user,
                                    channel=Defence.Channel.PORTAL)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "陈述申辩已提交，认定单位将进行复核并告知结果。")
            return redirect("sanctions:my-severe", pk=entry.pk)
    return render(request, "sanctions/my_severe.html", {
        "entry": entry, "form": form, "defences": entry.defences.all(), "records": entry.records.select_related("catalog_item"),
        "measures": entry.measures.all(), "policy": active_policy(),
    })


@login_required
def my_document(request, pk: int, kind: str):
    entry = _my_entry(request, pk)
    if kind == "notice" and entry.notice_number:
        html = documents.notice_html(entry)
    elif kind == "decision" and entry.decision_number and entry.source != SevereListEntry.Source.LINKED:
        html = documents.decision_html(entry)
    else:
        raise Http404
    pdf = documents.render_pdf(html)
    if pdf is None:
        return HttpResponse(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{kind}-{entry.pk}.pdf"'
    return response


def implementation(request):
    """Qufu art. 41: each department's joint-check feedback — applied, or not applied with its written reason."""
    report = implementation_report
    if report.duty_article() is None:
        raise Http404("适用规则未规定公开联合奖惩实施情况")
    try:
        period = report.parse_period(request.GET.get("period"))
    except ValueError:
        period, error = None, "月份格式应为 YYYY-MM，已显示最近一期。"
    else:
        error = ""
    current = report.published(period) or (report.published() if period else None)
    if period and current and current.period != period:
        error = f"{period:%Y年%m月}尚无通报，已显示最近一期。"
    return render(request, "sanctions/implementation.html", {
        "report": current, "periods": report.periods(), "error": error, "article": report.duty_article(),
    })
