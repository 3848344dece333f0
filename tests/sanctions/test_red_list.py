"""Red list (守信激励对象名单): eligibility per profile and automatic removal when dishonesty arrives."""

from __future__ import annotations

from datetime import date

import pytest

from credit_platform.exceptions import DomainError
from sanctions import services, sweeps
from sanctions.models import RedListEntry, SanctionEvent

from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def test_needs_trust_records_and_no_dishonesty(department, profile):
    profile("karamay")  # art. 22: no dishonesty record, and trust records
    subject = f.org()
    with pytest.raises(DomainError) as exc:
        services.add_to_red_list(subject, department=department, criteria="表彰", actor="t")
    assert exc.value.code == "not_eligible"
    f.record(department, subject, category="trust")
    f.record(department, subject, severity="minor")
    with pytest.raises(DomainError):  # Karamay: any dishonesty record blocks, even a minor one
        services.add_to_red_list(subject, department=department, criteria="表彰", actor="t")


def test_fuzhou_art16_1_clean_years_are_not_a_red_list_condition(department, profile):
    """Fuzhou art. 16(1): "连续三年无不良信用记录" conditions the green-channel measure, not red-list eligibility."""
    profile("fuzhou")
    subject = f.org()
    f.record(department, subject, category="trust")
    f.record(department, subject, severity="general", status="repaired", decided_on=date(2025, 1, 10))
    f.record(department, subject, severity="general", status="expired", decided_on=date(2024, 12, 1))
    entry = services.add_to_red_list(subject, department=department, criteria="诚信典型", actor="t")
    assert entry.status == "listed"


def test_listing_is_public_for_organisations_only(department):
    company, citizen = f.org(), f.person()
    for s in (company, citizen):
        f.record(department, s, category="trust")
    assert services.add_to_red_list(company, department=department, criteria="纳税信用A级", actor="t").public is True
    assert services.add_to_red_list(citizen, department=department, criteria="见义勇为", actor="t").public is False


def test_removed_automatically_when_a_dishonesty_record_arrives(department, django_capture_on_commit_callbacks):
    subject = f.org()
    f.record(department, subject, category="trust")
    entry = services.add_to_red_list(subject, department=department, criteria="纳税信用A级", actor="t")
    with django_capture_on_commit_callbacks(execute=True):
        bad = f.record(department, subject, severity="general")
    entry.refresh_from_db()
    assert entry.status == RedListEntry.Status.REMOVED
    assert entry.removal_reason == RedListEntry.Removal.DISHONESTY
    assert f"record:{bad.pk}" in entry.removal_because
    assert SanctionEvent.objects.filter(step="removed", object_id=entry.pk).count() == 1


def test_set_based_writes_are_caught_by_the_history_sweep(department):
    """Ingestion writes in bulk (no post_save): the record-change sweep reads the records' history."""
    from django.utils import timezone
    from records.models import Record

    subject = f.org()
    f.record(department, subject, category="trust")
    entry = services.add_to_red_list(subject, department=department, criteria="表彰", actor="t")
    sweeps.record_changes(timezone.now())  # catch up on the history written so far
    item = f.catalog_item()
    Record.objects.bulk_create([Record(subject=subject, catalog_item=item, category="dishonesty", severity="general",
                                       source_department=department, source_ref="BULK-1", decided_on=date(2026, 6, 1))])
    rec = Record.objects.get(source_ref="BULK-1")
    Record.history.bulk_history_create([rec])
    assert sweeps.record_changes(timezone.now()) == 1
    entry.refresh_from_db()
    assert entry.status == RedListEntry.Status.REMOVED
    assert sweeps.record_changes(timezone.now()) == 0


def test_severe_listing_removes_from_red_list(department):
    subject = f.org()
    f.record(department, subject, category="trust")
    entry = services.add_to_red_list(subject, department=department, criteria="表彰", actor="t")
    rec = f.record(department, subject, severity="severe")
    # The severe record alone already blocks; the listing path removes too (idempotent).
    services.list_court_debtor(subject, department=department, case_number="(2026)新0203执123号",
                               decision_number="(2026)新0203执123号之一", reasons="", basis="最高人民法院关于公布失信被执行人名单信息的若干规定",
                               actor="t", records=[rec])
    entry.refresh_from_db()
    assert entry.status == RedListEntry.Status.REMOVED


def test_term_end_sweep(department):
    from django.utils import timezone

    subject = f.org()
    f.record(department, subject, category="trust")
    entry = services.add_to_red_list(subject, department=department, criteria="表彰", actor="t",
                                     valid_until=date(2026, 1, 1))
    assert sweeps.red_list_terms(timezone.now()) == 1
    assert sweeps.red_list_terms(timezone.now()) == 0
    entry.refresh_from_db()
    assert entry.removal_reason == RedListEntry.Removal.TERM_END
