"""Evidence uploads: PDF and images only, recognised by their content (not their name or the browser's
content type), size- and count-limited, stored under a random name in the private evidence storage."""

from __future__ import annotations

import hashlib

from repair import conf

# magic bytes → (content type, canonical suffix)
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class EvidenceError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, suffix in SIGNATURES:
        if head.startswith(magic):
            return content_type, suffix
    return None


def inspect(upload) -> tuple[str, str, int, str]:
    """``(content_type, suffix, size, sha256)`` of an uploaded file, or :class:`EvidenceError`."""
    size = upload.size
    if size is None or size <= 0:
        raise EvidenceError("evidence_empty", f"文件“{upload.name}”为空。")
    if size > conf.evidence_max_bytes():
        raise EvidenceError(
            "evidence_too_large", f"文件“{upload.name}”超过大小限制（{conf.evidence_max_bytes() // (1024 * 1024)} MB）。"
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    if kind is None:
        raise EvidenceError("evidence_type", f"文件“{upload.name}”不是 PDF 或 JPEG/PNG 图片。")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind[0], kind[1], size, digest.hexdigest()
