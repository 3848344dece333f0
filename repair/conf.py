"""Platform settings of the repair app (not statutory numbers: those live in the policy profiles).

Each is declared in ``config/settings.py`` from the environment (README, configuration table):

* ``REPAIR_EVIDENCE_ROOT`` — where evidence files are kept; outside ``MEDIA_ROOT``, served only through
  ``repair.views.evidence_download`` which checks who is asking.
* ``REPAIR_EVIDENCE_MAX_BYTES`` — the largest evidence file accepted (default 10 MiB).
* ``REPAIR_EVIDENCE_MAX_FILES`` — files per application (default 10).
* ``REPAIR_REMIND_WORKING_DAYS`` — reviewers are reminded this many working days before a due date (default 1).

The outbox's ``REPAIR_OUTBOX_*`` settings are read by ``records.outbox``, where the outbox now lives.
"""

from __future__ import annotations

from django.conf import settings

from credit_platform.evidence import EvidenceRules, PrivateStorage


def evidence_root() -> str:
    return str(settings.REPAIR_EVIDENCE_ROOT)


def evidence_max_bytes() -> int:
    return int(settings.REPAIR_EVIDENCE_MAX_BYTES)


def evidence_max_files() -> int:
    return int(settings.REPAIR_EVIDENCE_MAX_FILES)


def remind_working_days() -> int:
    return int(settings.REPAIR_REMIND_WORKING_DAYS)


#: the shared evidence checker (credit_platform.evidence) with this app's limits, field, wording and codes. The
#: checker also refuses a name whose extension is not .pdf/.png/.jpg/.jpeg or does not match the content (stricter
#: than this app's own content-only check was); such a file is refused as ``evidence_type``, as before.
EVIDENCE_RULES = EvidenceRules(
    field="evidence",
    max_bytes=evidence_max_bytes,
    max_files=evidence_max_files,
    messages={
        "type": "文件“{name}”不是 PDF 或 JPEG/PNG 图片。",
        "empty": "文件“{name}”为空。",
        "too_large": "文件“{name}”超过大小限制（{mb} MB）。",
        "content": "文件“{name}”不是 PDF 或 JPEG/PNG 图片。",
        "too_many": "证明材料最多{limit}个文件。",
    },
    codes={"content": "evidence_type"},
)

_storage = PrivateStorage(evidence_root)


def evidence_storage():
    return _storage
