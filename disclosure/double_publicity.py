"""双公示: the public search across every administrative licence and penalty in its publicity period.

信用中国 and the provincial portals offer it beside the subject search: a bank checking a supplier's penalties, or a
citizen checking that a shop holds its licence, searches the decisions themselves — by the organisation's name or
code, or by the decision's document number — and narrows by kind, by the deciding department and by date.
Only what ``services.public_records`` shows appears here, through the same public row (masked, personal fields
dropped), so this page can never show more than the subject pages do.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from catalog.models import MatterType
from credit_platform.models import Department
from credit_platform.paging import CappedPage, capped_page
from disclosure import services
from disclosure.masking import public_subject_name
from disclosure.presenters import public_record_row

KINDS = (("licence", "行政许可"), ("penalty", "行政处罚"))
MATTER_OF_KIND = {"licence": MatterType.LICENCE, "penalty": MatterType.PENALTY}
PAGE_SIZE = 20
COUNT_CAP = 1000  # past this the page says "more than 1,000" instead of counting every row of a city's decisions


@dataclass(frozen=True)
class DoublePublicityQuery:
    """A validated search: every field optional; ``errors`` maps a field to why it was ignored."""

    text: str = ""
    kind: str = ""
    department: Department | None = None
    date_from: date | None = None
    date_to: date | None = None


def departments_with_publicity() -> QuerySet:
    """Departments that provide licence or penalty items, for the filter's choices."""
    return Department.objects.filter(
        catalog_items__matter_type__in=tuple(MATTER_OF_KIND.values())
    ).distinct().order_by("code")


def parse_query(params) -> tuple[DoublePublicityQuery, dict[str, str]]:
    """Read the form's GET parameters; a bad value is ignored with a field-level message, never an error page."""
    errors: dict[str, str] = {}
    text = (params.get("q") or "").strip()[:100]
    kind = params.get("kind") or ""
    if kind and kind not in MATTER_OF_KIND:
        errors["kind"] = "信息类别只能是行政许可或行政处罚。"
        kind = ""
    department = None
    if params.get("department"):
        department = departments_with_publicity().filter(code=params["department"][:32]).first()
        if department is None:
            errors["department"] = "没有这个决定机关。"
    dates = {}
    for field in ("date_from", "date_to"):
        raw = (params.get(field) or "").strip()
        if raw:
            try:
                dates[field] = date.fromisoformat(raw)
            except ValueError:
                errors[field] = "日期格式应为 YYYY-MM-DD。"
    if dates.get("date_from") and dates.get("date_to") and dates["date_from"] > dates["date_to"]:
        errors["date_to"] = "结束日期不能早于开始日期。"
        dates.pop("date_to")
    return DoublePublicityQuery(text, kind, department, dates.get("date_from"), dates.get("date_to")), errors


def matching_records(query: DoublePublicityQuery) -> QuerySet:
    """Public licences and penalties matching the query, newest decision first."""
    matters = [MATTER_OF_KIND[query.kind]] if query.kind else list(MATTER_OF_KIND.values())
    qs = services.public_records().filter(catalog_item__matter_type__in=matters).select_related("subject")
    if query.text:
        code = query.text.upper()
        text_match = Q(subject__name__contains=query.text) | Q(basis_number__contains=query.text)
        if len(code) == 18 and code.isalnum():
            text_match |= Q(subject__code=code)
        qs = qs.filter(text_match)
    if query.department is not None:
        qs = qs.filter(source_department=query.department)
    if query.date_from:
        qs = qs.filter(decided_on__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(decided_on__lte=query.date_to)
    return qs.order_by("-decided_on", "-id")


def search(query: DoublePublicityQuery, page: int | str | None = 1) -> CappedPage:
    """One page of rows (the public record row plus the subject's public name and code) with an honest total."""
    found = capped_page(matching_records(query), page, per_page=PAGE_SIZE, cap=COUNT_CAP)
    rows = [
        dict(public_record_row(record), kind_label=record.catalog_item.get_matter_type_display(),
             subject_code=record.subject.code,
             subject_name=public_subject_name(record.subject.name, record.subject.type))
        for record in found.items
    ]
    return dataclasses.replace(found, items=rows)
