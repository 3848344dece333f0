"""公共信用信息报告 and 专项信用报告 as PDF, with a number, a check code and a QR code to /verify/<number>.

Sections follow the national public credit information report standard (2022 edition). One renderer, one layout:
WeasyPrint from ``templates/disclosure/report_pdf.html``, which escapes every value (record content included) and
always draws the QR code. The CJK font ``disclosure.fonts`` finds (WenQuanYi Micro Hei in CI and the Docker image,
any installed CJK font elsewhere) is embedded (``pdffonts`` shows ``emb yes``); with none installed the report is
still produced, ``font_embedded`` is false and the admin, ``manage.py check`` and ``make run`` say how to install one.

Authenticity: ``check_code = HMAC(SECRET_KEY, number | SHA-256 of the report's content)``, printed in the report and
in its QR code; the SHA-256 of the PDF bytes is stored, so /verify/ can also confirm an uploaded file is unaltered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import querylog
from accounts.models import QueryLogEntry
from credit_platform.policies import active_policy
from credit_platform.privacy import mask_name
from disclosure.fonts import cjk_font
from disclosure.masking import mask_id, public_content
from disclosure.models import CreditReport
from disclosure.services import disclosable_records, own_records
from records.signals import report_assessments

# Platform settings (not statutory numbers): how long a report is valid, how far back a special report may look.
REPORT_VALID_DAYS = settings.DISCLOSURE_REPORT_VALID_DAYS
SPECIAL_REPORT_MAX_YEARS = settings.DISCLOSURE_SPECIAL_REPORT_MAX_YEARS

SECTIONS = (
    ("admin", "一、行政管理信息", "行政许可、行政处罚、行政强制、行政确认等信息"),
    ("trust", "二、诚实守信信息", "表彰奖励、志愿服务、慈善捐赠等守信信息"),
    ("severe_list", "三、严重失信主体名单信息", "被列入严重失信主体名单的信息"),
    ("abnormal", "四、经营异常信息", "被列入经营异常名录等信息"),
    ("commitment", "五、信用承诺信息", "信用承诺及履行情况"),
    ("evaluation", "六、信用评价信息", "公共信用综合评价等信息"),
    ("judicial", "七、司法判决信息", "司法判决与执行信息"),
    ("other", "八、其他信息", "其他公共信用信息"),
)

SPECIAL_CATEGORIES = (
    ("penalty", "行政处罚"),
    ("enforcement", "行政强制"),
    ("severe_list", "严重失信主体名单"),
    ("criminal", "刑事判决"),
)


def section_of(record) -> str:
    item = record.catalog_item
    matter = getattr(item, "matter_type", "")
    if record.category == "dishonesty" and record.severity in ("severe", "specific_severe"):
        return "severe_list"
    if "经营异常" in (item.name or ""):
        return "abnormal"
    if matter in ("administrative_licence", "administrative_penalty", "administrative_enforcement", "administrative_confirmation"):
        return "admin"
    if matter == "commitment":
        return "commitment"
    if matter == "evaluation":
        return "evaluation"
    if matter == "judicial":
        return "judicial"
    if record.category == "trust" or matter in ("commendation", "volunteer"):
        return "trust"
    return "other"


def special_category_of(record) -> str | None:
    item = record.catalog_item
    matter = getattr(item, "matter_type", "")
    content = record.content if isinstance(record.content, dict) else {}
    if record.category == "dishonesty" and record.severity in ("severe", "specific_severe"):
        return "severe_list"
    if matter == "administrative_penalty":
        return "penalty"
    if matter == "administrative_enforcement":
        return "enforcement"
    if matter == "judicial" and (record.criminal_liability or content.get("criminal_liability") is True
                                 or "刑事" in (item.name or "")):
        return "criminal"
    return None


def _summary(record) -> str:

    content = record.content if isinstance(record.content, dict) else {}
    content = public_content(content)  # the report travels to third parties: no personal fields
    for key in ("summary", "fact", "facts", "content", "reason", "title", "name", "违法事实", "处罚内容", "许可内容",
                "承诺事项", "表彰内容", "判决结果", "事由"):
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:160]
    return ""


STATUS_LABELS = {"repaired": "已修复", "expired": "公示期满", "revoked": "已撤销", "corrected": "已更正", "active": "有效"}


def record_row(record) -> dict:
    window = getattr(record, "window", None)
    return {
        "id": record.pk,
        "item": record.catalog_item.name,
        "category": record.get_category_display(),
        "severity": record.get_severity_display() if record.severity else "",
        "basis": " ".join(x for x in (record.basis_issuer, record.basis_number) if x),
        "decided_on": (record.decided_on or record.occurred_on or None),
        "source": record.source_department.name,
        "summary": _summary(record),
        "status": STATUS_LABELS.get(record.status, record.get_status_display()),
        "repaired": record.status == "repaired",
        "disputed": record.disputed,
        "public_until": record.public_until,
        "long_term": bool(window and window.long_term),
        "published": bool(window and window.published),
    }


def _assessment_row(row: dict) -> dict:
    """A row a ``report_assessments`` receiver returned, completed to the shape ``record_row`` gives the template."""
    return {
        "id": None, "category": "", "severity": "", "basis": "", "status": "", "repaired": False, "disputed": False,
        "public_until": None, "long_term": False, "published": False, **row,
    }


def _suggestions(rows_by_section: dict, profile) -> list[str]:
    out = []
    dishonest = [r for key in ("admin", "severe_list", "abnormal", "other") for r in rows_by_section.get(key, [])
                 if r["severity"] or key == "severe_list"]
    if dishonest:
        out.append(
            f"存在{len(dishonest)}条失信信息。纠正失信行为、履行法定义务并作出信用承诺后，可在最短公示期届满后申请信用修复"
            f"（{profile.repair_conditions.article}）。"
        )
    if any(r["disputed"] for rows in rows_by_section.values() for r in rows):
        out.append("报告中标注“异议”的信息正在核查处理中，处理结果将更新本报告内容。")
    if not rows_by_section.get("trust"):
        out.append("可通过信用承诺、志愿服务、慈善捐赠等方式积累守信信息。")
    if not out:
        out.append("信用状况良好，请继续保持。")
    return out


@dataclass
class ReportData:
    number: str
    kind: str
    subject: object
    subject_rows: list[tuple[str, str]]
    sections: list[dict]
    generated_at: object
    valid_until: date
    sources: list[str]
    suggestions: list[str]
    local: list[str]
    params: dict
    special_result: str = ""

    def content_digest(self) -> str:
        body = {
            "number": self.number, "kind": self.kind, "subject": self.subject.code,
            "generated_at": self.generated_at.isoformat(), "valid_until": self.valid_until.isoformat(),
            "sections": [[s["key"], [[r["id"], r["status"], str(r["public_until"])] for r in s["rows"]]] for s in self.sections],
            "params": self.params,
        }
        return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def new_number(now) -> str:
    return f"XY{timezone.localtime(now):%Y%m%d}{secrets.token_hex(5).upper()}"


def check_code_for(number: str, content_sha256: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{number}|{content_sha256}".encode(), hashlib.sha256).digest()
    code = base64.b32encode(mac).decode()[:16]
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def _subject_rows(subject) -> list[tuple[str, str]]:
    rows = [("名称/姓名", subject.name), ("主体类型", subject.get_type_display())]
    if subject.type == "natural_person":
        rows.append(("公民身份号码", mask_id(subject.code)))
    else:
        rows.append(("统一社会信用代码", subject.code))
        for rp in subject.related_persons.select_related("person").filter(until__isnull=True)[:5]:
            rows.append((rp.get_role_display(), mask_name(rp.person.name)))
    return rows


def build_report(subject, *, kind: str = CreditReport.Kind.STANDARD, params: dict | None = None, now=None) -> ReportData:
    profile = active_policy()
    now = now or timezone.now()
    params = dict(params or {})
    number = new_number(now)
    local_day = timezone.localtime(now).date()
    if kind == CreditReport.Kind.SPECIAL:
        start, end = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
        chosen = set(params["categories"])
        records = [
            r for r in own_records().filter(subject=subject).exclude(status="revoked").order_by("decided_on", "id")
            if (r.decided_on or r.occurred_on) and start <= (r.decided_on or r.occurred_on) <= end
            and special_category_of(r) in chosen
        ]
        sections = []
        for code, label in SPECIAL_CATEGORIES:
            if code in chosen:
                rows = [record_row(r) for r in records if special_category_of(r) == code]
                sections.append({"key": code, "title": label, "description": f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}", "rows": rows})
        total = sum(len(s["rows"]) for s in sections)
        labels = "、".join(label for code, label in SPECIAL_CATEGORIES if code in chosen)
        result = (
            f"经查询，{start:%Y年%m月%d日}至{end:%Y年%m月%d日}期间，该主体在{labels}方面无违法违规记录。"
            if total == 0 else
            f"经查询，{start:%Y年%m月%d日}至{end:%Y年%m月%d日}期间，该主体在{labels}方面有{total}条记录（详见下表；已修复的标注“已修复”）。"
        )
    else:
        records = list(
            disclosable_records(local_day).filter(subject=subject).order_by("-decided_on", "-id")
        ) + list(own_records().filter(subject=subject, window__suppressed=True, category="trust", window__state="active"))
        buckets: dict[str, list] = {}
        for r in records:
            buckets.setdefault(section_of(r), []).append(record_row(r))
        for _receiver, rows in report_assessments.send(sender=CreditReport, subject=subject, day=local_day):
            buckets.setdefault("evaluation", []).extend(_assessment_row(row) for row in rows or ())
        sections = [{"key": key, "title": title, "description": desc, "rows": buckets.get(key, [])} for key, title, desc in SECTIONS]
        result = ""
    rows_by_section = {s["key"]: s["rows"] for s in sections}
    sources = sorted({r.source_department.name for r in records})
    local = [
        f"本报告依据{profile.title}及国家公共信用信息报告标准生成，适用的公示期限规则见平台“适用规则”页面。",
        "标注“异议”的信息正在异议核查中；基础信息、守信信息可长期公示，失信信息公示期满后不再披露。",
    ]
    return ReportData(
        number=number, kind=kind, subject=subject, subject_rows=_subject_rows(subject), sections=sections,
        generated_at=now, valid_until=local_day + timedelta(days=REPORT_VALID_DAYS), sources=sources,
        suggestions=_suggestions(rows_by_section, profile) if kind == CreditReport.Kind.STANDARD else [],
        local=local, params=params, special_result=result,
    )


def verify_url(number: str, check_code: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{number}/?c={check_code}"


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def _fetch_only(allowed: set[str]):
    """WeasyPrint may load the font file and the inline QR code, nothing else (no file or network access from a
    report, whatever a record contains — record content is escaped by the template anyway)."""
    from weasyprint.urls import URLFetcher  # heavy optional library (Pango, fonts): loaded only to render a PDF

    class ReportFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"report rendering does not fetch {url[:80]}")

    return ReportFetcher(allowed_protocols={"data", "file"})


def render_pdf(data: ReportData, check_code: str, base_url: str) -> tuple[bytes, bool]:
    """PDF bytes and whether a CJK font is embedded. One renderer and one layout (``report_pdf.html``): with a CJK
    font installed it is embedded (``disclosure.fonts``); without one the same report is drawn, QR code included."""
    from weasyprint import HTML  # heavy optional library (Pango, fonts): loaded only to render a PDF
    from weasyprint.text.fonts import FontConfiguration

    url = verify_url(data.number, check_code, base_url)
    font = cjk_font()
    font_url = Path(font.path).resolve().as_uri() if font else ""
    html = render_to_string("disclosure/report_pdf.html", {
        "r": data, "check_code": check_code, "verify_url": url, "qr": qr_svg_data_uri(url),
        "font_family": font.family if font else "", "font_url": font_url,
        "special": data.kind == CreditReport.Kind.SPECIAL, "public": data.kind == CreditReport.Kind.PUBLIC,
        "policy": active_policy(),
    })
    fetcher = _fetch_only({font_url} if font_url else set())
    pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(font_config=FontConfiguration())
    return pdf, font is not None


@transaction.atomic
def issue_report(subject, user, *, base_url: str, kind: str = CreditReport.Kind.STANDARD, params: dict | None = None,
                 channel: str = QueryLogEntry.Channel.PORTAL) -> CreditReport:
    """Build, render, store and log one report (free and unlimited for the subject: Heilongjiang art. 25)."""
    data = build_report(subject, kind=kind, params=params)
    content_sha = data.content_digest()
    code = check_code_for(data.number, content_sha)
    pdf, embedded = render_pdf(data, code, base_url)
    report = CreditReport(
        number=data.number, kind=kind, subject=subject, subject_name=subject.name, generated_at=data.generated_at,
        valid_until=data.valid_until, requested_by=user if getattr(user, "pk", None) else None, params=data.params,
        content_sha256=content_sha, check_code=code, pdf_sha256=hashlib.sha256(pdf).hexdigest(), font_embedded=embedded,
    )
    report.pdf.save(f"{data.number}.pdf", ContentFile(pdf), save=False)
    report.save()
    querylog.append(
        actor=user, subject=subject,
        action=QueryLogEntry.Action.SPECIAL_REPORT if kind == CreditReport.Kind.SPECIAL else QueryLogEntry.Action.REPORT,
        scope=data.params.get("categories") or ["full"], channel=channel, purpose="self", purpose_label="本人获取信用报告",
        reference=data.number,
    )
    return report


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str
    report: CreditReport | None = None
    expired: bool = False
    file_matches: bool | None = None


def _sha256_of(uploaded) -> str:
    """SHA-256 of bytes or of an uploaded file, read chunk by chunk (never the whole file in memory)."""
    if isinstance(uploaded, (bytes, bytearray)):
        return hashlib.sha256(uploaded).hexdigest()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def normalise_check_code(check_code: str) -> str:
    """As people type it: any case, with or without the dashes or spaces → ``ABCD-EFGH-IJKL-MNOP``."""
    raw = "".join(ch for ch in (check_code or "").upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def verify(number: str, check_code: str, uploaded=None) -> Verification:
    """Check a report's number and check code; with ``uploaded`` (bytes or an uploaded file) also that the file is the
    one the platform handed out."""
    number = (number or "").strip().upper()
    code = normalise_check_code(check_code)
    if not number or not code:
        return Verification(False, "请输入报告编号和校验码。")
    report = CreditReport.objects.filter(number=number).first()
    if report is None or not hmac.compare_digest(report.check_code, code):
        return Verification(False, "报告编号或校验码不正确：未找到与之相符的报告。请核对报告首页表格中的“报告编号”和“校验码”两栏（校验码可不输入短横线，不区分大小写）。")
    if not hmac.compare_digest(report.check_code, check_code_for(report.number, report.content_sha256)):
        return Verification(False, "该报告的存档记录校验失败，请联系市社会信用中心。")
    expired = report.valid_until < timezone.localdate()
    matches = None
    if uploaded is not None:
        matches = hmac.compare_digest(_sha256_of(uploaded), report.pdf_sha256)
    message = "报告真实有效。" if not expired else f"报告真实，但已于{report.valid_until:%Y年%m月%d日}超过有效期，请申请人重新获取。"
    if matches is False:
        message = "报告编号和校验码真实，但上传的文件与平台出具的文件不一致：文件可能被修改。"
    elif matches:
        message += "上传的文件与平台出具的原件完全一致，未被修改。"
    return Verification(matches is not False, message, report, expired, matches)
