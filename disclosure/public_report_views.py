"""The free public credit report's download (``/subjects/<code>/report.pdf``). What goes in: ``public_report``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credit_platform.ratelimits import rate_limited
from disclosure import public_report


@require_GET
@never_cache  # every download is a new report (its own number and today's content): never served from a cache
@rate_limited("report")  # counted against RATELIMIT_REPORT and, with every public read, RATELIMIT_BULK
def public_report_pdf(request, code: str):
    """Anyone, no sign-in: the public edition of an organisation's credit report as a PDF download. A code that is
    not an organisation's with a public page (a natural person's included) is the subject page's 404."""
    subject = public_report.subject_for_public_report(code)
    if subject is None:
        return render(request, "disclosure/message.html", {
            "title": "未找到该主体",
            "message": "公开版公共信用信息报告只向法人和非法人组织提供。请从“信用查询”找到该单位，在其页面上下载。",
        }, status=404)
    issued = public_report.issue_public_report(subject, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
