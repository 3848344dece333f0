"""The citizen-portal pages that combine several apps: ``/my/`` (one's own record with the repair notice beside each
dishonesty record, the agent letters and the trust opt-out) and ``/lists/mine/`` (one's memberships of the red and
severe lists, commitments, interviews, the 公共信用综合评价, and the statement-and-defence form)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import agents, querylog
from accounts.links import subjects_for_user
from accounts.models import QueryLogEntry
from credit_platform.exceptions import DomainError
from credit_platform.policies import active_policy
from disclosure import services as disclosure_services
from disclosure.portal_subject import chosen_subject, no_subject_page
from disclosure.presenters import own_record_rows
from repair.eligibility import requirements
from repair.notice import notice_summaries
from sanctions import documents, services as sanctions_services
from sanctions.models import Commitment, Defence, Evaluation, Interview, RedListEntry, SevereListEntry

# --- /my/ -----------------------------------------------------------------------------------------------------


@login_required
def my_record(request):
    subject, subjects = chosen_subject(request)
    if subject is None:
        return no_subject_page(request)
    records = list(disclosure_services.own_records().filter(subject=subject).order_by("-decided_on", "-id"))
    querylog.append(actor=request.user, subject=subject, action=QueryLogEntry.Action.OWN_RECORD, scope=["full"],
                    channel=QueryLogEntry.Channel.PORTAL, purpose="self", purpose_label="本人查询")
    rows = own_record_rows(records)
    repair_requirements = _attach_repair_notices(rows, records, request.user)
    today = timezone.localdate()
    letters = list(agents.letters_for(request.user, subject)[:50])
    for letter in letters:
        letter.shown_status = letter.display_status(today)
        letter.revocable = letter.is_in_force(today) and agents.may_revoke(request.user, letter)
    return render(request, "portal/my_record.html", {
        "subject": subject, "subjects": subjects, "rows": rows, "repair_requirements": repair_requirements,
        "opt_out": disclosure_services.active_opt_out(subject), "policy": active_policy(), "letters": letters,
    })


def _attach_repair_notices(rows: list[dict], records: list, user) -> list[dict]:
    """两书同达 (国办发〔2025〕22号, NDRC Order 36): the repair notice is shown to the subject with each dishonesty
    record — what a repair needs, the earliest date, the notice and the application. Showing it records the first
    delivery. Batched (a constant number of queries for any number of records). Returns the profile's repair
    conditions (the same for every record), or nothing when no record has a notice."""
    summaries = notice_summaries(records, viewer=user)
    for row in rows:
        row["repair"] = summaries.get(row["id"])
    return requirements(active_policy()) if summaries else []


# --- /lists/mine/ ---------------------------------------------------------------------------------------------

VISIBLE_TO_SUBJECT = [SevereListEntry.Status.NOTIFIED, SevereListEntry.Status.LISTED, SevereListEntry.Status.NOT_LISTED,
                      SevereListEntry.Status.REMOVED]


@login_required
def lists_mine(request):
    subjects = list(subjects_for_user(request.user).order_by("type", "name"))
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
            "route": sanctions_services.commitment_route_for(subject),
        })
    return render(request, "portal/lists_mine.html", {"rows": rows})


class PortalDefenceForm(forms.Form):
    statement = forms.CharField(label="陈述申辩意见", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    evidence = forms.CharField(label="事实、理由和证据（说明或清单）", widget=forms.Textarea(attrs={"rows": 4}),
                               required=False, max_length=10000)


def _my_entry(request, pk: int) -> SevereListEntry:
    """A severe-list entry of one of the user's subjects, in a state the subject is told about; otherwise a 404."""
    entry = SevereListEntry.objects.filter(pk=pk, status__in=VISIBLE_TO_SUBJECT).select_related(
        "subject", "department").first()
    if entry is None or not subjects_for_user(request.user).filter(pk=entry.subject_id).exists():
        raise Http404
    return entry


@login_required
def my_severe(request, pk: int):
    entry = _my_entry(request, pk)
    can_defend = entry.status == SevereListEntry.Status.LISTED or entry.status == SevereListEntry.Status.NOTIFIED
    form = PortalDefenceForm(request.POST or None) if can_defend else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            sanctions_services.submit_defence(entry, statement=form.cleaned_data["statement"],
                                              evidence=form.cleaned_data["evidence"], user=request.user,
                                              channel=Defence.Channel.PORTAL)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "陈述申辩已提交，认定单位将进行复核并告知结果。")
            return redirect("sanctions:my-severe", pk=entry.pk)
    return render(request, "portal/my_severe.html", {
        "entry": entry, "form": form, "defences": entry.defences.all(),
        "records": entry.records.select_related("catalog_item"), "measures": entry.measures.all(),
        "policy": active_policy(),
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
