"""Which subject a signed-in portal user acts for on the own-record pages (``/my/…``): chosen by its opaque handle
(``?subject=…``, never the identifier) or kept in the session; the person themselves by default. Used by the
disclosure pages and by the portal's combined ``/my/`` page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.identity import dev_check_enabled
from accounts.links import (
    primary_subject,
    resolve_pending_links,
    subject_for_handle,
    subject_handle,
    subjects_for_user,
)
from credit_platform.privacy import looks_like_organisation_code

SESSION_SUBJECT = "portal_subject"


def chosen_subject(request):
    """``(subject, subjects)``: the subject the user acts for and every subject they may act for (each with its
    ``handle``). A handle that is not one of the user's subjects (or an old-style identifier) is a 404."""
    resolve_pending_links(request.user)
    subjects = list(subjects_for_user(request.user).order_by("type", "name"))
    for s in subjects:
        s.handle = subject_handle(request.user, s)
    wanted = request.GET.get("subject") or request.POST.get("subject")
    chosen = None
    if wanted:
        chosen = subject_for_handle(request.user, wanted, subjects)
        if chosen is None and looks_like_organisation_code(wanted):
            # An organisation's USCC is public (older links and API clients send it); a person's number never is.
            chosen = next((s for s in subjects if s.code == wanted.strip().upper()), None)
        if chosen is None:
            raise Http404("您无权查看该主体的信息。")
        request.session[SESSION_SUBJECT] = chosen.pk
    else:
        kept = request.session.get(SESSION_SUBJECT)
        chosen = next((s for s in subjects if s.pk == kept), None)
    if chosen is None:
        primary = primary_subject(request.user)
        chosen = next((s for s in subjects if primary is not None and s.pk == primary.pk), None)
    return chosen, subjects


def no_subject_page(request):
    """The answer when the account acts for no subject yet: where to verify or bind one."""
    if dev_check_enabled():
        link, link_text = reverse("disclosure:register"), "实名注册"
    else:
        link, link_text = reverse("disclosure:add-enterprise"), "绑定单位"
    return render(request, "disclosure/message.html", {
        "title": "尚未关联信用主体",
        "message": "您的账号尚未完成实名认证或平台尚无您的信用信息。",
        "link": link, "link_text": link_text,
    })


def subject_url(name: str, subject) -> str:
    """The URL ``name`` for ``subject``, by its handle."""
    return f"{reverse(name)}?subject={subject.handle}"
