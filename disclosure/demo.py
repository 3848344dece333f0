"""Disclosure demo (idempotent; ``bootstrap_demo`` runs it after the records demo).

Links the portal demo users to subjects with records of every kind, computes every record's window, and leaves
an authorisation, queries in the log and a report so that every page has something to show:

* ``citizen`` (张伟) — a natural person with a non-public penalty, volunteer service, an authorisation to a bank;
* ``citizen2`` (李娜) — a natural person with a professional qualification;
* ``enterprise`` — agent of 克拉玛依示例能源有限公司 (public licence and penalties, a disputed penalty, non-public
  arrears, an honour, a commitment, a penalty whose publicity ended) and of the bank 张伟 authorised.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import querylog
from accounts.identity import VerifiedIdentity
from accounts.links import link_identity
from accounts.models import QueryLogEntry
from catalog.demo import departments
from credit_platform import demo_locale
from credit_platform.identifiers import make_ric, make_uscc
from disclosure import sweeps
from disclosure.models import Authorisation, RecordWindow
from disclosure.services import apply_windows, grant_authorisation, query_purposes
from records.demo import localise_row
from records.models import Record, Subject
from records.services.ingest import ingest

ZHANG_WEI = ("650203", date(1990, 1, 1), 611)
LI_NA = ("650204", date(1992, 8, 8), 622)
WANG = ("650202", date(1972, 5, 20), 633)
ENERGY = ("克拉玛依示例能源有限公司", 880_001)
BANK = ("克拉玛依示例银行股份有限公司", 880_002)
BUILDER = ("克拉玛依示例建材有限公司", 880_003)


def _penalty(ref, subject, decided, *, item="QG-CF-001", severity="general", types=("fine",), issuer, uscc, violation,
             fine=1.0, occurred=None):
    number = f"克市监罚〔{decided.year}〕{ref[-3:]}号"
    return {
        "source_ref": ref, "catalog_item": item, "subject": subject, "severity": severity, "procedure": "general",
        "penalty_types": list(types), "basis_document": {"number": number, "issuer": issuer, "issued_on": decided.isoformat()},
        "occurred_on": (occurred or decided - timedelta(days=30)).isoformat(), "decided_on": decided.isoformat(),
        "ended_on": (occurred or decided - timedelta(days=30)).isoformat(),
        "content": {"决定书文号": number, "违法行为类型": violation, "违法事实": f"经查，当事人存在{violation}的行为。",
                    "处罚依据": "《中华人民共和国食品安全法》第一百二十四条", "处罚类别": "罚款", "处罚内容": f"罚款人民币{fine}万元",
                    "罚款金额（万元）": fine, "处罚决定日期": decided.isoformat(), "处罚机关": issuer,
                    "处罚机关统一社会信用代码": uscc, "数据来源单位": issuer, "数据来源单位统一社会信用代码": uscc},
    }


def person_code(spec: tuple[str, date, int]) -> str:
    """A demo citizen's ID number, born in the active profile's city (Karamay's district moved to the same-rank
    district of the city in ``demo_locale``)."""
    region, born, sequence = spec
    locale = demo_locale.current()
    if locale.code != demo_locale.KARAMAY.code:
        districts = locale.districts
        region = districts[(int(region) - 650202) % len(districts)]
    return make_ric(region, born, sequence)


def enterprise_code(spec: tuple[str, int]) -> str:
    """A demo enterprise's USCC, registered in the active profile's city."""
    return make_uscc(demo_locale.current().region, spec[1])


def enterprise_name(spec: tuple[str, int]) -> str:
    return demo_locale.current().localise(spec[0])


def _rows(today: date, depts) -> dict[str, list[dict]]:
    scjg = depts["SCJG"]
    issuer, uscc = scjg.name, scjg.uscc or make_uscc(demo_locale.current().region, 920, authority="1", kind="1")
    zhang = {"type": "natural_person", "code": person_code(ZHANG_WEI), "name": "张伟"}
    li = {"type": "natural_person", "code": person_code(LI_NA), "name": "李娜"}
    energy = {"type": "legal_person", "code": enterprise_code(ENERGY), "name": enterprise_name(ENERGY),
              "related_persons": [{"role": "legal_representative", "type": "natural_person", "code": person_code(WANG),
                                   "name": "王建国"}]}
    bank = {"type": "legal_person", "code": enterprise_code(BANK), "name": enterprise_name(BANK)}
    builder = {"type": "legal_person", "code": enterprise_code(BUILDER), "name": enterprise_name(BUILDER)}
    year = today.year
    rows = {
        "SCJG": [
            # the registration on file (登记注册信息): the subject page's 法定代表人, 成立日期, 住所, 登记机关
            {"source_ref": "DISC-DEMO-DJ-001", "catalog_item": "QG-DJ-001", "subject": energy,
             "decided_on": date(2012, 5, 18).isoformat(),
             "responsible_persons": [{"role": "legal_representative", "code": person_code(WANG), "name": "王建国"}],
             "content": {"登记机关": issuer, "成立日期": date(2012, 5, 18).isoformat(), "注册资本（万元）": 3000.0,
                         "住所": "克拉玛依市克拉玛依区友谊路88号", "登记状态": "存续"}},
            {"source_ref": "DISC-DEMO-XK-001", "catalog_item": "QG-XK-001", "subject": energy,
             "decided_on": date(year - 1, 3, 1).isoformat(),
             "content": {"决定文书号": "克市监许〔2025〕88号", "许可证书名称": "危险化学品经营许可证", "许可类别": "普通",
                         "许可编号": "KMY-WH-2025-0088", "许可决定日期": date(year - 1, 3, 1).isoformat(),
                         "有效期自": date(year - 1, 3, 1).isoformat(), "有效期至": date(year + 2, 2, 28).isoformat(),
                         "许可内容": "成品油批发", "许可机关": issuer, "许可机关统一社会信用代码": uscc,
                         "数据来源单位": issuer, "数据来源单位统一社会信用代码": uscc}},
            _penalty("DISC-DEMO-CF-001", energy, today - timedelta(days=120), issuer=issuer, uscc=uscc,
                     violation="未按规定标示加油机计量信息", fine=2.0),
            _penalty("DISC-DEMO-CF-002", energy, today - timedelta(days=60), issuer=issuer, uscc=uscc,
                     violation="虚假宣传", fine=0.5),
            _penalty("DISC-DEMO-CF-003", energy, date(year - 4, 2, 10), issuer=issuer, uscc=uscc,
                     violation="未按规定公示年度报告", fine=0.2, occurred=date(year - 4, 1, 5)),
            _penalty("DISC-DEMO-CF-004", zhang, today - timedelta(days=200), issuer=issuer, uscc=uscc,
                     violation="无照经营", fine=0.3),
            _penalty("DISC-DEMO-CF-005", builder, today - timedelta(days=90), severity="severe",
                     types=("fine", "permit_revocation"), issuer=issuer, uscc=uscc, violation="生产销售不合格建材", fine=20.0),
            {"source_ref": "DISC-DEMO-CN-001", "catalog_item": "KMY-QT-001", "subject": energy,
             "decided_on": (today - timedelta(days=30)).isoformat(),
             "content": {"承诺类型": "审批替代型", "承诺事项": "依法诚信经营，所提交材料真实有效",
                         "承诺日期": (today - timedelta(days=30)).isoformat(), "受理单位": issuer, "履约状态": "履约"}},
        ],
        "RSJ": [
            {"source_ref": "DISC-DEMO-SB-001", "catalog_item": "KMY-SXX-002", "subject": energy, "severity": "general",
             "basis_document": {"number": "克人社监〔2026〕5号", "issuer": depts["RSJ"].name,
              "issued_on": (today - timedelta(days=45)).isoformat()},
             "decided_on": (today - timedelta(days=45)).isoformat(),
             "content": {"欠缴项目": "基本养老保险费", "欠缴金额（元）": 36000.0}},
            {"source_ref": "DISC-DEMO-ZG-001", "catalog_item": "KMY-JC-003", "subject": li,
             "decided_on": date(year - 1, 6, 1).isoformat(),
             "content": {"事项名称": "执业药师", "认定日期": date(year - 1, 6, 1).isoformat()}},
        ],
        "FGW": [
            {"source_ref": "DISC-DEMO-BZ-001", "catalog_item": "KMY-SX-001", "subject": energy,
             "decided_on": date(year - 1, 12, 1).isoformat(),
             "content": {"荣誉名称": "克拉玛依市诚信经营示范单位", "授予机关": "克拉玛依市人民政府",
                         "授予日期": date(year - 1, 12, 1).isoformat(), "级别": "市级"}},
        ],
        "XYZX": [
            {"source_ref": "DISC-DEMO-ZY-001", "catalog_item": "KMY-SX-002", "subject": zhang,
             "decided_on": date(year - 1, 10, 1).isoformat(),
             "content": {"事项名称": "志愿服务", "事项说明": "累计志愿服务320小时", "认定日期": date(year - 1, 10, 1).isoformat()}},
        ],
    }
    return localise_row(rows, demo_locale.current()), {"zhang": zhang, "li": li, "energy": energy, "bank": bank}


def _ensure_subject(spec):
    code_type = "ric" if spec["type"] == "natural_person" else "uscc"
    subject, _ = Subject.objects.get_or_create(code_type=code_type, code=spec["code"],
                                               defaults={"type": spec["type"], "name": spec["name"]})
    return subject


def populate(stdout=None) -> None:
    today = timezone.localdate()
    depts = departments()
    rows, people = _rows(today, depts)
    rejected = 0
    for code, batch in rows.items():
        result = ingest(depts[code], batch, channel="demo")
        rejected += len(result.rejected)
        for r in result.rejected[:3]:
            if stdout is not None:
                stdout.write(f"  rejected {r['source_ref']}: {r['code']} {r['field']}")
    # Windows for every record that has none yet (records pushed before this hook existed, the records demo).
    missing = Record.objects.filter(~Exists(RecordWindow.objects.filter(record_id=OuterRef("pk")))).values_list("pk", flat=True)
    computed = apply_windows(list(missing))
    subjects = {key: _ensure_subject(spec) for key, spec in people.items()}
    Record.objects.filter(source_ref="DISC-DEMO-CF-002").update(disputed=True)

    User = get_user_model()
    links = {"citizen": [("zhang", "natural_person")], "citizen2": [("li", "natural_person")],
             "enterprise": [("energy", "enterprise"), ("bank", "enterprise")]}
    for username, targets in links.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for key, kind in targets:
            s = subjects[key]
            link_identity(user, VerifiedIdentity(kind, s.code_type, s.code, s.name, "development"))

    zhang, bank = subjects["zhang"], subjects["bank"]
    citizen = User.objects.filter(username="citizen").first()
    if not Authorisation.objects.filter(subject=zhang, grantee_code=bank.code, revoked_at__isnull=True).exists():
        grant_authorisation(zhang, citizen, grantee_name=bank.name, grantee_code=bank.code,
                            categories=["basic", "dishonesty"], purpose="个人消费贷款审批",
                            expires_on=today + timedelta(days=30))
    if not QueryLogEntry.objects.filter(subject_id=zhang.pk, action="government").exists():
        officer = User.objects.filter(username="officer_scjg").first()
        if officer is not None:
            purpose = query_purposes()[0]
            querylog.append(actor=officer, subject=zhang, action=QueryLogEntry.Action.GOVERNMENT, scope=["full"],
                            channel=QueryLogEntry.Channel.PORTAL, purpose=purpose.code, purpose_label=purpose.label)
        agent = User.objects.filter(username="enterprise").first()
        grant = Authorisation.objects.filter(subject=zhang, grantee_code=bank.code).first()
        if agent is not None and grant is not None:
            querylog.append(actor=agent, subject=zhang, action=QueryLogEntry.Action.AUTHORISED, scope=grant.categories,
                            channel=QueryLogEntry.Channel.PORTAL, purpose="authorised", purpose_label=grant.purpose,
                            reference=f"AUTH-{grant.pk}")
    sweeps.run_all()
    if stdout is not None:
        stdout.write(f"  disclosure: windows computed for {computed} records, {rejected} demo rows rejected; "
                     f"{Subject.objects.count()} subjects; portal users linked (citizen → 张伟, citizen2 → 李娜, "
                     f"enterprise → {enterprise_name(ENERGY)} and {enterprise_name(BANK)})")
