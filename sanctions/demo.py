"""Demo data for ``bootstrap_demo`` (idempotent; runs after the records and disclosure demos).

* matters departments check before acting (政府采购、招标投标、行政许可、告知承诺、财政资金、公务员录用、评先评优 …);
* the national base list (published as issued) and the city's supplementary incentive / punishment list (published
  after public comment and the city government's approval), with real legal bases, plus next year's draft under
  public comment;
* severe-list entries in every due-process state (court-listed, listed after notice and decision, in the defence
  period, statement awaiting review, not listed after a successful defence, removed at the end of the term);
* red-list entries, commitments (pending, kept, broken), an interview, evaluations, and a few logged joint checks
  with feedback.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from credit_platform import demo_locale
from credit_platform.exceptions import DomainError
from credit_platform.models import Department
from records.models import Record, Subject
from credit_platform.policies import active_policy
from credit_platform.workdays import add_working_days
from records.models import LIVE_STATUSES
from sanctions import joint_check, services, sweeps
from sanctions.models import (
    Interview,
    JointCheck,
    Matter,
    Measure,
    MeasureList,
    RedListEntry,
    SevereListEntry,
)

ACTOR = "demo"

MATTERS = [
    # code, name, query purpose (Karamay art. 28), commitment route
    ("government_procurement", "政府采购", "public_resource_trading", False),
    ("bidding", "政府投资项目招标投标", "public_resource_trading", False),
    ("state_land", "国有土地使用权出让", "public_resource_trading", False),
    ("administrative_licence", "行政许可（含告知承诺制审批）", "licensing_inspection_penalty", True),
    ("certification", "证明事项告知承诺", "licensing_inspection_penalty", True),
    ("financial_subsidy", "财政资金补助和政策支持", "public_resource_trading", False),
    ("civil_servant_hiring", "公务员和事业单位工作人员录用、聘用", "staff_recruitment", False),
    ("qualification", "国有企业和事业单位负责人任职资格审核", "staff_recruitment", False),
    ("honours", "评先评优和表彰奖励", "awards", False),
    ("daily_supervision", "日常监管和“双随机、一公开”抽查", "licensing_inspection_penalty", False),
]

ORG = ["legal_person", "unincorporated", "individual_business"]
ALL = ["natural_person", *ORG]
SEVERE = ["severe", "specific_severe"]
GENERAL_UP = ["general", "severe", "specific_severe"]

GUOFA_33 = "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）"
GUOBAN_49 = "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"
GUOBAN_42 = "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"
KMY = "《克拉玛依市社会信用条例》"

# code, name, kind, trigger, tier, severities, targets, impact, basis level, legal basis, means, implementer, matters
NATIONAL = [
    ("QG-CJ-01", "限制参加政府采购活动", "punishment", "severe_list", "severe", [], ORG, "rights", "law",
     "《中华人民共和国政府采购法》第二十二条；《中华人民共和国政府采购法实施条例》第十九条",
     "参加政府采购活动前三年内有重大违法记录的，不得参加政府采购活动", "各级财政部门、采购人、采购代理机构",
     ["government_procurement"]),
    ("QG-CJ-02", "依法限制参与政府投资项目招标投标", "punishment", "severe_list", "severe", [], ORG, "rights",
     "central_policy", f"《中华人民共和国招标投标法实施条例》第三十四条；{GUOFA_33}",
     "在招标文件中对严重失信主体的投标资格依法作出限制", "招标人、各级发展改革和行业主管部门", ["bidding", "state_land"]),
    ("QG-CJ-03", "不得录用为公务员", "punishment", "severe_list", "severe", [], ["natural_person"], "rights", "law",
     "《中华人民共和国公务员法》第二十六条第（五）项", "被依法列为失信联合惩戒对象的，不得录用为公务员",
     "各级公务员主管部门、招录机关", ["civil_servant_hiring"]),
    ("QG-CJ-04", "限制申请财政性资金项目和享受优惠政策", "punishment", "severe_list", "severe", [], ORG, "rights",
     "central_policy", f"{GUOFA_33}；{GUOBAN_49}", "限制申请财政性资金项目，限制享受税收优惠等政策支持",
     "各级财政、发展改革等部门", ["financial_subsidy"]),
    ("QG-CJ-05", "限制担任国有企业法定代表人、董事、监事、高级管理人员", "punishment", "severe_list", "severe", [],
     ["natural_person"], "rights", "central_policy", GUOFA_33, "在任职资格审核中依法予以限制", "各级国资监管、组织人事部门",
     ["qualification"]),
    ("QG-CJ-06", "不适用告知承诺制", "punishment", "severe_list", "severe", [], ALL, "facilitation", "central_policy",
     GUOBAN_42, "对严重失信主体不适用告知承诺制，按一般程序办理", "各级审批部门",
     ["administrative_licence", "certification"]),
    ("QG-CJ-07", "撤销或者不得授予相关荣誉称号", "punishment", "severe_list", "severe", [], ALL, "rights", "central_policy",
     GUOFA_33, "不得参加评先评优，已获得的荣誉依规撤销", "各级评选表彰主管部门", ["honours"]),
    ("QG-JL-01", "行政许可中给予绿色通道和容缺受理", "incentive", "red_list", "", [], ALL, "none", "central_policy",
     GUOFA_33, "优先办理、简化程序、容缺受理", "各级审批部门", ["administrative_licence", "certification"]),
]

LOCAL = [
    ("KMY-CJ-01", "公共资源交易中给予信用减分、降低信用等次", "punishment", "record", "general", GENERAL_UP, ORG, "rights",
     "local_regulation", f"{KMY}第二十四条第（四）项", "按公共资源交易信用评价规则扣减信用分", "市公共资源交易中心、招标人",
     ["government_procurement", "bidding"]),
    ("KMY-CJ-02", "列为重点监管对象，增加检查频次", "punishment", "record", "general", GENERAL_UP, ORG, "rights",
     "local_regulation", f"{KMY}第二十四条第（三）项", "提高“双随机”抽查比例和频次，加强现场检查", "各行业主管部门",
     ["daily_supervision"]),
    ("KMY-CJ-03", "财政资金补助等优惠政策中给予相应限制", "punishment", "record", "general", GENERAL_UP, ORG, "rights",
     "local_regulation", f"{KMY}第二十四条第（五）项", "在同等条件下不予优先，情节严重的不予支持", "市财政局、市发展改革委",
     ["financial_subsidy"]),
    ("KMY-CJ-04", "表彰奖励活动中给予相应限制", "punishment", "record", "general", GENERAL_UP, ALL, "rights",
     "local_regulation", f"{KMY}第二十四条第（六）项", "失信信息公示期内不得参加评选", "各评选表彰主管部门", ["honours"]),
    ("KMY-CJ-05", "作出虚假承诺或未履行承诺的，不适用信用承诺制", "punishment", "broken_commitment", "general", [], ALL,
     "facilitation", "local_regulation", f"{KMY}第二十四条第（二）项", "修复前按一般程序办理，不适用告知承诺", "各级审批部门",
     ["administrative_licence", "certification"]),
    ("KMY-CJ-06", "约谈、告诫", "punishment", "record", "general", ["minor", *GENERAL_UP], ALL, "none", "local_regulation",
     f"{KMY}第二十四条第（一）项", "由认定部门约谈主要负责人，告知失信后果并督促整改", "认定部门", ["daily_supervision"]),
    ("KMY-JL-01", "公共资源交易中给予信用加分", "incentive", "red_list", "", [], ORG, "none", "local_regulation",
     f"{KMY}第二十二条第（三）项", "按公共资源交易信用评价规则给予加分", "市公共资源交易中心", ["government_procurement", "bidding"]),
    ("KMY-JL-02", "财政资金补助中同等条件下优先支持", "incentive", "red_list", "", [], ORG, "none", "local_regulation",
     f"{KMY}第二十二条第（二）项", "同等条件下列为优先选择对象", "市财政局、市发展改革委", ["financial_subsidy"]),
    ("KMY-JL-03", "合理降低抽查比例，减少检查频次", "incentive", "grade", "", [], ORG, "none", "local_regulation",
     f"{KMY}第二十二条第（四）项、第二十七条", "公共信用综合评价为A级的，降低抽查比例和频次", "各行业主管部门",
     ["daily_supervision"]),
    ("KMY-JL-04", "在信用门户网站宣传推介", "incentive", "red_list", "", [], ORG, "none", "local_regulation",
     f"{KMY}第二十二条第（五）项", "在克拉玛依信用门户网站和相关媒体宣传推介", "市发展改革委", ["honours"]),
]


def _department(code: str):
    return Department.objects.filter(code=code).first()


def _local_measure(locale, code, name, kind, basis, means, implementer):
    """A supplementary-list measure in the active profile's words: its code prefix, names and the article of the
    profile's statute on incentive or punishment measures (Karamay's rows as written)."""
    if locale.code == demo_locale.KARAMAY.code or not code.startswith("KMY-"):
        return code, name, basis, means, implementer
    return (f"{locale.item_prefix}-{code.removeprefix('KMY-')}", locale.localise(name),
            locale.basis("incentive" if kind == "incentive" else "punishment"), locale.localise(means),
            locale.localise(implementer))


def _measures(lst: MeasureList, specs) -> None:
    matters = {m.code: m for m in Matter.objects.all()}
    locale = demo_locale.current()
    for i, (code, name, kind, trigger, tier, severities, targets, impact, level, basis, means, implementer,
            matter_codes) in enumerate(specs):
        code, name, basis, means, implementer = _local_measure(locale, code, name, kind, basis, means, implementer)
        m = Measure.objects.create(
            measure_list=lst, code=code, name=name, kind=kind, trigger=trigger, tier=tier,
            categories=["dishonesty"] if trigger == "record" else [], severities=severities,
            grades=["A"] if trigger == "grade" else [], target="、".join(
                {"natural_person": "自然人", "legal_person": "法人", "unincorporated": "非法人组织",
                 "individual_business": "个体工商户"}[t] for t in targets),
            target_types=targets, rights_impact=impact, basis_level=level, legal_basis=basis, means=means,
            implementer=implementer, sort_order=i,
        )
        m.matters.set([matters[c] for c in matter_codes])


@transaction.atomic
def _lists(today: date) -> None:
    loc = demo_locale.current().localise
    for i, (code, name, purpose, route) in enumerate(MATTERS):
        Matter.objects.update_or_create(code=code, defaults={"name": name, "query_purpose": purpose,
                                                             "commitment_route": route, "sort_order": i})
    national, created = MeasureList.objects.get_or_create(
        title="全国失信惩戒措施基础清单（节选）", version_label="2021年版",
        defaults={"level": MeasureList.Level.NATIONAL, "issuer": "国家发展改革委、人民银行",
                  "approval_document": "发改财金规〔2021〕1827号"},
    )
    if created:
        _measures(national, NATIONAL)
        services.approve_list(national, actor=ACTOR, approval_document=national.approval_document)
        services.publish_list(national, actor=ACTOR, publication_ref="https://www.creditchina.gov.cn/",
                              effective_from=date(2022, 1, 1))
    local, created = MeasureList.objects.get_or_create(
        title=loc("克拉玛依市守信激励和失信惩戒措施补充清单"), version_label=f"{today.year}年版",
        defaults={"level": MeasureList.Level.MUNICIPAL, "issuer": loc("克拉玛依市发展和改革委员会")},
    )
    if created:
        _measures(local, LOCAL)
        services.open_public_comment(local, actor=ACTOR, opens_on=date(today.year, 1, 5), closes_on=date(today.year, 2, 5))
        local.comments.create(author=loc("克拉玛依市律师协会"), organisation=loc("克拉玛依市律师协会"),
                              content="建议在清单中写明各项惩戒措施适用的失信严重程度，防止小过重惩。",
                              response="已采纳：每项措施均列明适用的严重程度。")
        services.approve_list(local, actor=ACTOR, approval_document=loc(f"克政函〔{today.year}〕18号"))
        services.publish_list(local, actor=ACTOR, publication_ref=loc("克拉玛依信用网 公告"),
                              effective_from=date(today.year, 3, 1))
    draft, created = MeasureList.objects.get_or_create(
        title=loc("克拉玛依市守信激励和失信惩戒措施补充清单"), version_label=f"{today.year + 1}年版（征求意见稿）",
        defaults={"level": MeasureList.Level.MUNICIPAL, "issuer": loc("克拉玛依市发展和改革委员会")},
    )
    if created:
        _measures(draft, LOCAL[:4])
        services.open_public_comment(draft, actor=ACTOR, closes_on=today + timedelta(days=30))


def _severe_records(item_code: str, *, types=ORG, exclude=()):
    return list(Record.objects.filter(
        catalog_item__code=item_code, severity__in=SEVERE, status__in=LIVE_STATUSES, subject__type__in=types,
        parent__isnull=True,
    ).exclude(subject_id__in=list(exclude)).select_related("subject").order_by("id")[:6])


REMEDIES = "对本决定不服的，可以依法申请行政复议或者提起行政诉讼。"
REMOVAL = ("列入期限届满自动移出；已纠正失信行为、履行相关义务并满足信用修复条件的，可以申请信用修复，修复后移出；"
           "陈述申辩事实、理由和证据成立的，及时移出。")
PROCEDURE = "向认定部门或者通过公共信用信息平台提出申请，认定部门核实后作出移出决定，平台自移出之日起终止公示。"


def _propose(subject, department, rec, reasons: str, basis: str, measures, term=24):
    return services.propose_severe_listing(
        subject, department=department, reasons=reasons, basis=basis, records=[rec], measures=measures,
        term_months=term, removal_conditions=REMOVAL, removal_procedure=PROCEDURE, remedies=REMEDIES, actor=ACTOR,
    )


def _defence_days() -> int:
    """The period stated in the demo's notices: five working days, or the profile's own period when it sets a
    longer one (an officer may give more, never less — ``services.defence_period``)."""
    return max(5, active_policy().defence_period_days.value or 0)


def _backdate_notice(entry, days_ago: int) -> None:
    """Move a notice into the past, its defence period recomputed on the working-day calendar from that day (the
    same computation ``services.send_prior_notice`` makes), and far enough back that the period has run out."""
    today = timezone.localdate()
    while True:
        when = timezone.now() - timedelta(days=days_ago)
        due = add_working_days(when, entry.defence_days)
        if due.date < today:
            break
        days_ago += 7
    SevereListEntry.objects.filter(pk=entry.pk).update(notified_at=when, defence_due=due.date,
                                                       defence_due_provisional=due.provisional)
    entry.refresh_from_db()


def _entries(today: date) -> list[str]:
    done = []
    fy, swj, scjg = _department("FY"), _department("SWJ"), _department("SCJG")
    if not (fy and swj and scjg) or SevereListEntry.objects.exists():
        return done
    severe_measures = list(Measure.objects.published().filter(trigger="severe_list", kind="punishment"))
    used: set[int] = set()

    for rec in _severe_records("QG-ZX-001")[:2]:  # courts' dishonest judgment debtors: listed on receipt
        services.list_court_debtor(rec.subject, department=fy, case_number=rec.basis_number,
                                   decision_number=f"{rec.basis_number}之一", reasons="有履行能力而拒不履行生效法律文书确定的义务",
                                   basis="《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于公布失信被执行人名单信息的若干规定》",
                                   term_months=24, listed_on=rec.decided_on, records=[rec], actor=ACTOR)
        used.add(rec.subject_id)
        done.append(f"court-listed {rec.subject.name}")

    tax = [r for r in _severe_records("QG-QS-001") if r.subject_id not in used]
    loc = demo_locale.current().localise
    basis = "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）；" + demo_locale.current().basis("severe_list")
    states = ["listed", "removed", "notified", "not_listed"]
    for rec, state in zip(tax, states, strict=False):
        used.add(rec.subject_id)
        entry = _propose(rec.subject, swj, rec, f"{rec.catalog_item.name}：{rec.basis_number}", basis, severe_measures)
        services.send_prior_notice(entry, actor=ACTOR, notice_number=loc(f"克税告〔{today.year}〕{entry.pk}号"),
                                   delivery="平台送达并邮寄", defence_days=_defence_days())
        if state == "notified":
            done.append(f"notified (defence period running) {rec.subject.name}")
            continue
        _backdate_notice(entry, 40)
        if state == "not_listed":
            services.submit_defence(entry, statement="所欠税款已于告知前全部缴清，不属于重大税收违法失信主体。",
                                    evidence="完税凭证", user=None, channel="paper")
            services.review_defence(entry, outcome="upheld", reasons="经核实，当事人已在规定期限内缴清税款及滞纳金。", actor=ACTOR)
            done.append(f"not listed after defence {rec.subject.name}")
            continue
        services.decide_listing(entry, actor=ACTOR, decision_number=loc(f"克税决〔{today.year}〕{entry.pk}号"))
        if state == "removed":
            listed = today - timedelta(days=400)
            SevereListEntry.objects.filter(pk=entry.pk).update(listed_on=listed, term_end=listed + timedelta(days=365))
            SevereListEntry.objects.filter(parent=entry).update(listed_on=listed, term_end=listed + timedelta(days=365))
            sweeps.severe_list_terms(timezone.now())
            sweeps.publicity(timezone.now())
            done.append(f"removed at term end {rec.subject.name}")
        else:
            done.append(f"listed {rec.subject.name}")

    showcase = Record.objects.filter(source_ref="DISC-DEMO-CF-005", status="active").select_related("subject").first()
    candidates = [r for r in _severe_records("QG-CF-001") if r.subject_id not in used]
    builder = [showcase] if showcase and showcase.subject_id not in used else candidates[:1]
    for rec in builder:  # a statement awaiting review
        entry = _propose(rec.subject, scjg, rec, f"{rec.catalog_item.name}：{rec.basis_number}",
                         "《中华人民共和国产品质量法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）",
                         severe_measures)
        services.send_prior_notice(entry, actor=ACTOR, notice_number=loc(f"克市监告〔{today.year}〕{entry.pk}号"),
                                   delivery="平台送达", defence_days=_defence_days())
        services.submit_defence(entry, statement="涉案建材已全部召回并销毁，未造成实际损害，请求不予列入。",
                                evidence="召回记录、销毁记录", user=None, channel="portal")
        done.append(f"statement awaiting review {rec.subject.name}")
    return done


def _red_list(today: date) -> int:
    swj = _department("SWJ")
    if swj is None or RedListEntry.objects.exists():
        return 0
    added = 0
    candidates = Record.objects.filter(catalog_item__code="QG-NS-001", status="active", subject__type="legal_person")
    for rec in candidates.select_related("subject").order_by("id"):
        try:
            services.add_to_red_list(rec.subject, department=swj, actor=ACTOR, valid_until=date(today.year + 1, 4, 30),
                                     criteria=f"纳税信用A级纳税人，且无失信信息记录（{demo_locale.current().basis('red_list')}）")
        except DomainError:
            continue
        added += 1
        if added == 4:
            break
    return added


def _commitments(today: date) -> int:
    scjg = _department("SCJG")
    if scjg is None:
        return 0
    licence = Matter.objects.filter(code="administrative_licence").first()
    subjects = list(Subject.objects.filter(type="legal_person", severe_list_entries__isnull=True).order_by("id")[:6])
    energy = Subject.objects.filter(name=demo_locale.current().localise("克拉玛依示例能源有限公司")).first()
    if energy is not None:
        subjects.insert(0, energy)
    made = 0
    for i, subject in enumerate(subjects[:5]):
        decided = today - timedelta(days=20 + 15 * i)
        try:
            c, created = services.record_commitment(
                department=scjg, subject=subject, source_ref=f"DEMO-CN-{i + 1:03d}", matter=licence,
                title="食品经营许可告知承诺", content="本单位承诺符合食品经营许可条件，经营场所证明材料真实有效，并于两个月内补交。",
                made_on=decided, licence_number=f"JY165020{i + 1:06d}", licence_decided_on=decided, actor=ACTOR)
        except DomainError:
            continue
        made += created
        if created and i == 1:
            services.verify_commitment(c, result="kept", actor=ACTOR, method="现场核查", note="材料与实际相符")
        if created and i == 2:
            try:
                services.verify_commitment(c, result="false", actor=ACTOR, method="现场核查", note="经营场所证明系伪造",
                                           finding_number=demo_locale.current().localise(f"克市监核〔{today.year}〕7号"),
                                           revocation_number=demo_locale.current().localise(f"克市监撤〔{today.year}〕3号"))
            except DomainError:
                pass  # the commitment is no longer open to verification (invalid_state): the demo leaves it as it is
    return made


def _interviews(today: date) -> int:
    scjg = _department("SCJG")
    entry = SevereListEntry.objects.filter(status=SevereListEntry.Status.NOTIFIED, department=scjg).first()
    if entry is None or Interview.objects.exists():
        return 0
    services.record_interview(
        entry.subject, department=scjg, kind=Interview.InterviewKind.WARNING, held_on=today - timedelta(days=2),
        interviewee="法定代表人", interviewee_role="法定代表人", officials="市场监管局 王专员、李科长",
        reason="生产销售不合格建材，拟列入严重失信主体名单", summary="告知失信后果和陈述申辩权利，要求召回不合格产品并整改",
        requirements="30日内完成产品召回和质量体系整改，报送整改报告", rectify_by=today + timedelta(days=28),
        records=list(entry.records.all()), severe_entry=entry, actor=ACTOR,
    )
    return 1


def _checks() -> int:
    if JointCheck.objects.filter(requested_by=ACTOR).exists():
        return 0
    asks = []
    for entry in SevereListEntry.objects.filter(status=SevereListEntry.Status.LISTED, parent__isnull=True)[:2]:
        asks.append(("FGW", entry.subject.code, "bidding"))
        asks.append(("SCJG", entry.subject.code, "administrative_licence"))
    for entry in RedListEntry.objects.filter(status=RedListEntry.Status.LISTED)[:1]:
        asks.append(("FGW", entry.subject.code, "government_procurement"))
    n = 0
    for i, (dept_code, code, matter) in enumerate(asks):
        department = _department(dept_code)
        if department is None:
            continue
        check = joint_check.run_check(department=department, actor=ACTOR, subject_code=code, matter_code=matter)
        codes = [m["code"] for m in check.answer["measures"]]
        if codes and i % 3 == 0:
            joint_check.report_feedback(check, department=department, actor=ACTOR,
                                        results=[{"measure": c, "outcome": "applied"} for c in codes])
        elif codes and i % 3 == 1:
            joint_check.report_feedback(check, department=department, actor=ACTOR, results=[
                {"measure": c, "outcome": "not_applied", "reason": "该许可事项申请已撤回，未进入审批程序"} for c in codes])
        n += 1
    return n


def _evaluations() -> int:
    """A first evaluation for every subject with records that has none yet (a second run has nothing to do: the
    evaluation sweep keeps the existing ones current)."""
    n = 0
    pending = Subject.objects.filter(records__isnull=False, evaluation__isnull=True).distinct()
    for subject in pending.iterator():
        services.recompute_evaluation(subject)
        n += 1
    return n


def populate(stdout=None) -> None:
    today = timezone.localdate()
    _lists(today)
    entries = _entries(today)
    red = _red_list(today)
    commitments = _commitments(today)
    interviews = _interviews(today)
    checks = _checks()
    evaluated = _evaluations()
    if stdout is not None:
        stdout.write(
            f"  sanctions: {Matter.objects.count()} matters, {Measure.objects.published().count()} published measures, "
            f"{len(entries)} severe-list cases ({'; '.join(entries) or 'already present'}), {red} red-list entries, "
            f"{commitments} commitments, {interviews} interviews, {checks} joint checks, {evaluated} evaluations"
        )
