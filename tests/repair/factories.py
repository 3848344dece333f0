"""Factories for the repair tests: a catalog item, a subject, a dishonesty record, an application."""

from __future__ import annotations

import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import CatalogItem, CatalogVersion
from records.models import Record, Subject

_seq = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "proof.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def catalog_item(*, repairable: bool = True, domain: str = "", category: str = "dishonesty", code: str | None = None) -> CatalogItem:
    version, _ = CatalogVersion.objects.get_or_create(title="测试目录", version_label="2026", defaults={"status": "draft"})
    n = next(_seq)
    return CatalogItem.objects.create(
        version=version, code=code or f"ITEM{n:04d}", name=f"测试事项{n}", behaviour="测试行为", category=category,
        domain=domain, data_source="行政处罚决定书", legal_basis="《中华人民共和国行政处罚法》", repairable=repairable,
    )


def subject(name: str = "克拉玛依示例能源有限公司", code: str | None = None, type: str = "legal_person") -> Subject:
    n = next(_seq)
    return Subject.objects.create(type=type, code_type="uscc", code=code or f"91650200MA{n:07d}X", name=name)


def record(department, *, subj: Subject | None = None, item: CatalogItem | None = None, severity: str = "general",
           decided_on: date = date(2026, 1, 15), status: str = "active", domain: str = "", public_until: date | None = None,
           public_from: date | None = None, category: str = "dishonesty", **extra) -> Record:
    n = next(_seq)
    item = item or catalog_item(domain=domain, category=category)
    return Record.objects.create(
        subject=subj or subject(), catalog_item=item, category=category, severity=severity, source_department=department,
        source_ref=f"CF-{n:05d}", basis_number=f"克市监罚〔2026〕{n}号", basis_issuer="市市场监督管理局",
        basis_issued_on=decided_on, decided_on=decided_on, status=status, domain=domain,
        public_from=public_from or decided_on, public_until=public_until, **extra,
    )


def link_citizen(user, subj: Subject) -> None:
    """Let a portal user act for a subject (the disclosure app's verified link), or skip if it is absent."""
    from accounts.models import SubjectLink

    SubjectLink.objects.create(user=user, code_type=subj.code_type, code=subj.code, name=subj.name,
                               role="agent" if subj.code_type == "uscc" else "self")
