"""Demo catalog for ``bootstrap_demo`` (idempotent): the national base catalog, the city's published municipal
supplement and a revised draft open for public comment. Legal bases are drawn from the seed statutes.

The rows below are written in Karamay's words; under another profile (``CREDIT_POLICY``) the supplement is the
profile's own city's (``credit_platform.demo_locale``): its title, item codes (``KMY-…`` → ``HLJ-…``, ``QF-…``,
``FZ-…``, ``ZY-…``), names and the articles of the profile's statute for each category.
"""

from __future__ import annotations

import json
from datetime import date

from django.db import transaction

from catalog import services
from catalog.models import (
    CatalogItem,
    CatalogVersion,
    Category,
    Channel,
    InfoKind,
    MatterType,
    Openness,
    SharingScope,
    UpdateCycle,
)
from catalog.schema import licence_schema, object_schema, penalty_schema
from credit_platform import demo_locale
from credit_platform.models import Department

DEPARTMENTS = {
    "FGW": ("市发展和改革委员会", False),
    "SCJG": ("市市场监督管理局", False),
    "SWJ": ("国家税务总局克拉玛依市税务局", False),
    "RSJ": ("市人力资源和社会保障局", False),
    "ZJJ": ("市住房和城乡建设局", False),
    "FY": ("克拉玛依市中级人民法院", False),
    "XYZX": ("市社会信用中心", True),
}

KMY = "《克拉玛依市社会信用条例》"
HLJ = "《黑龙江省社会信用条例（征求意见稿）》"
QF = "《曲阜市社会信用管理办法（试行）》"
ZY = "《张掖市社会信用体系建设条例（草案）》"
NATIONAL = "《全国公共信用信息基础目录（2025年版）》"


def _schema(title: str, fields: dict[str, dict], required: list[str]) -> dict:
    return object_schema(title, fields, required, closed=False)


_TEXT = {"type": "string", "maxLength": 2000}
_DATE = {"type": "string", "format": "date"}
_MONEY = {"type": "number", "minimum": 0}

REGISTRATION_SCHEMA = _schema("登记注册信息", {
    "登记机关": _TEXT, "成立日期": _DATE, "注册资本（万元）": _MONEY, "住所": _TEXT, "经营范围": _TEXT,
    "登记状态": {"type": "string", "enum": ["存续", "在业", "吊销", "注销", "迁出"]},
}, ["登记机关", "成立日期", "登记状态"])
ARREARS_SCHEMA = _schema("欠缴信息", {
    "欠缴项目": _TEXT, "欠缴金额（元）": _MONEY, "欠缴所属期起": _DATE, "欠缴所属期止": _DATE, "催缴文书号": _TEXT,
}, ["欠缴项目", "欠缴金额（元）"])
HONOUR_SCHEMA = _schema("表彰奖励信息", {
    "荣誉名称": _TEXT, "授予机关": _TEXT, "授予日期": _DATE, "级别": {"type": "string", "enum": ["国家级", "自治区级", "市级"]},
}, ["荣誉名称", "授予机关", "授予日期"])
ENFORCEMENT_SCHEMA = _schema("失信被执行人信息", {
    "执行案号": _TEXT, "执行法院": _TEXT, "生效法律文书确定的义务": _TEXT, "履行情况": _TEXT, "失信行为具体情形": _TEXT,
}, ["执行案号", "执行法院", "失信行为具体情形"])
COMMITMENT_SCHEMA = _schema("信用承诺信息", {
    "承诺类型": {"type": "string", "enum": ["审批替代型", "容缺受理型", "行业自律型", "信用修复型", "主动型"]},
    "承诺事项": _TEXT, "承诺日期": _DATE, "受理单位": _TEXT, "履约状态": {"type": "string", "enum": ["履约", "未履约", "核查中"]},
}, ["承诺类型", "承诺事项", "承诺日期"])
GENERIC_SCHEMA = _schema("信息内容", {"事项名称": _TEXT, "事项说明": _TEXT, "认定日期": _DATE}, [])

