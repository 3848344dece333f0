"""Portal pages: the public red and severe lists, the published measure lists (with comment on drafts) and public
commitments. A subject's own memberships, notices and statement-and-defence form are the portal app's (/lists/mine/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from credit_platform.policies import active_policy
from sanctions import implementation as implementation_report
from sanctions.models import (
    Commitment,
    MeasureComment,
    MeasureList,
    RedListEntry,
    SevereListEntry,
)

PAGE_SIZE = 50


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
