"""Platform settings of the objections app (not statutory numbers: those live in the policy profiles).

Each is declared in ``config/settings.py`` from the environment (README, configuration table):

* ``OBJECTION_EVIDENCE_ROOT`` — where evidence files are kept; outside ``MEDIA_ROOT`` and never served by
  the web server, only through ``objections.views.evidence_download`` which checks who is asking.
* ``OBJECTION_EVIDENCE_MAX_BYTES`` — the largest evidence file accepted (default 10 MiB).
* ``OBJECTION_EVIDENCE_MAX_FILES`` — files per objection (default 10).
* ``OBJECTION_REMIND_WORKING_DAYS`` — handlers are reminded this many working days before a due date (default 1).
* ``OBJECTION_RECEIVED_AT_SKEW_SECONDS`` — tolerance for a department system's clock when checking that
  a receipt time is not in the future (default 120 s).
"""

from __future__ import annotations

from django.conf import settings

from credit_platform.evidence import EvidenceRules, PrivateStorage


def evidence_root() -> str:
    return str(settings.OBJECTION_EVIDENCE_ROOT)


def evidence_max_bytes() -> int:
    return int(settings.OBJECTION_EVIDENCE_MAX_BYTES)


def evidence_max_files() -> int:
    return int(settings.OBJECTION_EVIDENCE_MAX_FILES)


def remind_working_days() -> int:
    return int(settings.OBJECTION_REMIND_WORKING_DAYS)


def received_at_skew_seconds() -> int:
    return int(settings.OBJECTION_RECEIVED_AT_SKEW_SECONDS)


#: the shared evidence checker (credit_platform.evidence) with this app's limits, field and wording
EVIDENCE_RULES = EvidenceRules(
    field="files",
    max_bytes=evidence_max_bytes,
    max_files=evidence_max_files,
    messages={
        "type": "“{name}”的文件类型不被接受：证明材料只接受 PDF、PNG、JPEG 文件。",
        "empty": "“{name}”是空文件。",
        "too_large": "“{name}”超过大小上限 {mb} MB。",
        "content": "“{name}”的内容与扩展名不符或不是 PDF、PNG、JPEG 文件。",
        "too_many": "每件异议最多上传 {limit} 个证明材料文件。",
    },
)

_storage = PrivateStorage(evidence_root)


def evidence_storage():
    """Callable storage for ``Evidence.file`` (keeps the path out of migrations)."""
    return _storage
