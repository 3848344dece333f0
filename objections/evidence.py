"""Evidence files (证明材料): PDF, PNG and JPEG only, size-limited, checked by extension AND by content.

The extension a browser sends and the ``Content-Type`` it claims are both under the uploader's control;
the first bytes of the file are what decide. A file whose content does not match its extension is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

from objections.conf import evidence_max_bytes, evidence_max_files

# content type -> (extensions, magic prefixes)
ALLOWED = {
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
}
ALLOWED_EXTENSIONS = tuple(ext for exts, _ in ALLOWED.values() for ext in exts)
ACCEPT_ATTR = ",".join(ALLOWED_EXTENSIONS + tuple(ALLOWED))


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for content_type, (_, magics) in ALLOWED.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file; raises ``ValidationError`` (code ``evidence_*``) with a Chinese message."""
    name = PurePath(getattr(upload, "name", "") or "").name[:200]
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"“{name}”的文件类型不被接受：证明材料只接受 PDF、PNG、JPEG 文件。", code="evidence_type"
        )
    size = getattr(upload, "size", None)
    limit = evidence_max_bytes()
    if size is None or size > limit:
        raise ValidationError(
            f"“{name}”超过大小上限 {limit // (1024 * 1024)} MB。", code="evidence_too_large"
        )
    if size == 0:
        raise ValidationError(f"“{name}”是空文件。", code="evidence_empty")
    upload.seek(0)
    head = upload.read(16)
    detected = sniff(head)
    if detected is None or ext not in ALLOWED[detected][0]:
        raise ValidationError(
            f"“{name}”的内容与扩展名不符或不是 PDF、PNG、JPEG 文件。", code="evidence_content"
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload=upload, name=name, content_type=detected, size=size, sha256=digest.hexdigest())


def check_uploads(uploads, *, already: int = 0) -> list[CheckedFile]:
    uploads = list(uploads or [])
    limit = evidence_max_files()
    if already + len(uploads) > limit:
        raise ValidationError(f"每件异议最多上传 {limit} 个证明材料文件。", code="evidence_too_many")
    return [check_upload(u) for u in uploads]
