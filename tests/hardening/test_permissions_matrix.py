"""Who may reach what, on the demo data.

Every row is (caller, method, url, expected status, strings that must not be in the body). Callers: anonymous; the
citizen 张伟 (his own subject); the other citizen 李娜; the enterprise agent (also the bank 张伟 and, here, 李娜
authorised — 李娜's authorisation has run out); each official role of the demo; the department systems of SCJG (the
department that provided 张伟's non-public penalty) and SWJ. Each test builds the demo once and reports every row
that fails, not just the first.
"""

from __future__ import annotations

import pytest

from tests.hardening._world import api_for, build, client_for

pytestmark = pytest.mark.django_db

PORTAL = ("citizen", "citizen2", "enterprise")
OFFICIALS = ("centre", "officer_scjg", "officer_swj", "handler", "reviewer", "auditor", "sysadmin", "secadmin", "auditadmin")
TOKENS = ("token:SCJG", "token:SWJ")
EVERYONE = ("anonymous",) + PORTAL + OFFICIALS + TOKENS


@pytest.fixture
def world(settings, tmp_path):
    return build(settings, tmp_path)


def _secrets(w) -> tuple[str, ...]:
    """What nobody but 张伟, his penalty's department and those who see every department may read."""
    return (w.zhang_penalty.basis_number, w.zhang.code, "张伟")


def _walk(w, rows) -> list[str]:
    failures = []
    for who, method, url, expected, forbidden in rows:
        client = api_for(w, who)
        response = getattr(client, method)(url)
        if response.status_code != expected:
            failures.append(f"{who} {method.upper()} {url}: {response.status_code}, expected {expected}")
            continue
        if getattr(response, "streaming", False):
            continue
        body = response.content.decode(errors="replace")
        for secret in forbidden:
            if secret and secret in body:
                failures.append(f"{who} {method.upper()} {url}: body contains {secret!r}")
    return failures


def _matrix(url: str, expected: dict[str, int], *, leaks_to: tuple[str, ...] = (), secrets=()) -> list:
    """One row per caller; callers not in ``leaks_to`` must not see ``secrets`` in the body."""
    assert set(expected) == set(EVERYONE), set(EVERYONE) ^ set(expected)
    return [(who, "get", url, status, () if who in leaks_to else secrets) for who, status in expected.items()]


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    out = dict.fromkeys(EVERYONE, default)
    out.update({k.replace("token_", "token:"): v for k, v in overrides.items()})
    return out


SEES_ALL = ("centre", "auditor", "auditadmin")  # sees_all_departments: credit centre, auditor, audit admin


def test_records_api_is_scoped_by_department(world):
    w = world
    secrets = _secrets(w)
    rows = []
    # 张伟's non-public penalty was pushed by SCJG: its department and those who see everything get it, others 404
    rows += _matrix(f"/api/v1/records/{w.zhang_penalty.pk}/", _statuses(
        404, anonymous=401, citizen=403, citizen2=403, enterprise=403, centre=200, officer_scjg=200, auditor=200,
        auditadmin=200, token_SCJG=200, sysadmin=403, secadmin=403), leaks_to=SEES_ALL + ("officer_scjg", "token:SCJG"), secrets=secrets)
    rows += _matrix(f"/api/v1/records/{w.swj_record.pk}/", _statuses(
        404, anonymous=401, citizen=403, citizen2=403, enterprise=403, centre=200, officer_swj=200, auditor=200,
        auditadmin=200, token_SWJ=200, sysadmin=403, secadmin=403))
    # the list: SWJ (system or officer) never sees SCJG's rows; the penalty's basis number stays with SCJG
    # the system and security administrators manage the platform, not credit records (三员分立)
    rows += _matrix("/api/v1/records/", _statuses(200, anonymous=401, citizen=403, citizen2=403, enterprise=403,
                                                   sysadmin=403, secadmin=403),
                    leaks_to=SEES_ALL + ("officer_scjg", "token:SCJG"), secrets=(w.zhang_penalty.basis_number,))
    rows += [(who, "get", "/api/v1/records/?page_size=1000", 200, (w.zhang_penalty.source_ref, w.zhang.code))
             for who in ("officer_swj", "token:SWJ")]
    failures = _walk(w, rows)
    assert not failures, "\n".join(failures)

    # every row a department system lists is its own
    for code in ("SCJG", "SWJ"):
        body = api_for(w, f"token:{code}").get("/api/v1/records/").json()
        items = body["results"] if isinstance(body, dict) else body
        assert items, code
        ids = {item["id"] for item in items}
        from records.models import Record

        assert set(Record.objects.filter(pk__in=ids).values_list("source_department__code", flat=True)) == {code}


