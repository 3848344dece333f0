"""Measure lists: what may be defined (proportionality, legal basis, Heilongjiang art. 47) and the list life cycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from credit_platform.exceptions import DomainError
from sanctions import services
from sanctions.models import Measure, MeasureList

from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def test_severe_tier_measure_cannot_name_general_dishonesty():
    lst = f.measure_list()
    with pytest.raises(ValidationError) as exc:
        f.measure(lst, tier="severe", severities=["general", "severe"])
    assert "severities" in exc.value.message_dict


def test_natural_person_points_cannot_restrict_basic_rights():
    """Heilongjiang art. 47: points may never restrict legal rights or basic public services."""
    lst = f.measure_list()
    with pytest.raises(ValidationError) as exc:
        f.measure(lst, name="依据诚信积分限制子女入读公办学校", target_types=["natural_person"], trigger="grade",
                  grades=["D"], categories=[], severities=[], rights_impact="basic_rights")
    assert "rights_impact" in exc.value.message_dict
    assert not Measure.objects.exists()


def test_points_based_incentive_for_natural_persons_is_allowed():
    lst = f.measure_list()
    m = f.measure(lst, name="信易借：图书借阅免押金", kind="incentive", target_types=["natural_person"], trigger="grade",
                  grades=["A"], categories=[], severities=[], rights_impact="none", tier="", basis_level="normative_document")
    assert m.pk


def test_rights_reducing_measure_needs_a_law_or_regulation():
    lst = f.measure_list()
    with pytest.raises(ValidationError) as exc:
        f.measure(lst, basis_level="normative_document")
    assert "basis_level" in exc.value.message_dict


def test_minor_dishonesty_is_not_punished_with_rights_reducing_measures():
    lst = f.measure_list()
    with pytest.raises(ValidationError) as exc:
        f.measure(lst, severities=["minor", "general"])
    assert "severities" in exc.value.message_dict


def test_punishment_needs_legal_basis_and_severities():
    lst = f.measure_list()
    with pytest.raises(ValidationError) as exc:
        f.measure(lst, legal_basis=" ", severities=[])
    assert {"legal_basis", "severities"} <= set(exc.value.message_dict)


def test_life_cycle_and_freeze():
    lst = f.measure_list()
    m = f.measure(lst)
    with pytest.raises(DomainError):  # a supplementary list goes through public comment first
        services.approve_list(lst, actor="t", approval_document="克政函〔2026〕9号")
    services.open_public_comment(lst, actor="t")
    with pytest.raises(DomainError):
        services.approve_list(lst, actor="t", approval_document=" ")
    services.approve_list(lst, actor="t", approval_document="克政函〔2026〕9号")
    services.publish_list(lst, actor="t")
    lst.refresh_from_db()
    assert lst.status == MeasureList.Status.PUBLISHED and lst.published_at and lst.review_due  # Karamay 23: yearly
    m.refresh_from_db()
    m.name = "改名"
    with pytest.raises(DomainError, match="不得"):
        m.save()
    with pytest.raises(DomainError, match="不得"):
        Measure.objects.filter(pk=m.pk).update(name="改名")
    with pytest.raises(DomainError, match="不得"):
        lst.delete()
    assert [s.step for s in services.steps_of(lst)] == ["public_comment", "approved", "published"]


def test_new_version_repeals_the_old_one():
    lst = f.measure_list(title="补充清单")
    f.measure(lst, code="OLD")
    f.publish(lst)
    draft = services.new_list_version(lst, actor="t", version_label="2027")
    assert list(draft.measures.values_list("code", flat=True)) == ["OLD"]
    f.measure(draft, code="NEW")
    f.publish(draft)
    lst.refresh_from_db()
    assert lst.status == MeasureList.Status.REPEALED and lst.superseded_by_id == draft.pk


def test_national_list_is_adopted_as_issued():
    lst = f.measure_list(level=MeasureList.Level.NATIONAL, title="全国失信惩戒措施基础清单")
    f.measure(lst)
    services.approve_list(lst, actor="t", approval_document="发改财金规〔2021〕1827号")
    services.publish_list(lst, actor="t")
    assert Measure.objects.published().count() == 1
