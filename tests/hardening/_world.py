"""Demo data plus the few extra objects the permission matrix needs (shared by the hardening tests)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from credit_platform.models import ApiToken, Department, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证明.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class World:
    """Everything a row of the matrix refers to, by name."""


def build(settings, tmp_path) -> World:
    settings.OBJECTION_EVIDENCE_ROOT = str(tmp_path / "objection-evidence")
    settings.REPAIR_EVIDENCE_ROOT = str(tmp_path / "repair-evidence")
    with override_settings(DEBUG=True):  # the demo refuses to load with DEBUG off (production)
        call_command("bootstrap_demo", stdout=StringIO())
    from disclosure.models import Authorisation
    from records.models import Record, Subject

    w = World()
    w.users = {u.username: u for u in User.objects.all()}
    w.depts = {d.code: d for d in Department.objects.all()}
    w.zhang = Subject.objects.get(type="natural_person", name="张伟")
    w.li = Subject.objects.get(type="natural_person", name="李娜")
    w.bank = Subject.objects.get(name="克拉玛依示例银行股份有限公司")
    w.zhang_penalty = Record.objects.filter(subject=w.zhang, category="dishonesty").order_by("pk").first()
    w.li_record = Record.objects.filter(subject=w.li).order_by("pk").first()
    assert w.zhang_penalty is not None and w.li_record is not None
    w.scjg_record = Record.objects.filter(source_department__code="SCJG").exclude(subject=w.zhang).order_by("pk").first()
    w.swj_record = Record.objects.filter(source_department__code="SWJ").order_by("pk").first()

    # 张伟 files an objection (with evidence) on the portal and applies for repair (with evidence) over the API
    from objections.models import Objection
    from repair.models import RepairApplication

    c = client_for(w, "citizen")
    r = c.post("/objections/new/", {"records": [w.zhang_penalty.pk], "ground": "inaccurate", "statement": "处罚金额记载错误",
                                    "files": [pdf()]})
    assert r.status_code == 302, r.content.decode()[:1500]
    w.objection = Objection.objects.filter(applicant=w.users["citizen"]).latest("pk")
    w.objection_evidence = w.objection.evidence.get()
    from repair import services as repair_services

    api = api_for(w, "citizen")
    r = api.post("/api/v1/repair/applications/", {
        "record": w.zhang_penalty.pk, "applicant_name": "张伟", "correction_statement": "已缴清罚款并完成整改。",
        "commitment": repair_services.commitment_text(w.zhang_penalty, "张伟"), "evidence_correction": [pdf("proof.pdf")],
    }, format="multipart")
    assert r.status_code == 201, r.content.decode()[:1500]
    w.application = RepairApplication.objects.get(number=r.json()["number"])
    w.repair_evidence = w.application.evidence.get()

    # 李娜 authorised the bank, but the authorisation ran out yesterday
    today = timezone.localdate()
    w.expired = Authorisation.objects.create(
        subject=w.li, grantee_name=w.bank.name, grantee_code=w.bank.code, categories=["basic", "dishonesty"],
        purpose="个人消费贷款审批", valid_from=today - timedelta(days=40), expires_on=today - timedelta(days=1),
        rule_article="test", created_by=w.users["citizen2"])
    w.valid_grant = Authorisation.objects.valid_on(today).filter(subject=w.zhang, grantee_code=w.bank.code).first()
    w.tokens = {}
    for code in ("SCJG", "SWJ"):
        _, raw = ApiToken.issue(w.depts[code], name="matrix")
        w.tokens[code] = raw
    return w


def client_for(w: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(w.users[who])
    return client


def api_for(w: World, who: str) -> APIClient:
    client = APIClient()
    if who.startswith("token:"):
        client.credentials(HTTP_AUTHORIZATION=f"Token {w.tokens[who[6:]]}")
    elif who != "anonymous":
        client.force_login(w.users[who])
    return client