def test_subject_queries_need_a_department_and_a_purpose_and_natural_persons_are_never_public(world):
    w = world
    secrets = _secrets(w)
    rows = []
    for url in (f"/api/v1/subjects/{w.zhang.code}/?purpose=", f"/api/v1/subjects/{w.zhang.code}/"):
        # 三员分立: the three administrators, the auditor and the repair reviewer run no subject queries
        rows += _matrix(url, _statuses(400, anonymous=401, citizen=403, citizen2=403, enterprise=403, sysadmin=403,
                                       secadmin=403, auditadmin=403, auditor=403, reviewer=403), secrets=secrets)
    rows += _matrix(f"/api/v1/public/subjects/{w.zhang.code}/", _statuses(404), secrets=secrets)
    rows += _matrix(f"/api/v1/public/subjects/{w.li.code}/", _statuses(404), secrets=(w.li.code, "李娜"))
    # /my/: the owner sees his record; another citizen, the agent and officials never see his
    rows += _matrix("/my/", _statuses(200, anonymous=302, token_SCJG=302, token_SWJ=302),
                    leaks_to=("citizen",), secrets=secrets)
    failures = _walk(w, rows)
    assert not failures, "\n".join(failures)
    own = client_for(w, "citizen").get("/my/").content.decode()
    assert w.zhang_penalty.basis_number in own  # the owner does see his own non-public penalty


def test_objections_and_their_evidence(world):
    w = world
    o, number = w.objection, w.objection.number
    # handled by the credit centre, about a record SCJG provided
    may_see = _statuses(404, anonymous=401, citizen=200, centre=200, officer_scjg=200, handler=200, auditor=200,
                        auditadmin=200, token_SCJG=200)
    rows = _matrix(f"/api/v1/objections/{o.pk}/", may_see, leaks_to=tuple(k for k, v in may_see.items() if v == 200),
                   secrets=(number, "处罚金额记载错误"))
    listing = _statuses(200, anonymous=401)
    rows += _matrix("/api/v1/objections/", listing, leaks_to=tuple(k for k, v in may_see.items() if v == 200),
                    secrets=(number, "处罚金额记载错误"))
    page = _statuses(404, anonymous=302, citizen=200, centre=200, officer_scjg=200, handler=200, auditor=200,
                     auditadmin=200, token_SCJG=302, token_SWJ=302)
    rows += _matrix(f"/objections/{o.pk}/", page, leaks_to=tuple(k for k, v in page.items() if v == 200),
                    secrets=(number,))
    # the auditor and the audit administrator follow the case but never download a citizen's evidence (三员分立)
    rows += _matrix(f"/objections/{o.pk}/evidence/{w.objection_evidence.pk}/", dict(page, auditor=404, auditadmin=404))
    failures = _walk(w, rows)
    assert not failures, "\n".join(failures)


def test_repair_eligibility_applications_and_evidence(world):
    w = world
    app = w.application
    rows = _matrix(f"/api/v1/records/{w.zhang_penalty.pk}/repair-eligibility/", _statuses(
        404, anonymous=401, citizen=200, centre=200, officer_scjg=200, reviewer=200, auditor=200, auditadmin=200,
        token_SCJG=200))
    may_see = _statuses(404, anonymous=401, citizen=200, centre=200, officer_scjg=200, reviewer=200, auditor=200,
                        auditadmin=200, token_SCJG=200)
    seers = tuple(k for k, v in may_see.items() if v == 200)
    rows += _matrix(f"/api/v1/repair/applications/{app.number}/", may_see, leaks_to=seers,
                    secrets=(app.number, w.zhang_penalty.basis_number))
    rows += _matrix("/api/v1/repair/applications/", _statuses(200, anonymous=401), leaks_to=seers,
                    secrets=(app.number, w.zhang_penalty.basis_number))
    page = _statuses(404, anonymous=302, citizen=200, centre=200, officer_scjg=200, reviewer=200, auditor=200,
                     auditadmin=200, token_SCJG=302, token_SWJ=302)
    rows += _matrix(f"/repair/applications/{app.number}/", page, leaks_to=tuple(k for k, v in page.items() if v == 200),
                    secrets=(app.number,))
    rows += _matrix(f"/repair/evidence/{w.repair_evidence.pk}/", dict(page, auditor=404, auditadmin=404))
    failures = _walk(w, rows)
    assert not failures, "\n".join(failures)


