"""Evidence files (证明材料) for every app that takes them (objections, repair): one checker and one private storage.

A file is accepted only if it is a PDF, PNG or JPEG by its **content** (the first bytes), its name has a matching
extension, it is not empty and not over the app's size cap; the browser's claimed ``Content-Type`` and the name
alone are under the uploader's control and decide nothing. The checker is the stricter of the two the apps had
(objections checked the extension and the content; repair only the content): a file must pass both.

Each app keeps its own limits (settings) and its own wording and codes through an :class:`EvidenceRules`; a refusal
is a :class:`~credit_platform.exceptions.DomainError` on the app's upload field.

Files are kept in a :class:`PrivateStorage`: outside ``MEDIA_ROOT``, no ``base_url`` (nothing can build a public link
to a file), the location read from the settings on every use (so tests and deployments can move it); they are
served only through each app's download view, which checks who is asking.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage

from credit_platform.exceptions import DomainError

#: content type → (accepted extensions, magic prefix, canonical suffix)
ALLOWED = {
    "application/pdf": ((".pdf",), b"%PDF-", ".pdf"),
    "image/png": ((".png",), b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff", ".jpg"),
}
ALLOWED_EXTENSIONS = tuple(ext for exts, _, _ in ALLOWED.values() for ext in exts)
#: the ``accept`` attribute of a file input
ACCEPT_ATTR = ",".join(ALLOWED_EXTENSIONS + tuple(ALLOWED))


def sniff(head: bytes) -> str | None:
    """The content type the first bytes of a file show, or ``None`` when they are none of the accepted ones."""
    for content_type, (_, magic, _) in ALLOWED.items():
        if head.startswith(magic):
            return content_type
    return None


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str
    content_type: str
    suffix: str  # canonical: .pdf, .png, .jpg
    size: int
    sha256: str


@dataclass(frozen=True)
class EvidenceRules:
    """One app's limits, upload field and messages. A message is formatted with ``name`` (the file's name), ``mb``
    (the size cap in MiB) and ``limit`` (the file count cap); ``codes`` maps a refusal to the app's stable code."""

    field: str
    max_bytes: Callable[[], int]
    max_files: Callable[[], int]
    messages: dict[str, str]
    codes: dict[str, str] = field(default_factory=dict)

    def refuse(self, what: str, **params) -> DomainError:
        params = {"mb": self.max_bytes() // (1024 * 1024), "limit": self.max_files(), **params}
        return DomainError(self.codes.get(what, f"evidence_{what}"), self.messages[what].format(**params), field=self.field)


def check_upload(upload, rules: EvidenceRules) -> CheckedFile:
    """Check one uploaded file; raises the app's :class:`DomainError` (``evidence_type``, ``evidence_empty``,
    ``evidence_too_large``, ``evidence_content`` unless the app names them otherwise)."""
    name = PurePath(upload.name or "").name[:200]
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise rules.refuse("type", name=name)
    size = upload.size
    if not size:
        raise rules.refuse("empty", name=name)
    if size > rules.max_bytes():
        raise rules.refuse("too_large", name=name)
    upload.seek(0)
    detected = sniff(upload.read(16))
    if detected is None or ext not in ALLOWED[detected][0]:
        raise rules.refuse("content", name=name)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload=upload, name=name, content_type=detected, suffix=ALLOWED[detected][2], size=size,
                       sha256=digest.hexdigest())


def check_count(count: int, rules: EvidenceRules) -> None:
    """Refuse when a case would hold more than the app's file cap."""
    if count > rules.max_files():
        raise rules.refuse("too_many")


def check_uploads(uploads: Iterable, rules: EvidenceRules, *, already: int = 0) -> list[CheckedFile]:
    """Check a set of files added to a case that already holds ``already`` files (the count first, then each)."""
    uploads = list(uploads or [])
    check_count(already + len(uploads), rules)
    return [check_upload(u, rules) for u in uploads]


class PrivateStorage(FileSystemStorage):
    """A private file storage: no ``base_url``; the location is ``root()`` read from the settings on every use."""

    def __init__(self, root: Callable[[], str]):
        self._root = root
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return self._root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None