# code, name, behaviour, category, matter type, providers, legal basis, extra fields
NATIONAL_ITEMS = [
    ("QG-DJ-001", "市场主体登记注册基本信息", "法人、非法人组织和个体工商户的设立、变更、注销登记", Category.BASIC, MatterType.REGISTRATION,
     ["SCJG"], f"{NATIONAL}；{KMY}第十一条第（二）项", {"content_schema": REGISTRATION_SCHEMA, "update_cycle": UpdateCycle.DAILY}),
    ("QG-XK-001", "行政许可信息", "行政机关依申请作出的准予行政许可决定", Category.BASIC, MatterType.LICENCE,
     ["SCJG", "ZJJ", "RSJ", "FGW"], f"{NATIONAL}；{KMY}第十一条第（三）项", {"content_schema": licence_schema()}),
    ("QG-CF-001", "行政处罚信息", "适用一般程序作出的行政处罚决定", Category.DISHONESTY, MatterType.PENALTY,
     ["SCJG", "SWJ", "ZJJ", "RSJ"], f"{NATIONAL}；{KMY}第十三条第（六）项；{QF}第十五条",
     {"content_schema": penalty_schema(), "publicity_months_min": 3, "publicity_months_max": 36}),
    ("QG-ZX-001", "失信被执行人信息", "有履行能力而拒不履行生效法律文书确定义务", Category.DISHONESTY, MatterType.JUDICIAL,
     ["FY"], f"{NATIONAL}；{KMY}第十三条第（七）项", {"content_schema": ENFORCEMENT_SCHEMA, "publicity_months_max": 36}),
    ("QG-QS-001", "重大税收违法失信主体信息", "欠缴税款、逃避追缴欠税等重大税收违法行为", Category.DISHONESTY, MatterType.ARREARS,
     ["SWJ"], f"{NATIONAL}；{KMY}第十三条第（二）项", {"content_schema": ARREARS_SCHEMA, "publicity_months_max": 36}),
    ("QG-FZ-001", "经人民法院生效判决认定构成犯罪的信息", "因违反诚信原则被依法追究刑事责任", Category.DISHONESTY, MatterType.JUDICIAL,
     ["FY"], f"{NATIONAL}；{KMY}第十三条第（八）项", {"repairable": False, "openness": Openness.CONDITIONAL}),
    ("QG-NS-001", "纳税信用A级纳税人名单", "年度纳税信用评价为A级", Category.TRUST, MatterType.EVALUATION,
     ["SWJ"], f"{NATIONAL}；{KMY}第十二条第（四）项", {"update_cycle": UpdateCycle.YEARLY}),
    ("QG-RZ-001", "认证认可信息", "获得强制性产品认证、管理体系认证等", Category.BASIC, MatterType.CONFIRMATION,
     ["SCJG"], f"{NATIONAL}；{KMY}第十一条第（三）项", {}),
]

