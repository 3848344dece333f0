"""两书同达: the subject's own-record page shows the repair notice with each dishonesty record (what repair needs,
the earliest date, the notice, the application), records its first delivery, and costs the same number of
queries for 2 records as for 20."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from repair.models import RepairNotice
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


def dishonesty(company, items, department, n, *, recent=0):
    """``n`` penalties old enough to repair, ``recent`` ones whose minimum period has not elapsed."""
    old = [f.record(company, items[f.PENALTY], department) for _ in range(n)]
    day = timezone.localdate() - timedelta(days=20)
    new = [f.record(company, items[f.PENALTY], department, decided_on=day, occurred_on=day) for _ in range(recent)]
    return old, new


def my_page(client, company):
    response = client.get(f"/my/?subject={company.code}")
    assert response.status_code == 200
    return response.content.decode()


def test_each_dishonesty_record_carries_its_repair_notice(department, items, citizen_user, login):
    company = f.SubjectFactory(name="克拉玛依示例能源有限公司")
    (old,), (new,) = dishonesty(company, items, department, 1, recent=1)
    licence = f.record(company, items[f.LICENCE], department, decided_on=date(2025, 5, 1))
    user = citizen_user(company)
    html = my_page(login(user), company)

    notices = {n.record_id: n for n in RepairNotice.objects.all()}
    assert set(notices) == {old.pk, new.pk}  # basic information carries no notice
    assert licence.pk not in notices
    for rec in (old, new):
        assert notices[rec.pk].number in html
        assert f'href="/repair/records/{rec.pk}/notice/"' in html
        assert notices[rec.pk].first_delivered_at is not None and notices[rec.pk].delivered_to == user
    # the old one can be applied for now, the recent one from the day after its minimum period
    assert f'href="/repair/records/{old.pk}/apply/"' in html
    assert f'href="/repair/records/{new.pk}/apply/"' not in html
    from credit_platform.months import add_months

    earliest = add_months(new.decided_on, 3) + timedelta(days=1)
    assert earliest.isoformat() in html and "最短公示期" in html
    assert "修复条件" in html and "信用承诺" in html

    # the first delivery is kept, not moved by later views
    first = notices[old.pk].first_delivered_at
    my_page(login(user), company)
    assert RepairNotice.objects.get(record=old).first_delivered_at == first


def test_a_grantee_sees_no_notice_and_delivers_nothing(department, items, citizen_user, login):
    from disclosure.services import grant_authorisation

    company = f.SubjectFactory()
    bank = f.SubjectFactory(name="克拉玛依测试银行")
    (old,), _ = dishonesty(company, items, department, 1)
    owner = citizen_user(company)
    grant = grant_authorisation(company, owner, grantee_name=bank.name, grantee_code=bank.code, categories=["dishonesty"],
                                purpose="贷款审查", expires_on=timezone.localdate() + timedelta(days=30))
    response = login(citizen_user(bank)).get(f"/authorised/{grant.pk}/")
    assert response.status_code == 200
    assert "信用修复告知" not in response.content.decode()
    assert not RepairNotice.objects.filter(record=old, first_delivered_at__isnull=False).exists()


def test_own_record_page_queries_do_not_grow_with_the_records(department, items, citizen_user, login):
    few_co, many_co = f.SubjectFactory(), f.SubjectFactory()
    dishonesty(few_co, items, department, 1, recent=1)
    dishonesty(many_co, items, department, 15, recent=5)
    few_client, many_client = login(citizen_user(few_co)), login(citizen_user(many_co))
    # A first page in this process fills Django's own caches (content types after a flush, the active profile):
    # not the page's cost, so a page with no record at all is shown once before counting.
    warm = f.SubjectFactory()
    my_page(login(citizen_user(warm)), warm)

    counts = {}
    for name, client, company in (("few", few_client, few_co), ("many", many_client, many_co)):
        with CaptureQueriesContext(connection) as ctx:
            my_page(client, company)  # first view: notices created and delivered
        counts[name] = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            my_page(client, company)  # later views: nothing to create or deliver
        counts[name + "_again"] = len(ctx.captured_queries)
    assert RepairNotice.objects.filter(record__subject=many_co, first_delivered_at__isnull=False).count() == 20
    assert counts["many"] == counts["few"], counts
    assert counts["many_again"] == counts["few_again"], counts


def test_own_record_page_with_twenty_records_stays_within_budget(department, items, citizen_user, login,
                                                                  django_assert_max_num_queries):
    company = f.SubjectFactory()
    dishonesty(company, items, department, 15, recent=5)
    client = login(citizen_user(company))
    with django_assert_max_num_queries(40):
        my_page(client, company)
