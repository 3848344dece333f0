"""守信激励 / 失信惩戒: measure lists, matters, the joint check log, red and severe lists with due process,
credit commitments, evaluations and interviews — one module per sub-domain, every model re-exported here so the
``sanctions.<Model>`` labels, the migrations and ``apps.get_model`` see one app.

Business rules are in ``sanctions.rules`` (pure) and ``sanctions.services`` (workflow); models only hold data
and refuse the few changes that would break the audit trail (a published list, a logged check).
"""

from sanctions.models.commitments import Commitment, Evaluation, Interview
from sanctions.models.common import (
    CATEGORY_CHOICES,
    SEVERITY_CHOICES,
    SUBJECT_TYPE_CHOICES,
    BasisLevel,
    Kind,
    RecordCursor,
    RightsImpact,
    SanctionEvent,
    Tier,
    Trigger,
    frozen,
    history_user,
)
from sanctions.models.lists import Defence, PublicBody, RedListEntry, SevereListEntry
from sanctions.models.measures import (
    CheckedMeasure,
    DepartmentFeedbackRate,
    ImplementationReport,
    JointCheck,
    Matter,
    Measure,
    MeasureComment,
    MeasureList,
    MeasureQuerySet,
)

__all__ = [
    "CATEGORY_CHOICES", "SEVERITY_CHOICES", "SUBJECT_TYPE_CHOICES", "BasisLevel", "CheckedMeasure", "Commitment",
    "Defence", "DepartmentFeedbackRate", "Evaluation", "ImplementationReport", "Interview", "JointCheck", "Kind",
    "Matter", "Measure", "MeasureComment", "MeasureList", "MeasureQuerySet", "PublicBody", "RecordCursor",
    "RedListEntry", "RightsImpact", "SanctionEvent", "SevereListEntry", "Tier", "Trigger", "frozen", "history_user",
]
