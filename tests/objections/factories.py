"""Records to object to (pushed through the records app's own ingestion), evidence files, frozen time."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from records.models import Record
from records.services.ingest import ingest
from tests.records.factories import penalty

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def make_record(department, **overrides) -> Record:
    """One dishonesty record provided by ``department`` (the catalog fixture must make it a provider)."""
    payload = penalty(**overrides)
    result = ingest(department, [payload])
    assert not result.rejected, result.rejected
    return Record.objects.get(source_department=department, source_ref=payload["source_ref"])


def pdf(name: str = "证明.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def file_obj(content: bytes, name: str):
    f = io.BytesIO(content)
    f.name = name
    return f