MUNICIPAL_ITEMS = [
    # --- 基础信息 (Karamay art. 11) -------------------------------------------------------------------------
    ("KMY-JC-001", "个体工商户登记信息", "个体工商户注册登记、变更和注销", Category.BASIC, MatterType.REGISTRATION,
     ["SCJG"], f"{KMY}第十条、第十一条", {"content_schema": REGISTRATION_SCHEMA}),
    ("KMY-JC-002", "建筑业企业资质信息", "建筑业企业资质的取得、延续、变更", Category.BASIC, MatterType.LICENCE,
     ["ZJJ"], f"{KMY}第十一条第（三）项", {"content_schema": licence_schema("建筑业企业资质")}),
    ("KMY-JC-003", "自然人职业资格信息", "取得职业资格、执业资格", Category.BASIC, MatterType.CONFIRMATION,
     ["RSJ"], f"{KMY}第十一条第（一）项", {"openness": Openness.CONDITIONAL}),
    ("KMY-JC-004", "主要经营管理人员信息", "法定代表人、主要负责人、实际控制人、董事、监事等", Category.BASIC,
     MatterType.REGISTRATION, ["SCJG"], f"{KMY}第十一条第（二）项", {"openness": Openness.CONDITIONAL}),
    ("KMY-JC-005", "纳税人登记信息", "税务登记、变更和注销", Category.BASIC, MatterType.REGISTRATION,
     ["SWJ"], f"{KMY}第十一条", {"sharing_scope": SharingScope.CONDITIONAL}),
    # --- 守信信息 (Karamay art. 12) -------------------------------------------------------------------------
    ("KMY-SX-001", "市级以上荣誉称号和表彰奖励信息", "获得市级以上荣誉称号、表彰、奖励", Category.TRUST,
     MatterType.COMMENDATION, ["FGW", "RSJ", "XYZX"], f"{KMY}第十二条第（一）项", {"content_schema": HONOUR_SCHEMA}),
    ("KMY-SX-002", "志愿服务信息", "参加志愿服务表现突出", Category.TRUST, MatterType.VOLUNTEER,
     ["XYZX"], f"{KMY}第十二条第（二）项", {}),
    ("KMY-SX-003", "慈善捐赠信息", "慈善捐赠表现突出", Category.TRUST, MatterType.VOLUNTEER,
     ["XYZX"], f"{KMY}第十二条第（二）项；{QF}第十二条第（三）项", {}),
    ("KMY-SX-004", "见义勇为信息", "被确认为见义勇为", Category.TRUST, MatterType.COMMENDATION,
     ["XYZX"], f"{KMY}第十二条第（二）项", {}),
    ("KMY-SX-005", "履行信用承诺信息", "按承诺履约", Category.TRUST, MatterType.COMMITMENT,
     ["FGW", "SCJG"], f"{KMY}第十二条第（三）项", {"content_schema": COMMITMENT_SCHEMA}),
    ("KMY-SX-006", "按时足额缴纳社会保险费信息", "连续按时足额缴纳社会保险费", Category.TRUST, MatterType.PUBLIC_SERVICE,
     ["RSJ"], f"{KMY}第十二条第（四）项", {"update_cycle": UpdateCycle.MONTHLY}),
    ("KMY-SX-007", "按时足额缴存住房公积金信息", "连续按时足额缴存住房公积金", Category.TRUST, MatterType.PUBLIC_SERVICE,
     ["ZJJ"], f"{KMY}第十二条第（四）项", {"update_cycle": UpdateCycle.MONTHLY}),
    # --- 失信信息 (Karamay art. 13, limited to the listed range) ----------------------------------------------
    ("KMY-SXX-001", "违反信用承诺受到责任追究信息", "作出虚假承诺或者不履行承诺被追究责任", Category.DISHONESTY,
     MatterType.COMMITMENT, ["FGW", "SCJG"], f"{KMY}第十三条第（一）项；{ZY}第三十四条第（三）项",
     {"content_schema": COMMITMENT_SCHEMA, "publicity_months_max": 12}),
    ("KMY-SXX-002", "欠缴社会保险费信息", "欠缴依法应当缴纳的社会保险费", Category.DISHONESTY, MatterType.ARREARS,
     ["RSJ"], f"{KMY}第十三条第（二）项", {"content_schema": ARREARS_SCHEMA, "publicity_months_max": 12}),
    ("KMY-SXX-003", "欠缴行政事业性收费、政府性基金信息", "欠缴行政事业性收费、政府性基金", Category.DISHONESTY,
     MatterType.ARREARS, ["FGW", "ZJJ"], f"{KMY}第十三条第（二）项", {"content_schema": ARREARS_SCHEMA}),
    ("KMY-SXX-004", "以欺骗贿赂等手段取得行政许可信息", "以欺骗、贿赂等不正当手段取得行政许可、行政确认、行政给付、行政奖励",
     Category.DISHONESTY, MatterType.LICENCE, ["SCJG", "ZJJ", "RSJ"], f"{KMY}第十三条第（三）项；{ZY}第三十四条第（一）项", {}),
    ("KMY-SXX-005", "骗取社会保险金信息", "骗取社会保险金以及其他社会保障待遇", Category.DISHONESTY, MatterType.OTHER,
     ["RSJ"], f"{KMY}第十三条第（四）项", {}),
    ("KMY-SXX-006", "统一考试作弊信息", "在国家、自治区、本市组织的统一考试中作弊", Category.DISHONESTY, MatterType.OTHER,
     ["RSJ"], f"{KMY}第十三条第（五）项", {"openness": Openness.NON_PUBLIC}),
    ("KMY-SXX-007", "建设工程领域行政处罚信息", "工程质量、安全生产等方面适用一般程序作出的行政处罚", Category.DISHONESTY,
     MatterType.PENALTY, ["ZJJ"], f"{KMY}第十三条第（六）项；{HLJ}第十九条",
     {"content_schema": penalty_schema(), "domain": "works_quality", "publicity_months_min": 3, "publicity_months_max": 36}),
    ("KMY-SXX-008", "劳动保障监察行政处罚信息", "违反劳动保障法律法规适用一般程序作出的行政处罚", Category.DISHONESTY,
     MatterType.PENALTY, ["RSJ"], f"{KMY}第十三条第（六）项", {"content_schema": penalty_schema(), "domain": "labour"}),
    ("KMY-SXX-009", "食品安全行政处罚信息", "违反食品安全法律法规适用一般程序作出的行政处罚", Category.DISHONESTY,
     MatterType.PENALTY, ["SCJG"], f"{KMY}第十三条第（六）项；{QF}第三十四条",
     {"content_schema": penalty_schema(), "domain": "food", "publicity_months_min": 3, "publicity_months_max": 36}),
    ("KMY-SXX-010", "拒不履行行政决定被强制执行信息", "拒不履行行政决定而被依法行政强制执行", Category.DISHONESTY,
     MatterType.ENFORCEMENT, ["SCJG", "ZJJ", "SWJ"], f"{KMY}第十三条第（七）项", {}),
    ("KMY-SXX-011", "拖欠农民工工资失信信息", "多次或长期拖欠农民工工资，造成严重不良社会影响", Category.DISHONESTY,
     MatterType.OTHER, ["RSJ", "ZJJ"], f"{KMY}第十三条第（九）项；{KMY}第十五条", {"domain": "labour"}),
    # --- 其他信息 (Qufu art. 17, Zhangye art. 35) -----------------------------------------------------------------
    ("KMY-QT-001", "信用承诺信息", "作出的信用承诺", Category.OTHER, MatterType.COMMITMENT,
     ["FGW", "SCJG", "ZJJ"], f"{QF}第十七条第（一）项；{KMY}第八条", {"content_schema": COMMITMENT_SCHEMA}),
    ("KMY-QT-002", "监督检查和抽查结果信息", "双随机、一公开抽查和专项检查结果", Category.OTHER, MatterType.SUPERVISION,
     ["SCJG", "ZJJ"], f"{QF}第十七条第（二）项", {"content_schema": GENERIC_SCHEMA}),
    ("KMY-QT-003", "企业破产和退出信息", "破产清算、重整及强制退出", Category.OTHER, MatterType.JUDICIAL,
     ["FY", "SCJG"], f"{QF}第十七条第（三）项", {}),
    ("KMY-QT-004", "信用评价信息", "公共信用综合评价结果", Category.OTHER, MatterType.EVALUATION,
     ["XYZX"], f"{ZY}第三十五条第（三）项", {"update_cycle": UpdateCycle.QUARTERLY, "openness": Openness.CONDITIONAL}),
    ("KMY-QT-005", "行业协会商会会员信用评价信息", "行业协会商会依章程对会员的信用评价（市场信用信息）", Category.OTHER,
     MatterType.EVALUATION, ["FGW"], f"{KMY}第十八条", {"info_kind": InfoKind.MARKET, "openness": Openness.NON_PUBLIC,
                                                      "channel": Channel.FILE}),
    ("KMY-QT-006", "公用事业缴费信息", "供水、供电、供气、供热等公用事业费缴纳情况", Category.OTHER, MatterType.PUBLIC_SERVICE,
     ["FGW"], f"{HLJ}第十九条第（五）项", {"openness": Openness.NON_PUBLIC, "sharing_scope": SharingScope.CONDITIONAL}),
]

