"""The repair flow is as complete as the objection flow: one open application per record (said before the form),
withdraw, add evidence, and progress by number and 查询码 without an account (window applicants)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from credit_platform import roles
from repair import services
from repair.models import RepairApplication
from tests.repair import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def filed(department, citizen, act_for, logged_in):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    response = logged_in.post(f"/repair/records/{record.pk}/apply/", {
        "correction_statement": "已缴纳罚款", "sign": "1", "evidence_correction": f.pdf(),
    })
    assert response.status_code == 302
    return RepairApplication.objects.get(record=record)


def test_no_second_form_while_one_is_open(filed, logged_in):
    index = logged_in.get("/repair/").content.decode()
    assert "申请办理中" in index and filed.number in index
    assert f"/repair/records/{filed.record_id}/apply/" not in index
    # Opening the form again leads to the open application, with the reason, before anything is filled in.
    response = logged_in.get(f"/repair/records/{filed.record_id}/apply/", follow=True)
    assert response.redirect_chain[-1][0] == f"/repair/applications/{filed.number}/"
    assert "办结前不能重复申请" in response.content.decode()
    assert RepairApplication.objects.filter(record=filed.record).count() == 1


def test_the_applicant_adds_evidence_while_it_is_open(filed, logged_in):
    response = logged_in.post(f"/repair/applications/{filed.number}/evidence/", {"evidence_other": f.pdf("receipt.pdf")},
                              follow=True)
    assert "已补充 1 份材料" in response.content.decode()
    assert sorted(filed.evidence.values_list("original_name", flat=True)) == ["proof.pdf", "receipt.pdf"]
    assert filed.events.filter(kind="evidence_added").exists()


def test_a_disguised_file_is_refused_and_nothing_is_stored(filed, logged_in):
    fake = f.pdf("evil.pdf", body=b"MZ\x90\x00 not a pdf")
    response = logged_in.post(f"/repair/applications/{filed.number}/evidence/", {"evidence_other": fake}, follow=True)
    assert "材料未补充" in response.content.decode()
    assert filed.evidence.count() == 1 and not filed.events.filter(kind="evidence_added").exists()


def test_the_applicant_withdraws_and_may_apply_again(filed, logged_in):
    response = logged_in.post(f"/repair/applications/{filed.number}/withdraw/", follow=True)
    assert "申请已撤回" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == "withdrawn"
    # closed now: no more evidence, no second withdrawal, and the form is offered again
    again = logged_in.post(f"/repair/applications/{filed.number}/evidence/", {"evidence_other": f.pdf()}, follow=True)
    assert "材料未补充" in again.content.decode()
    assert logged_in.get(f"/repair/records/{filed.record_id}/apply/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_withdrawing_outside_a_test_transaction_locks_in_its_own(filed, logged_in):
    """The portal request has no surrounding transaction (no ATOMIC_REQUESTS): the service opens its own for the row
    lock. Inside pytest's usual wrapping transaction a missing one goes unnoticed; on PostgreSQL it was a 500."""
    response = logged_in.post(f"/repair/applications/{filed.number}/withdraw/")
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "withdrawn"


def test_another_citizen_can_neither_add_nor_withdraw(filed, other_citizen):
    stranger = Client()
    stranger.force_login(other_citizen)
    assert stranger.post(f"/repair/applications/{filed.number}/withdraw/").status_code == 404
    assert stranger.post(f"/repair/applications/{filed.number}/evidence/", {"evidence_other": f.pdf()}).status_code == 404
    filed.refresh_from_db()
    assert filed.status == "submitted" and filed.evidence.count() == 1


def test_a_window_applicant_follows_progress_by_number_and_code(department, reviewer):
    record = f.record(department, decided_on=date(2025, 1, 15))
    app = services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                         commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=reviewer)
    code = services.progress_code(app)
    anonymous = Client()
    page = anonymous.post("/repair/progress/", {"number": app.number.lower(), "code": code.replace("-", "").lower()})
    body = page.content.decode()
    assert page.status_code == 200 and app.get_status_display() in body and app.number in body
    assert "受理期限" in body
    # nothing personal and no officials' names on the anonymous page
    assert "李四" not in body and "reviewer" not in body


@pytest.mark.parametrize("number_ok, code_ok", [(True, False), (False, True), (False, False)])
def test_a_wrong_number_or_code_says_the_same_thing(department, reviewer, number_ok, code_ok):
    record = f.record(department, decided_on=date(2025, 1, 15))
    app = services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                         commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=reviewer)
    number = app.number if number_ok else "XF20260101ABCDEF"
    code = services.progress_code(app) if code_ok else "AAAA-AAAA"
    body = Client().post("/repair/progress/", {"number": number, "code": code}).content.decode()
    assert "申请编号或查询码不正确" in body and app.get_status_display() not in body.split("</form>")[1]


def test_the_code_is_shown_to_the_applicant_and_to_officials(filed, logged_in, reviewer):
    code = services.progress_code(filed)
    assert code in logged_in.get(f"/repair/applications/{filed.number}/").content.decode()
    official = Client()
    official.force_login(reviewer)
    assert code in official.get(f"/repair/applications/{filed.number}/").content.decode()


def test_the_repair_notice_page_has_a_way_back(department, citizen, act_for, logged_in):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    body = logged_in.get(f"/repair/records/{record.pk}/notice/").content.decode()
    nav = body.split('<nav class="page-nav"')[1].split("</nav>")[0]
    assert 'href="/repair/"' in nav and "返回信用修复" in nav
    assert f'href="/repair/records/{record.pk}/notice/?format=pdf"' in nav


def test_the_pdf_notice_has_no_web_navigation(department, citizen, act_for):
    from repair import notice

    record = f.record(department, decided_on=date(2025, 1, 15))
    assert "<nav" not in notice.render_html(record, pdf=True)


def test_the_review_queue_puts_open_applications_first(department, make_official, settings):
    """Issue 18: closed applications never sit between open ones; the deadlines lead the columns."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.OFFICIAL_OTP_REQUIRED = False
    admin = make_official("queue_admin", roles.PLATFORM_ADMIN, superuser=True)
    registrar = make_official("registrar", roles.REPAIR_REVIEWER)
    sh = ZoneInfo("Asia/Shanghai")

    def paper(day):
        record = f.record(department, decided_on=date(2025, 1, 15))
        return services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                              commitment=services.commitment_text(record, "李四"), channel="paper",
                              registered_by=registrar, now=datetime(2026, 3, day, 10, tzinfo=sh))

    earliest, later = paper(2), paper(9)
    services.withdraw(earliest, actor=registrar)
    client = Client()
    client.force_login(admin)
    html = client.get("/admin/repair/repairapplication/").content.decode()
    assert html.index(later.number) < html.index(earliest.number)
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert head.index("受理期限") < head.index("信用主体")
