"""Evaluations extended by a push's new records (issue #17): ``rules.extend_evaluation`` adds new records to the
reasons ``evaluate`` stored, without the subject's other records — the result must be exactly ``evaluate``'s on all
the facts (reasons in the same order, score, grade, tier, recompute day), and the push path must use it only where
that holds, falling back to the facts otherwise."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from unittest import mock

import orjson
import pytest
from django.utils import timezone

from records.models import Record
from sanctions import rules, services
from sanctions.models import Evaluation, RedListEntry, SevereListEntry
from sanctions.services import common
from tests.sanctions import factories as f

SEVERITIES = ("minor", "general", "severe", "specific_severe", "")
STATUSES = ("active", "active", "active", "corrected", "repaired", "expired", "revoked", "shielded")
CATEGORIES = ("dishonesty", "dishonesty", "trust", "other")


def _record(rng: random.Random, pk: int, today: date) -> rules.RecordFact:
    decided = today - timedelta(days=rng.randrange(0, 5 * 365)) if rng.random() > 0.1 else None
    return rules.RecordFact(pk, rng.choice(CATEGORIES), rng.choice(SEVERITIES), rng.choice(STATUSES), decided, "",
                            rng.choice(("", "行政处罚", "欠税公告")))


def _stored(result: rules.EvaluationResult) -> list[dict]:
    """The reasons as they come back from the database (JSON both ways)."""
    return orjson.loads(orjson.dumps(list(result.reasons)))


def _case(rng: random.Random, today: date):
    kind = rng.choice(("legal_person", "natural_person", "individual_business"))
    old_n, new_n = rng.randrange(0, 40), rng.randrange(0, 6)
    records = [_record(rng, pk, today) for pk in range(1, old_n + new_n + 1)]
    lists = {"severe_list_ids": tuple(rng.sample(range(1, 9), rng.randrange(0, 2))),
             "broken_commitment_ids": tuple(rng.sample(range(1, 9), rng.randrange(0, 3))),
             "red_list_ids": tuple(rng.sample(range(1, 9), 1)) if rng.random() < 0.1 else ()}
    newest_first = tuple(reversed(records))  # subject_facts reads the records newest first (Record ordering -id)
    old = rules.SubjectFacts(kind, records=newest_first[new_n:], **lists)
    both = rules.SubjectFacts(kind, records=newest_first, **lists)
    return old, both, records[old_n:]


def _extend(result: rules.EvaluationResult, new, subject_type: str, today: date):
    stored = _stored(result)
    summary = rules.summarise(stored, result.recompute_on)
    ext = summary and rules.extend_evaluation(summary, new, subject_type, today)
    return ext, (ext.apply(stored) if ext else None)


@pytest.mark.parametrize("today", [date(2026, 10, 1), date(2026, 2, 17), date(2024, 2, 29), date(2026, 12, 31)])
def test_extending_the_stored_evaluation_gives_exactly_the_full_evaluation(today):
    rng = random.Random(today.toordinal())
    extended = 0
    for _ in range(400):
        old, both, new = _case(rng, today)
        stored = rules.evaluate(old, today, red_list_ids=old.red_list_ids)
        ext, reasons = _extend(stored, new, old.subject_type, today)
        if ext is None:
            # only where the rules say it cannot be exact: a red-list membership or a new record already repaired
            assert old.red_list_ids or any(r.category == "dishonesty" and r.status == "repaired" for r in new)
            continue
        extended += 1
        full = rules.evaluate(both, today, red_list_ids=both.red_list_ids)
        assert (ext.score, ext.grade, ext.tier, ext.recompute_on, ext.model_version) == (
            full.score, full.grade, full.tier, full.recompute_on, full.model_version)
        assert reasons == _stored(full)
        assert (ext.points_tenths, ext.newest_record_id) == rules.extension_state(_stored(full))
    assert extended > 300  # the path is the usual one, not the exception


def test_the_score_is_exact_whatever_the_order_of_its_terms():
    """Terms are summed in tenths: 80 − 0.6 − 18 − 0.9 is 60.5 exactly, rounded half to even: 60 — where float sums
    give 60.50000000000001 (61) in this order and 60.49999999999999 (60) in the reverse one. An extension adds new
    terms in another order than a full evaluation, so only an exact sum makes the two agree."""
    terms = [{"points": 80, "kind": "base", "ref": "", "text": ""}] + [
        {"points": p, "kind": "dishonesty", "ref": f"record:{i}", "text": ""} for i, p in enumerate((-0.6, -18.0, -0.9), 1)]
    forwards = rules._result(terms, "legal_person", None, rules.DEFAULT_MODEL)
    backwards = rules._result([terms[0], *terms[:0:-1]], "legal_person", None, rules.DEFAULT_MODEL)
    assert forwards.score == backwards.score == 60
    assert rules.extension_state(terms) == (605, 3)


def test_a_record_older_than_those_named_is_not_extended():
    """A change to a record the evaluation already counts (or one arriving out of order) needs the facts."""
    today = date(2026, 12, 7)
    known = rules.RecordFact(10, "dishonesty", "general", "active", date(2026, 1, 5), "", "处罚")
    stored = rules.evaluate(rules.SubjectFacts("legal_person", records=(known,)), today)
    revoked = known._replace(status="revoked")
    older = rules.RecordFact(9, "dishonesty", "severe", "active", date(2026, 1, 5), "", "处罚")
    newer = rules.RecordFact(11, "dishonesty", "severe", "active", date(2026, 1, 5), "", "处罚")
    assert _extend(stored, [revoked], "legal_person", today)[0] is None
    assert _extend(stored, [older], "legal_person", today)[0] is None
    assert _extend(stored, [newer], "legal_person", today)[0] is not None


def test_reasons_written_before_kinds_existed_are_not_extended():
    today = date(2026, 12, 7)
    stored = _stored(rules.evaluate(rules.SubjectFacts("legal_person"), today))
    for r in stored:
        r.pop("kind")
    new = rules.RecordFact(5, "dishonesty", "general", "active", today, "", "")
    assert rules.summarise(stored, None) is None and rules.extension_state(stored) == (None, None)
    assert _extend(rules.evaluate(rules.SubjectFacts("legal_person"), today), [new], "legal_person", today)[0]


def test_every_reason_says_what_it_is():
    today = date(2026, 12, 7)
    facts = rules.SubjectFacts("natural_person", records=(
        rules.RecordFact(3, "dishonesty", "general", "active", today), rules.RecordFact(2, "trust", "", "active", today),
        rules.RecordFact(1, "dishonesty", "general", "repaired", today)), severe_list_ids=(4,),
        broken_commitment_ids=(5,), red_list_ids=(6,))
    kinds = [r["kind"] for r in rules.evaluate(facts, today, red_list_ids=(6,)).reasons]
    assert kinds == ["base", "trust", "dishonesty", "repaired", "severe_list", "commitment", "red_list", "note"]


# --- the push path ----------------------------------------------------------------------------------------------------


def _one_by_one(subjects) -> dict[int, dict]:
    for s in subjects:
        services.recompute_evaluation(s)
    return f.evaluations(subjects)


@pytest.mark.parametrize("profile", ["karamay", "heilongjiang", "qufu", "fuzhou", "zhangye"])
@pytest.mark.django_db
def test_under_every_profile_a_second_push_extends_evaluations_to_the_full_result(department, settings, profile):
    settings.CREDIT_POLICY = profile
    subjects = [f.org(f"续推单位{n}") if n % 3 else f.person(f"续推自然人{n}") for n in range(18)]
    services.on_records_changed(f.push_mixed(department, subjects, 6))
    severe = SevereListEntry.objects.create(subject=subjects[1], department=department, reasons="严重", basis="依据",
                                            status=SevereListEntry.Status.LISTED)
    services.recompute_evaluation(subjects[1])
    second = f.push_mixed(department, subjects, 4, start=6)

    with mock.patch.object(common, "_live_record_rows", wraps=common._live_record_rows) as rows:
        services.on_records_changed(second)
    rows.assert_not_called()  # every subject extended: none of their earlier records read again
    extended = f.evaluations(subjects)
    assert any(r["ref"] == f"severe_list:{severe.pk}" for r in extended[subjects[1].pk]["reasons"])
    assert extended == _one_by_one(subjects)
    history = Evaluation.history.filter(subject=subjects[0]).order_by("history_id")
    assert [h.history_change_reason for h in history] == ["首次评价", "重新评价"]


@pytest.mark.django_db
def test_the_push_path_falls_back_to_the_facts_where_extension_cannot_be_exact(department):
    yesterday_s, red_s, changed_s, plain_s = subjects = [f.org(n) for n in ("昨日评价", "守信名单", "改正记录", "普通")]
    first = f.push_mixed(department, subjects, 3)
    services.on_records_changed(first)
    Evaluation.objects.filter(subject=yesterday_s).update(computed_at=timezone.now() - timedelta(days=1))
    red = RedListEntry.objects.create(subject=red_s, department=department, criteria="守信")
    services.recompute_evaluation(red_s)
    known = Record.objects.filter(subject=changed_s).order_by("id").first()
    known.status = "revoked"
    known.save()
    second = f.push_mixed(department, subjects, 2, start=3) + [known.pk]

    with mock.patch.object(common, "_live_record_rows", wraps=common._live_record_rows) as rows:
        services.on_records_changed(second)
    rows.assert_called_once()
    assert set(rows.call_args.args[0]) == {s.pk for s in (yesterday_s, red_s, changed_s)}  # plain_s extended
    red.refresh_from_db()
    assert red.status == RedListEntry.Status.REMOVED  # the new dishonesty record ended the membership (art. 43)
    assert f.evaluations(subjects) == _one_by_one(subjects)


@pytest.mark.django_db
def test_reacting_twice_to_the_same_push_changes_nothing(department):
    subjects = [f.org(f"重复单位{n}") for n in range(5)]
    services.on_records_changed(f.push_mixed(department, subjects, 3))
    second = f.push_mixed(department, subjects, 3, start=3)
    services.on_records_changed(second)
    before, rows = f.evaluations(subjects), Evaluation.history.count()
    services.on_records_changed(second)  # e.g. a catch-up redone after a crash: the records are now known
    assert f.evaluations(subjects) == before == _one_by_one(subjects)
    assert Evaluation.history.count() == rows


@pytest.mark.django_db
def test_at_midnight_the_terms_are_weighed_again(department):
    subject = f.org("跨日单位")
    services.on_records_changed(f.push_mixed(department, [subject], 2))
    later = datetime(2027, 1, 10, 9, tzinfo=timezone.get_current_timezone())
    second = f.push_mixed(department, [subject], 1, start=2)
    with mock.patch.object(timezone, "now", return_value=later):
        services.on_records_changed(second)
        extended = f.evaluations([subject])
        assert extended == _one_by_one([subject])


@pytest.mark.django_db
def test_every_write_path_stores_the_extension_state_of_its_reasons(department):
    """``points_tenths`` and ``newest_record_id`` stand in for the stored reasons when a push extends them: whatever
    wrote the evaluation (the set-based path, the database's splice, the one-by-one path, a red-list membership,
    repaired records, the severe list, natural persons), they must be ``rules.extension_state`` of its reasons."""
    subjects = [f.org(f"状态单位{n}") if n % 3 else f.person(f"状态自然人{n}") for n in range(12)]
    services.on_records_changed(f.push_mixed(department, subjects, 5))  # created set-based
    services.on_records_changed(f.push_mixed(department, subjects, 3, start=5))  # extended (spliced on PostgreSQL)
    for r in Record.objects.filter(subject=subjects[4])[:2]:
        r.status = "repaired"
        r.save()
    SevereListEntry.objects.create(subject=subjects[5], department=department, reasons="严重", basis="依据",
                                   status=SevereListEntry.Status.LISTED)
    RedListEntry.objects.create(subject=subjects[7], department=department, criteria="守信")
    for s in subjects[4:8]:
        services.recompute_evaluation(s)  # one by one
    states = {e.subject_id: (e.points_tenths, e.newest_record_id, rules.extension_state(e.reasons))
              for e in Evaluation.objects.filter(subject__in=subjects)}
    assert len(states) == len(subjects)
    for sid, (points, newest, expected) in states.items():
        assert (points, newest) == expected, sid
    assert states[subjects[7].pk][:2] == (None, None)  # on the red list: never extended
    for h in Evaluation.history.filter(subject__in=subjects):
        assert (h.points_tenths, h.newest_record_id) == rules.extension_state(h.reasons)