DRAFT_EXTRA = [
    ("KMY-QT-007", "诚信约谈信息", "因失信行为被约谈及整改情况", Category.OTHER, MatterType.SUPERVISION,
     ["FGW", "SCJG"], f"{QF}第十七条第（二）项", {}),
]


def departments() -> dict[str, Department]:
    found = {}
    locale = demo_locale.current()
    for code, (name, centre) in DEPARTMENTS.items():
        name = locale.localise(name)
        dept = Department.objects.filter(code=code).first()
        if dept is None:
            dept = Department.objects.filter(name=name).first() or Department.objects.create(
                code=code, name=name, is_credit_centre=centre
            )
        found[code] = dept
    return found


def item_code(code: str, locale: demo_locale.DemoLocale | None = None) -> str:
    """A supplementary item's code under the active profile (``KMY-SXX-009`` → ``QF-SXX-009`` under Qufu)."""
    locale = locale or demo_locale.current()
    return locale.item(code.removeprefix("KMY-")) if code.startswith("KMY-") else code


def _localised(locale, code, name, behaviour, category, basis, extra):
    """One row in the active profile's words: Karamay's rows as written; elsewhere the city's names and the
    article of the profile's statute for the item's category (national items keep the national catalog first)."""
    if locale.code == demo_locale.KARAMAY.code:
        return code, name, behaviour, basis, extra
    own = locale.basis(category)
    basis = f"{NATIONAL}；{own}" if basis.startswith(NATIONAL) else own
    extra = dict(extra)
    if "content_schema" in extra:
        extra["content_schema"] = json.loads(locale.localise(json.dumps(extra["content_schema"], ensure_ascii=False)))
    return item_code(code, locale), locale.localise(name), locale.localise(behaviour), basis, extra


