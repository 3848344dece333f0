"""Every rejection rule, through the batch API: one bad row is rejected with its code and field, the good row
next to it is still stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credit_platform.identifiers import make_ric
from records.models import Record
from tests.catalog.factories import MARKET, OPEN, TAX_ARREARS
from tests.records import factories as f

pytestmark = pytest.mark.django_db


def years_ago(years: int):
    """Today's date ``years`` ago (29 February safe: a date bomb every leap day otherwise)."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def rejected_one(push, bad: dict, *, client=None) -> dict:
    """Push ``bad`` next to a good row; return the single rejection (and check the good row was stored)."""
    good = f.penalty()
    body = push(good, bad, client=client) if client else push(good, bad)
    assert body["created"] == 1, body
    assert Record.objects.filter(source_ref=good["source_ref"]).exists()
    assert len(body["rejected"]) == 1, body["rejected"]
    rejection = body["rejected"][0]
    assert rejection["index"] == 1
    assert rejection["source_ref"] == bad.get("source_ref")
    assert " / " in rejection["message"]
    assert not Record.objects.filter(source_ref=bad.get("source_ref")).exists()
    return rejection


def _flip_last(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def future(days: int = 3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- identifiers ----------------------------------------------------------------------------------------------
def test_bad_uscc_checksum(push):
    r = rejected_one(push, f.penalty(code=_flip_last(f.uscc())))
    assert (r["code"], r["field"]) == ("invalid_uscc", "subject.code")


def test_uscc_with_bad_embedded_organisation_code(push):
    """stdnum accepts it (last character right), GB 11714 does not (organisation code's check digit)."""
    from stdnum.cn import uscc as stdnum_uscc

    body = "91650200" + "12345678" + "0"  # wrong GB 11714 check digit for 12345678
    code = body + stdnum_uscc.calc_check_digit(body)
    assert stdnum_uscc.is_valid(code)
    r = rejected_one(push, f.penalty(code=code))
    assert (r["code"], r["field"]) == ("invalid_uscc_org_code", "subject.code")


def test_bad_resident_id_checksum(push):
    bad = f.penalty(subject={"type": "natural_person", "code": _flip_last(f.ric()), "name": "张三"})
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("invalid_id_checksum", "subject.code")


def test_resident_id_with_future_birth_date(push):
    born = timezone.localdate() + timedelta(days=40)
    bad = f.penalty(subject={"type": "natural_person", "code": make_ric("650203", born, 11), "name": "张三"})
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("invalid_id_birth_date", "subject.code")


def test_resident_id_with_impossible_birth_date(push):
    from stdnum.cn import ric

    body = "65020319850231123"  # 31 February
    bad = f.penalty(subject={"type": "natural_person", "code": body + ric.calc_check_digit(body + "0"), "name": "张三"})
    r = rejected_one(push, bad)
    assert r["code"] == "invalid_id_birth_date"


def test_passport_is_a_typed_fallback_for_natural_persons(push):
    row = f.penalty(subject={"type": "natural_person", "code_type": "passport", "code": "E12345678", "name": "JOHN SMITH"})
    body = push(row)
    assert body["created"] == 1, body["rejected"]
    bad = f.penalty(subject={"type": "natural_person", "code_type": "passport", "code": "!!", "name": "X"})
    assert push(bad)["rejected"][0]["code"] == "invalid_document_number"


def test_legal_person_cannot_use_a_resident_id(push):
    bad = f.penalty(subject={"type": "legal_person", "code_type": "ric", "code": f.ric(), "name": "某公司"})
    assert rejected_one(push, bad)["code"] == "invalid_code_type"


# --- catalog --------------------------------------------------------------------------------------------------
def test_unknown_item(push):
    r = rejected_one(push, f.penalty(catalog_item="NO-SUCH"))
    assert (r["code"], r["field"]) == ("unknown_item", "catalog_item")


def test_item_this_department_does_not_provide(push):
    bad = f.penalty(catalog_item=TAX_ARREARS, content={})
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("item_not_provided", "catalog_item")


def test_draft_catalog_items_are_not_in_force(push, department):
    from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory

    draft = CatalogVersionFactory()
    CatalogItemFactory(version=draft, code="DRAFT-ONLY", providers=[department])
    assert rejected_one(push, f.penalty(catalog_item="DRAFT-ONLY"))["code"] == "unknown_item"


# --- statutory ------------------------------------------------------------------------------------------------
def test_dishonesty_without_basis_document(push):
    r = rejected_one(push, f.penalty(basis_document=None))
    assert (r["code"], r["field"]) == ("basis_document_required", "basis_document")
    assert "克拉玛依" not in r["message"] or "第" in r["message"]


def test_dishonesty_with_incomplete_basis_document(push):
    bad = f.penalty(basis_document={"number": "克市监罚〔2026〕12号", "issuer": "", "issued_on": "2026-03-02"})
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("basis_document_required", "basis_document.issuer")


def test_dishonesty_needs_a_severity(push):
    assert rejected_one(push, f.penalty(severity=None))["code"] == "severity_required"


def test_simplified_procedure_is_excluded(push):
    r = rejected_one(push, f.penalty(procedure="simplified", penalty_types=["warning"]))
    assert (r["code"], r["field"]) == ("simplified_procedure_excluded", "procedure")
    assert "第十三条" in r["message"]  # Karamay art. 13(6), cited from the profile


def test_minor_violation_remedied_is_excluded_karamay(push):
    r = rejected_one(push, f.penalty(minor_violation=True, harm_mitigated=True))
    assert r["code"] == "minor_violation_excluded"
    assert "第十三条" in r["message"]


def test_heilongjiang_excludes_only_minor_and_mitigated(push, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    # Heilongjiang art. 19: minor *and* mitigated is excluded; mitigation alone is recorded.
    assert push(f.penalty(harm_mitigated=True))["created"] == 1
    r = rejected_one(push, f.penalty(minor_violation=True, harm_mitigated=True))
    assert r["code"] == "minor_violation_excluded"
    assert "第十九条" in r["message"]


def test_penalty_needs_penalty_types_from_the_statutory_list(push):
    assert rejected_one(push, f.penalty(penalty_types=[]))["code"] == "penalty_types_required"
    r = rejected_one(push, f.penalty(penalty_types=["fine", "flogging"]))
    assert (r["code"], r["field"]) == ("invalid_choice", "penalty_types[1]")


def test_bad_choices(push):
    assert rejected_one(push, f.penalty(severity="catastrophic"))["field"] == "severity"
    assert rejected_one(push, f.penalty(procedure="summary"))["field"] == "procedure"
    bad = f.penalty()
    bad["subject"]["type"] = "robot"
    assert rejected_one(push, bad)["field"] == "subject.type"


# --- content ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content, field", [
    ({"说明": "x", "宗教信仰": "佛教"}, "content.宗教信仰"),
    ({"说明": "x", "religion": "Buddhist"}, "content.religion"),
    ({"说明": "x", "bloodType": "AB"}, "content.bloodType"),
    ({"说明": "x", "blood_group": "O"}, "content.blood_group"),
    ({"说明": "当事人为A型血"}, "content.说明"),
    ({"说明": "x", "病史": "高血压"}, "content.病史"),
    ({"说明": "x", "medical_history": "asthma"}, "content.medical_history"),
    ({"说明": "He was diagnosed with diabetes in 2020"}, "content.说明"),
    ({"说明": "x", "疾病名称": "糖尿病"}, "content.疾病名称"),
    ({"说明": "x", "基因检测结果": "..."}, "content.基因检测结果"),
    ({"说明": "x", "dna_profile": "..."}, "content.dna_profile"),
    ({"说明": "x", "person": {"fingerprint": "base64…"}}, "content.person.fingerprint"),
    ({"说明": ["ok", "指纹特征：3f9a…"]}, "content.说明[1]"),
])
def test_prohibited_information_by_key_and_value(push, content, field):
    row = {"source_ref": f"BAD-{abs(hash(field)) % 10**8}", "catalog_item": OPEN,
           "subject": f.person(), "content": content}
    r = rejected_one(push, row)
    assert (r["code"], r["field"]) == ("forbidden_content", field)
    assert "第十八条" in r["message"]  # Karamay art. 18


def test_forbidden_applies_to_organisations_too(push):
    row = f.penalty(content=f.penalty_content(**{"备注": "法定代表人血型：O型"}))
    assert rejected_one(push, row)["code"] == "forbidden_content"


def test_heilongjiang_also_forbids_other_biometrics(push, settings):
    row = {"source_ref": "BIO-1", "catalog_item": OPEN, "subject": f.person(), "content": {"人脸特征": "…"}}
    assert push(row)["created"] == 1  # Karamay lists genes and fingerprints only
    settings.CREDIT_POLICY = "heilongjiang"
    row = dict(row, source_ref="BIO-2")
    assert rejected_one(push, row)["code"] == "forbidden_content"


def test_ordinary_penalty_wording_is_not_mistaken_for_prohibited_information(push):
    content = f.penalty_content(**{
        "违法行为类型": "安排患有有碍食品安全疾病的人员从事接触直接入口食品的工作",
        "违法事实": "销售未按规定标识的转基因食品",
        "处罚机关": "克拉玛依市疾病预防控制中心",
    })
    assert push(f.penalty(content=content))["created"] == 1


@pytest.mark.parametrize("content", [
    {"月收入": 8000}, {"monthly_income": 8000}, {"说明": "存款余额：50000元"}, {"securities": ["600000"]},
    {"商业保险": "寿险"}, {"房产": "1套"}, {"real_estate": "flat"}, {"纳税数额": 3000}, {"taxPaid": 1},
])
def test_restricted_information_needs_written_consent(push, content):
    row = {"source_ref": "RES-1", "catalog_item": OPEN, "subject": f.person(), "content": content}
    r = rejected_one(push, row)
    assert r["code"] == "restricted_content_without_consent"
    assert r["field"].startswith("content")
    row["consent_ref"] = "SQ-2026-0001"
    assert push(row)["created"] == 1


def test_restricted_rule_is_about_natural_persons(push):
    row = {"source_ref": "RES-ORG", "catalog_item": OPEN,
           "subject": {"type": "legal_person", "code": f.uscc(), "name": "某公司"}, "content": {"营业收入（万元）": 120}}
    assert push(row)["created"] == 1


def test_market_information_of_a_natural_person_needs_consent(push):
    row = {"source_ref": "MKT-1", "catalog_item": MARKET, "subject": f.person(), "content": {"评价等级": "A"}}
    r = rejected_one(push, row)
    assert (r["code"], r["field"]) == ("market_info_without_consent", "consent_ref")
    row["consent_ref"] = "TY-2026-0001"
    assert push(row)["created"] == 1


def test_market_information_of_a_minor_needs_the_guardians_consent(push):
    born = years_ago(15)
    row = {"source_ref": "MKT-MINOR", "catalog_item": MARKET, "subject": f.person("小明", born=born),
           "content": {"评价等级": "A"}, "consent_ref": "TY-own"}
    r = rejected_one(push, row)
    assert (r["code"], r["field"]) == ("minor_without_guardian_consent", "guardian_consent_ref")
    row["guardian_consent_ref"] = "JH-2026-0001"
    body = push(row)
    assert body["created"] == 1
    assert Record.objects.get(source_ref="MKT-MINOR").is_minor is True


def test_restricted_information_of_a_minor_needs_the_guardians_consent(push):
    born = years_ago(10)
    row = {"source_ref": "RES-MINOR", "catalog_item": OPEN, "subject": f.person("小红", born=born),
           "content": {"存款": 100}, "consent_ref": "own"}
    assert rejected_one(push, row)["code"] == "minor_without_guardian_consent"


@pytest.mark.parametrize("field", ["occurred_on", "decided_on", "ended_on"])
def test_dates_in_the_future(push, field):
    r = rejected_one(push, f.penalty(**{field: future()}))
    assert (r["code"], r["field"]) == ("date_in_future", field)


def test_basis_document_date_in_the_future(push):
    bad = f.penalty(basis_document={"number": "x", "issuer": "y", "issued_on": future()})
    assert rejected_one(push, bad)["field"] == "basis_document.issued_on"


def test_invalid_dates_and_order(push):
    assert rejected_one(push, f.penalty(occurred_on="2026-02-30"))["code"] == "invalid_date"
    assert rejected_one(push, f.penalty(occurred_on="15/01/2026"))["code"] == "invalid_date"
    r = rejected_one(push, f.penalty(occurred_on="2026-03-05", decided_on="2026-03-02"))
    assert (r["code"], r["field"]) == ("invalid_date_order", "decided_on")


def test_continuing_act_has_no_end_date(push):
    assert push(f.penalty(ended_on=None))["created"] == 1


def test_content_that_does_not_match_the_items_schema(push):
    content = f.penalty_content()
    del content["违法事实"]
    r = rejected_one(push, f.penalty(content=content))
    assert (r["code"], r["field"]) == ("content_schema_mismatch", "content")
    r = rejected_one(push, f.penalty(content=f.penalty_content(**{"罚款金额（万元）": "两万"})))
    assert (r["code"], r["field"]) == ("content_schema_mismatch", "content.罚款金额（万元）")
    r = rejected_one(push, f.penalty(content=f.penalty_content(**{"处罚决定日期": "2026-13-40"})))
    assert r["field"] == "content.处罚决定日期"


def test_structural_errors(push):
    assert rejected_one(push, {"catalog_item": OPEN})["code"] == "required"  # no source_ref
    bad = f.penalty()
    del bad["subject"]
    assert rejected_one(push, bad)["field"] == "subject"
    bad = f.penalty()
    bad["subject"]["name"] = ""
    assert rejected_one(push, bad)["field"] == "subject.name"
    assert rejected_one(push, f.penalty(content=["not", "an", "object"]))["code"] == "invalid_type"
    assert rejected_one(push, f.penalty(source_ref="A#B"))["code"] == "invalid_source_ref"


def test_non_object_row(push):
    body = push(f.penalty(), "just a string")
    assert body["created"] == 1
    assert body["rejected"][0]["code"] == "invalid_row"


def test_subject_type_conflict(push):
    code = f.uscc()
    push(f.penalty(code=code))
    bad = f.penalty(code=code)
    bad["subject"]["type"] = "unincorporated"
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("subject_type_conflict", "subject.type")


def test_responsible_person_checks(push):
    bad = f.penalty(responsible_persons=[{"role": "legal_representative", "code": _flip_last(f.ric()), "name": "李四"}])
    r = rejected_one(push, bad)
    assert (r["code"], r["field"]) == ("invalid_id_checksum", "responsible_persons[0].code")
    bad = f.penalty(responsible_persons=[{"role": "mascot", "code": f.ric(), "name": "李四"}])
    assert rejected_one(push, bad)["code"] == "invalid_role"


# --- batch level: one clear 400, nothing stored ------------------------------------------------------------------
def test_batch_over_the_limit(scjg_client, settings):
    settings.RECORDS_BATCH_LIMIT = 3
    rows = [f.penalty() for _ in range(4)]
    response = scjg_client.post("/api/v1/records/batch/", {"records": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    assert Record.objects.count() == 0


def test_default_batch_limit_is_5000(scjg_client):
    rows = [{"source_ref": str(i)} for i in range(5001)]
    response = scjg_client.post("/api/v1/records/batch/", {"records": rows}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "batch_too_large"
    assert "5000" in response.json()["message"]


def test_malformed_json(scjg_client):
    response = scjg_client.generic("POST", "/api/v1/records/batch/", '{"records": [ {"source_ref": ',
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert Record.objects.count() == 0


def test_body_without_records_list(scjg_client):
    response = scjg_client.post("/api/v1/records/batch/", {"rows": []}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_batch"
    response = scjg_client.post("/api/v1/records/batch/", [f.penalty()], format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_batch"