def test_joint_check_is_for_departments_only_and_discloses_no_record(world):
    w = world
    failures = []
    # the three administrators and the auditor ask no joint check (三员分立)
    expected = _statuses(200, anonymous=401, citizen=403, citizen2=403, enterprise=403, sysadmin=403, secadmin=403,
                         auditadmin=403, auditor=403)
    for who, status in expected.items():
        response = api_for(w, who).post("/api/v1/joint-check/", {"subject": w.zhang.code, "matter": "government_procurement"},
                                        format="json")
        if response.status_code != status:
            failures.append(f"{who}: {response.status_code}, expected {status}")
        elif w.zhang_penalty.basis_number in response.content.decode():
            failures.append(f"{who}: joint check answer carries the basis number")
    assert not failures, "\n".join(failures)
    check_id = api_for(w, "token:SCJG").post("/api/v1/joint-check/", {"subject": w.zhang.code, "matter": "bidding"},
                                             format="json").json()["check_id"]
    assert api_for(w, "token:SCJG").get(f"/api/v1/joint-check/{check_id}/").status_code == 200
    assert api_for(w, "token:SWJ").get(f"/api/v1/joint-check/{check_id}/").status_code == 404  # another department's check


def test_authorised_view_refuses_an_expired_authorisation(world):
    w = world
    rows = _matrix(f"/authorised/{w.expired.pk}/", _statuses(403, anonymous=302, token_SCJG=302, token_SWJ=302),
                   secrets=(w.li.code, w.li_record.source_ref, w.li_record.basis_number or None))
    # the bank's valid grant from 张伟 works for its agent only
    rows += _matrix(f"/authorised/{w.valid_grant.pk}/", _statuses(403, anonymous=302, enterprise=200, token_SCJG=302,
                                                                  token_SWJ=302),
                    leaks_to=("enterprise",), secrets=(w.zhang_penalty.basis_number,))
    failures = _walk(w, rows)
    assert not failures, "\n".join(failures)


def test_admin_changelists_are_scoped_and_the_auditor_is_read_only(world):
    w = world
    rows = _matrix("/admin/records/record/", _statuses(200, anonymous=302, citizen=302, citizen2=302, enterprise=302,
                                                       sysadmin=403, secadmin=403, token_SCJG=302, token_SWJ=302))
    rows += _matrix("/admin/objections/objection/", _statuses(200, anonymous=302, citizen=302, citizen2=302, enterprise=302,
                                                              reviewer=403, sysadmin=403, secadmin=403, token_SCJG=302,
                                                              token_SWJ=302),
                    leaks_to=("centre", "officer_scjg", "handler", "auditor", "auditadmin"), secrets=(w.objection.number,))
    rows += _matrix("/admin/audit/export/", _statuses(403, anonymous=302, citizen=302, citizen2=302, enterprise=302,
                                                      auditor=200, auditadmin=200, token_SCJG=302, token_SWJ=302))
    # searching by source_ref: a department officer finds only its own department's rows
    # (the query echoes in the search box, so the row's change link is what must be absent)
    for who, other in (("officer_scjg", w.swj_record), ("officer_swj", w.zhang_penalty)):
        link = f"/admin/records/record/{other.pk}/change/"
        rows.append((who, "get", f"/admin/records/record/?q={other.source_ref}", 200, (link,)))
        rows.append((who, "get", link, 302, (other.subject.code,)))
    failures = _walk(w, rows)
    for who, own in (("officer_scjg", w.zhang_penalty), ("officer_swj", w.swj_record), ("centre", w.swj_record),
                     ("auditor", w.zhang_penalty)):
        if f"/admin/records/record/{own.pk}/change/" not in client_for(w, who).get(f"/admin/records/record/?q={own.source_ref}").content.decode():
            failures.append(f"{who} does not find {own.source_ref} in the changelist")
    assert not failures, "\n".join(failures)

    # the auditor reads but cannot change: POSTs to change forms and workflow views are refused or change nothing
    from objections.models import Objection
    from records.models import Record

    auditor = client_for(w, "auditor")
    before = Record.objects.filter(pk=w.zhang_penalty.pk).values().get()
    assert auditor.get(f"/admin/records/record/{w.zhang_penalty.pk}/change/").status_code == 200
    assert auditor.post(f"/admin/records/record/{w.zhang_penalty.pk}/change/", {"status": "revoked"}).status_code == 403
    assert Record.objects.filter(pk=w.zhang_penalty.pk).values().get() == before
    objection_before = Objection.objects.filter(pk=w.objection.pk).values().get()
    response = auditor.post(f"/admin/objections/objection/{w.objection.pk}/change/", {"statement": "审计员改的"})
    assert response.status_code in (200, 403)
    assert auditor.post(f"/admin/objections/objection/{w.objection.pk}/handle/", {"step": "mark", "mark-note": "x"}).status_code == 403
    assert Objection.objects.filter(pk=w.objection.pk).values().get() == objection_before