def _add_items(version: CatalogVersion, rows, depts: dict[str, Department]) -> None:
    locale = demo_locale.current()
    for order, row in enumerate(rows):
        code, name, behaviour, category, matter, providers, basis, extra = row
        code, name, behaviour, basis, extra = _localised(locale, code, name, behaviour, category, basis, extra)
        fields = {
            "name": name, "behaviour": behaviour, "category": category, "matter_type": matter, "legal_basis": basis,
            "data_source": "行政处罚决定书" if matter == MatterType.PENALTY else "部门业务系统",
            "channel": Channel.API, "sort_order": order,
            "update_cycle": UpdateCycle.REALTIME if category == Category.DISHONESTY else UpdateCycle.DAILY,
            "openness": Openness.PUBLIC, "sharing_scope": SharingScope.UNCONDITIONAL, "content_schema": GENERIC_SCHEMA,
        }
        fields.update(extra)
        item = CatalogItem(version=version, code=code, **fields)
        item.full_clean(exclude=["version"])
        item.save()
        item.providers.set([depts[c] for c in providers if c in depts])


def _version(title: str, level: str, label: str) -> tuple[CatalogVersion, bool]:
    existing = CatalogVersion.objects.filter(title=title, version_label=label).first()
    if existing:
        return existing, False
    city = demo_locale.current().city
    return CatalogVersion.objects.create(title=title, level=level, region=city if level != "national" else "",
                                         version_label=label), True


@transaction.atomic
def populate(stdout=None) -> None:
    depts = departments()
    national, new = _version("全国公共信用信息基础目录", CatalogVersion.Level.NATIONAL, "2025年版")
    if new:
        _add_items(national, NATIONAL_ITEMS, depts)
        services.approve(national, approval_document="发改财金规〔2025〕号（演示）")
        services.publish(national, effective_from=date(2025, 1, 1))
    locale = demo_locale.current()
    municipal, new = _version(f"{locale.city}公共信用信息补充目录", CatalogVersion.Level.MUNICIPAL, "2026年版")
    if new:
        _add_items(municipal, MUNICIPAL_ITEMS, depts)
        services.open_public_comment(municipal, opens_on=date(2025, 11, 1), closes_on=date(2025, 11, 30))
        services.approve(municipal, approval_document=locale.localise("克政函〔2025〕88号（演示）"))
        services.publish(municipal, effective_from=date(2026, 1, 1))
    draft = CatalogVersion.objects.filter(based_on=municipal, version_label="2027年版（征求意见稿）").first()
    if draft is None:
        draft = services.new_version_from(municipal, version_label="2027年版（征求意见稿）")
        _add_items(draft, DRAFT_EXTRA, depts)
        services.open_public_comment(draft, opens_on=date(2026, 11, 1), closes_on=date(2026, 12, 31))
    if stdout is not None:
        total = CatalogItem.objects.filter(version__in=[national, municipal]).count()
        stdout.write(f"  catalog: {total} items in force (national base + municipal supplement), "
                     f"draft {draft.version_label} open for public comment")
