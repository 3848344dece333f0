"""Factories for the sanctions tests: measure lists and measures, matters, subjects and records."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from catalog.models import CatalogItem, CatalogVersion
from credit_platform.identifiers import make_ric, make_uscc
from records.models import Record, RelatedPerson, Subject
from sanctions import services
from sanctions.models import Evaluation, Matter, Measure, MeasureList

_seq = itertools.count(1)


def matter(code: str = "government_procurement", name: str = "政府采购", **extra) -> Matter:
    obj, _ = Matter.objects.get_or_create(code=code, defaults={"name": name, **extra})
    return obj


def measure_list(level: str = MeasureList.Level.MUNICIPAL, **extra) -> MeasureList:
    n = next(_seq)
    return MeasureList.objects.create(
        title=extra.pop("title", f"克拉玛依市失信惩戒措施补充清单{n}"), level=level, version_label=f"2026-{n}",
        issuer="克拉玛依市发展和改革委员会", **extra,
    )


def measure(lst: MeasureList, *, matters=(), code: str | None = None, **fields) -> Measure:
    n = next(_seq)
    defaults = dict(
        name=f"限制参加政府采购活动{n}", kind="punishment", target="失信主体", target_types=["legal_person"],
        means="依法限制", implementer="市财政局", legal_basis="《中华人民共和国政府采购法》第二十二条",
        basis_level="law", trigger="record", tier="general", categories=["dishonesty"],
        severities=["general", "severe", "specific_severe"], rights_impact="rights",
    )
    defaults.update(fields)
    m = Measure.objects.create(measure_list=lst, code=code or f"M{n:04d}", **defaults)
    if matters:
        m.matters.set(matters)
    return m


def publish(lst: MeasureList, actor="test") -> MeasureList:
    if lst.level != MeasureList.Level.NATIONAL:
        services.open_public_comment(lst, actor=actor)
    services.approve_list(lst, actor=actor, approval_document="克政函〔2026〕9号")
    return services.publish_list(lst, actor=actor, effective_from=date(2026, 1, 1))


def org(name: str = "克拉玛依示例建设有限公司", **extra) -> Subject:
    return Subject.objects.create(type="legal_person", code_type="uscc", code=make_uscc("650200", 7000 + next(_seq)),
                                  name=name, **extra)


def person(name: str = "王五") -> Subject:
    return Subject.objects.create(type="natural_person", code_type="ric",
                                  code=make_ric("650203", date(1980, 3, 4), 100 + next(_seq)), name=name,
                                  birth_date=date(1980, 3, 4))


def related(organisation: Subject, who: Subject, role: str = "legal_representative") -> RelatedPerson:
    return RelatedPerson.objects.create(organisation=organisation, person=who, role=role)


def catalog_item(category: str = "dishonesty", *, matter_type: str = "administrative_penalty", providers=(),
                 published: bool = False, code: str | None = None) -> CatalogItem:
    status = "published" if published else "draft"
    version, _ = CatalogVersion.objects.get_or_create(
        title=f"奖惩测试目录-{status}", version_label="2026",
        defaults={"status": status, "published_at": timezone.now() if published else None,
                  "effective_from": date(2026, 1, 1) if published else None},
    )
    n = next(_seq)
    if published:  # a published version is frozen: add the item through a queryset-free path
        item = CatalogItem(version=version, code=code or f"S-{n:04d}", name=f"奖惩测试事项{n}", behaviour="测试",
                           category=category, matter_type=matter_type, data_source="测试", legal_basis="测试依据")
        CatalogItem.objects.bulk_create([item])
        item = CatalogItem.objects.get(version=version, code=item.code)
    else:
        item = CatalogItem.objects.create(version=version, code=code or f"S-{n:04d}", name=f"奖惩测试事项{n}",
                                          behaviour="测试", category=category, matter_type=matter_type,
                                          data_source="测试", legal_basis="测试依据")
    if providers:
        item.providers.set(providers)
    return item


def record(department, subject: Subject, *, category: str = "dishonesty", severity: str = "general",
           decided_on: date = date(2026, 6, 1), status: str = "active", item: CatalogItem | None = None,
           domain: str = "", **extra) -> Record:
    n = next(_seq)
    return Record.objects.create(
        subject=subject, catalog_item=item or catalog_item(category), category=category,
        severity=severity if category == "dishonesty" else "", source_department=department,
        source_ref=f"SX-{n:05d}", basis_number=f"克市监罚〔2026〕{n}号", basis_issuer="市市场监督管理局",
        basis_issued_on=decided_on, decided_on=decided_on, status=status, domain=domain, **extra,
    )


def push_mixed(department, subjects, per_subject: int, start: int = 0) -> list[int]:
    """``per_subject`` records for each subject — trust and dishonesty of every severity, of different ages — the
    ``start``-th onwards of the same sequence (a second push continues the first). Returns their ids."""
    severities = ("minor", "general", "severe", "specific_severe")
    ids = []
    for n, subject in enumerate(subjects):
        for k in range(start, start + per_subject):
            if (n + k) % 3 == 0:
                ids.append(record(department, subject, category="trust", decided_on=date(2025, 1 + k % 12, 3)).pk)
            else:
                ids.append(record(department, subject, severity=severities[(n + k) % 4],
                                  decided_on=date(2023 + k % 4, 1 + n % 12, 10)).pk)
    return ids


#: what an evaluation says (compared between the set-based, extended and one-by-one paths)
EVALUATION_FIELDS = ("score", "grade", "tier", "reasons", "model_version", "recompute_on")


def evaluations(subjects) -> dict[int, dict]:
    """{subject id: the evaluation's EVALUATION_FIELDS}"""
    return {e["subject_id"]: {k: e[k] for k in EVALUATION_FIELDS}
            for e in Evaluation.objects.filter(subject__in=subjects).values("subject_id", *EVALUATION_FIELDS)}
