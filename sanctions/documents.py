"""Documents of the listing procedure: the prior notice (告知书) and the decision (决定书), as HTML and PDF.

The decision states the reasons, basis, measures, term, removal conditions and procedure, and remedies (Karamay
art. 15, Heilongjiang art. 38, Qufu art. 56, Zhangye art. 47; 国办发〔2020〕49号); where the profile requires it, the
repair notice is delivered with it (两书同达, 国办发〔2025〕22号).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from credit_platform.policies import active_policy
from credit_platform.policies.labels import code_label

FONT_FAMILY = "WenQuanYi Micro Hei"


def render_pdf(html: str, base_url: str | None = None) -> bytes | None:
    """HTML → PDF with WeasyPrint (the CJK font is embedded when ``fonts-wqy-microhei`` is installed); ``None`` when
    WeasyPrint is not installed (callers then serve the HTML)."""
    try:  # imported here: WeasyPrint is heavy (cairo, pango) and only the PDF views need it
        from weasyprint import HTML
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency; kept for slim installs
        return None
    return HTML(string=html, base_url=base_url).write_pdf()


def _context(entry) -> dict:
    policy = active_policy()
    records = list(entry.records.select_related("catalog_item"))
    measures = list(entry.measures.select_related("measure_list"))
    repair = None
    if policy.repair_notice_with_decision.value:
        repair = {
            "conditions": [code_label(c) for c in policy.repair_conditions.value],
            "min_months": policy.repair_min_for("severe"),
            "article": policy.repair_notice_with_decision.article,
            "conditions_article": policy.repair_conditions.article,
        }
    stop = policy.severe_list_publicity_stop_days
    return {
        "entry": entry, "records": records, "measures": measures, "policy": policy, "repair": repair,
        "font_family": FONT_FAMILY, "defences": list(entry.defences.all()),
        "prior_notice_article": policy.severe_list_prior_notice.article,
        "linked_article": policy.severe_list_linked_persons.article,
        "linked_roles": [code_label(c) for c in policy.severe_list_linked_persons.value],
        # Fuzhou art. 18 only allows the persons to be noted ("可以标明"), never recorded on them.
        "linked_recorded": bool(policy.linked_persons_recorded.value),
        "publicity_stop": stop, "generated_at": timezone.now(),
    }


def decision_html(entry) -> str:
    return render_to_string("sanctions/decision_document.html", _context(entry))


def notice_html(entry) -> str:
    return render_to_string("sanctions/notice_document.html", _context(entry))


def decision_pdf(entry) -> bytes | None:
    return render_pdf(decision_html(entry))


def notice_pdf(entry) -> bytes | None:
    return render_pdf(notice_html(entry))
