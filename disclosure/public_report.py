"""公共信用信息报告（公开版）: the free public credit report anyone may download for an organisation (信用中国-style).

What goes into it — the business rules of this module:

* Only organisations (法人、非法人组织、个体工商户), exactly those with a public subject page; natural persons never
  (their personal information is not opened to the public: 《黑龙江省社会信用条例（征求意见稿）》第二十四条; no
  existence oracle either, so a person's number answers like an unknown code).
* Only what the public subject page shows, nothing a right to know would add: the registration facts and the current
  related persons (names masked), and every record in its publicity window (``services.public_records``: catalogued
  as public, window active, not suppressed). 依法应当公开的公共信用信息向社会公开公示 — 《克拉玛依市社会信用条例》
  第十九条; 按照法律、法规和国家规定应当公示的公共信用信息，进行无条件开放 —《黑龙江省社会信用条例（征求意见稿）》第二十四条
  第一款. Conditional (有条件公开) and non-public records, records past their window, the 公共信用综合评价 (given
  to the subject and to financial institutions for reference only: 《克拉玛依市社会信用条例》第二十七条) and anything
  personal (responsible persons' identity numbers, addresses, phones: ``masking.public_content``) stay out.
* Free of charge, like every public disclosure (《克拉玛依市社会信用条例》第十九条第一款 “免费向社会披露”).
* The same authenticity as the subject's own report (``reports``): a number, a check code bound to the content, the
  QR code to /verify/ and the SHA-256 of the PDF handed out, so /verify/ checks it exactly as it checks the others.
  The PDF itself is not kept (anyone may ask for one, any number of times; the next download is a new report with
  today's content); its digest is, so an uploaded copy can still be confirmed unaltered.
* Not entered in the subject's query log: it discloses nothing beyond the public page, which is not logged either
  (the log records queries of information that is not open to everyone: 黑龙江第二十五条).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from credit_platform.policies import active_policy
from disclosure import reports, services
from disclosure.masking import public_subject_name
from disclosure.models import CreditReport
from disclosure.presenters import public_record_row, registration_facts, related_persons_public

PUBLIC_KIND = CreditReport.Kind.PUBLIC

# The national report standard's sections (``reports.SECTIONS``) less 信用评价, which is not public (Karamay art. 27).
NOT_PUBLIC_SECTIONS = ("evaluation",)
_NUMERALS = "一二三四五六七八九十"

LEGAL_BASIS = (
    "《克拉玛依市社会信用条例》第十九条：公共信用信息通过依法公开等方式免费向社会披露；依法应当公开的公共信用信息向社会公开公示。"
)


def public_sections() -> list[tuple[str, str, str]]:
    """(key, numbered title, description) of the public edition's sections, in the standard's order."""
    kept = [(key, title.split("、", 1)[1], desc) for key, title, desc in reports.SECTIONS if key not in NOT_PUBLIC_SECTIONS]
    return [(key, f"{_NUMERALS[i]}、{title}", desc) for i, (key, title, desc) in enumerate(kept)]


def subject_for_public_report(code: str):
    """The organisation whose public page is at ``/subjects/<code>/``; None for anything else (natural persons too)."""
    return services.find_public_subject(code)


def _content_line(content: dict) -> str:
    return "；".join(f"{key}：{value}" for key, value in content.items() if value not in (None, "", [], {}))


def _row(record) -> dict:
    """A public record as the report's row: exactly the fields the public page shows, through the same masking."""
    public = public_record_row(record)
    return {
        "id": public["id"],
        "item": public["catalog_item_name"],
        "category": public["category_label"],
        "severity": public["severity_label"],
        "basis": " ".join(x for x in (public["basis_issuer"], public["basis_number"]) if x),
        "decided_on": public["decided_on"],
        "source": public["source_department"],
        "summary": _content_line(public["content"]) if isinstance(public["content"], dict) else "",
        "status": "公示中",
        "repaired": False,
        "disputed": public["disputed"],
        "public_until": public["public_until"],
        "long_term": public["long_term"],
        "published": True,
    }


def _subject_rows(subject, records) -> list[tuple[str, str]]:
    rows = [
        ("名称", public_subject_name(subject.name, subject.type)),
        ("主体类型", subject.get_type_display()),
        ("统一社会信用代码", subject.code),
    ]
    rows += [(p["role_label"], p["name"]) for p in related_persons_public(subject)]
    rows += [(fact["label"], str(fact["value"])) for fact in registration_facts(subject, records)]
    return rows


def build_public_report(subject, *, now=None) -> reports.ReportData:
    """The public edition's content for ``subject`` today (an organisation: see ``subject_for_public_report``)."""
    if subject.type == "natural_person":  # defence in depth: the view never gets here for a person
        raise ValueError("a natural person has no public credit report")
    profile = active_policy()
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    records = list(services.public_records(day).filter(subject=subject).order_by("-decided_on", "-id"))
    buckets: dict[str, list] = {}
    for record in records:
        buckets.setdefault(reports.section_of(record), []).append(_row(record))
    sections = [{"key": key, "title": title, "description": desc, "rows": buckets.get(key, [])}
                for key, title, desc in public_sections()]
    local = [
        ("本报告为公开版，只载明平台向社会公开公示的信息（与平台“信用查询”中该主体页面所示一致）：登记信息和处于公示期内的"
         "公共信用信息。有条件公开、不予公开的信息及公共信用综合评价不在本报告内；信用主体可登录平台免费获取本单位"
         "完整的公共信用信息报告。"),
        f"依据：{LEGAL_BASIS}适用规则：{profile.title}。",
        "标注“异议处理中”的信息正在异议核查中；失信信息公示期满后不再公示。个人信息已按规定脱敏。",
    ]
    return reports.ReportData(
        number=reports.new_number(now), kind=PUBLIC_KIND, subject=subject, subject_rows=_subject_rows(subject, records),
        sections=sections, generated_at=now, valid_until=day + timedelta(days=reports.REPORT_VALID_DAYS),
        sources=sorted({r.source_department.name for r in records}), suggestions=[], local=local,
        params={"edition": "public"},
    )


@dataclass(frozen=True)
class IssuedPublicReport:
    report: CreditReport
    pdf: bytes

    @property
    def filename(self) -> str:
        return f"{self.report.number}.pdf"


@transaction.atomic
def issue_public_report(subject, *, base_url: str) -> IssuedPublicReport:
    """Build, render and register one public report (number, check code, digests) and hand back its PDF."""
    data = build_public_report(subject)
    content_sha = data.content_digest()
    code = reports.check_code_for(data.number, content_sha)
    pdf, embedded = reports.render_pdf(data, code, base_url)
    report = CreditReport.objects.create(
        number=data.number, kind=PUBLIC_KIND, subject=subject, subject_name=subject.name,
        generated_at=data.generated_at, valid_until=data.valid_until, requested_by=None, params=data.params,
        content_sha256=content_sha, check_code=code, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        font_embedded=embedded,
    )
    return IssuedPublicReport(report, pdf)
