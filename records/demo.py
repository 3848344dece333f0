"""Demo subjects and about 1,000 records for ``bootstrap_demo`` (idempotent: the same rows every time, pushed
through the same ingestion service as the API, so a second run reports them unchanged).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from catalog.demo import departments, item_code, populate as populate_catalog
from credit_platform import demo_locale
from credit_platform.identifiers import make_ric, make_uscc
from records.models import Record
from records.services.ingest import ingest

SEED = 20260101
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志文斌辉新宇浩然子涵欣怡俊杰梓轩"
TRADES = (("石油技术服务", "production_safety"), ("餐饮管理", "food"), ("建筑工程", "works_quality"),
          ("商贸", "market"), ("物流", "market"), ("食品销售", "food"), ("化工", "environment"), ("机电设备", "special_equipment"),
          ("药房", "drugs"), ("物业服务", "market"), ("劳务派遣", "labour"), ("环保科技", "environment"))
VIOLATIONS = {
    "food": ("销售超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"),
    "drugs": ("未按规定储存药品", "《中华人民共和国药品管理法》第一百二十六条"),
    "works_quality": ("未按照工程设计图纸或者施工技术标准施工", "《建设工程质量管理条例》第六十四条"),
    "production_safety": ("未按规定对从业人员进行安全生产教育和培训", "《中华人民共和国安全生产法》第九十七条"),
    "environment": ("超过大气污染物排放标准排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条"),
    "special_equipment": ("使用未经定期检验的特种设备", "《中华人民共和国特种设备安全法》第八十四条"),
    "labour": ("未按规定支付劳动者工资", "《劳动保障监察条例》第二十六条"),
    "market": ("虚假宣传", "《中华人民共和国反不正当竞争法》第二十条"),
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


class Builder:
    """Rows in Karamay's words, placed in the active profile's city (``demo_locale``): its region codes, districts,
    local names and document prefixes; :meth:`localised_rows` moves the remaining wording."""

    def __init__(self, today: date):
        self.rng = random.Random(SEED)
        self.today = today
        self.locale = demo_locale.current()
        self.depts = departments()
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.people: list[dict] = []
        self.orgs: list[dict] = []
        self.serial = 0

    def next_ref(self, dept: str, kind: str) -> str:
        self.serial += 1
        return f"{dept}-{kind}-DEMO-{self.serial:05d}"

    def authority(self, dept: str) -> tuple[str, str]:
        department = self.depts[dept]
        return department.name, department.uscc or make_uscc(self.locale.region, 900 + len(dept), authority="1", kind="1")

    # --- subjects -----------------------------------------------------------------------------------------------
    def make_subjects(self) -> None:
        rng = self.rng
        for i in range(90):
            born = date(rng.randrange(1955, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
            self.people.append({"type": "natural_person", "code": make_ric(rng.choice(self.locale.districts), born, 100 + i),
                                "name": _name(rng)})
        used = set()
        for i in range(250):
            word, (trade, domain) = rng.choice(self.locale.words), rng.choice(TRADES)
            if i < 200:
                kind, name, code = "legal_person", f"克拉玛依{word}{trade}有限公司", make_uscc(self.locale.region, 10_000 + i)
            elif i < 220:
                kind, name, code = "unincorporated", f"克拉玛依市{word}{trade}合伙企业（有限合伙）", make_uscc(self.locale.region, 20_000 + i)
            else:
                kind, name, code = "individual_business", f"克拉玛依区{word}{trade.replace('有限公司', '')}店", make_uscc(
                    self.locale.districts[min(1, len(self.locale.districts) - 1)], 30_000 + i, kind="2")
            while name in used:
                name = name.replace("克拉玛依", "克拉玛依" + rng.choice(self.locale.words), 1)
            used.add(name)
            rep = self.people[i % len(self.people)]
            controller = self.people[(i * 7 + 3) % len(self.people)]
            self.orgs.append({"subject": {"type": kind, "code": code, "name": name}, "domain": domain, "rep": rep,
                              "controller": controller if i % 3 == 0 else None})

    # --- records --------------------------------------------------------------------------------------------------
    def registrations(self) -> None:
        for org in self.orgs:
            s = org["subject"]
            item = "KMY-JC-001" if s["type"] == "individual_business" else "QG-DJ-001"
            persons = [{"role": "legal_representative" if s["type"] == "legal_person" else "principal",
                        "code": org["rep"]["code"], "name": org["rep"]["name"]}]
            if org["controller"]:
                persons.append({"role": "actual_controller", "code": org["controller"]["code"], "name": org["controller"]["name"]})
            founded = _day(self.rng, date(2005, 1, 1), date(2025, 6, 30))
            self.rows["SCJG"].append({
                "source_ref": self.next_ref("SCJG", "DJ"), "catalog_item": item, "subject": s, "decided_on": founded.isoformat(),
                "responsible_persons": persons,
                "content": {"登记机关": "克拉玛依市市场监督管理局", "成立日期": founded.isoformat(),
                            "注册资本（万元）": float(self.rng.choice((10, 50, 100, 500, 1000, 5000))),
                            "住所": f"新疆克拉玛依市{self.rng.choice(self.locale.district_names)}",
                            "登记状态": "存续"},
            })

    def licences(self, count: int = 180) -> None:
        rng = self.rng
        for _ in range(count):
            org = rng.choice(self.orgs)
            dept = rng.choice(("SCJG", "SCJG", "SCJG", "ZJJ", "RSJ"))
            name, uscc = self.authority(dept)
            decided = _day(rng, date(2025, 1, 1), self.today - timedelta(days=2))
            certificate = {"SCJG": "食品经营许可证", "ZJJ": "建筑施工企业安全生产许可证", "RSJ": "劳务派遣经营许可证"}[dept]
            self.rows[dept].append({
                "source_ref": self.next_ref(dept, "XK"), "catalog_item": "QG-XK-001", "subject": org["subject"],
                "decided_on": decided.isoformat(),
                "content": {"决定文书号": f"{self.locale.abbr}{dept}许〔{decided.year}〕{rng.randrange(1, 999)}号", "许可证书名称": certificate,
                            "许可类别": "普通", "许可编号": f"{dept}{decided:%Y%m%d}{rng.randrange(1000, 9999)}",
                            "许可决定日期": decided.isoformat(), "有效期自": decided.isoformat(),
                            "有效期至": decided.replace(year=decided.year + 5).isoformat(), "许可内容": certificate + "核发",
                            "许可机关": name, "许可机关统一社会信用代码": uscc, "数据来源单位": name,
                            "数据来源单位统一社会信用代码": uscc},
            })

    def penalties(self, count: int = 260) -> None:
        rng = self.rng
        for n in range(count):
            if n % 12 == 0:
                subject, domain = rng.choice(self.people), "market"
            else:
                org = rng.choice(self.orgs)
                subject, domain = org["subject"], org["domain"]
            dept = {"works_quality": "ZJJ", "labour": "RSJ"}.get(domain, rng.choice(("SCJG", "SCJG", "SWJ")))
            item = {"food": "KMY-SXX-009", "works_quality": "KMY-SXX-007", "labour": "KMY-SXX-008"}.get(domain, "QG-CF-001")
            if dept == "SWJ":
                violation, basis = "未按照规定期限办理纳税申报", "《中华人民共和国税收征收管理法》第六十二条"
            else:
                violation, basis = VIOLATIONS.get(domain, VIOLATIONS["market"])
            name, uscc = self.authority(dept)
            occurred = _day(rng, date(2025, 1, 1), self.today - timedelta(days=40))
            decided = min(occurred + timedelta(days=rng.randrange(10, 60)), self.today - timedelta(days=1))
            severe = subject["type"] in ("legal_person", "unincorporated") and n % 17 == 0
            severity = "severe" if severe else rng.choice(("general",) * 6 + ("minor",))
            fine = round(rng.choice((0.2, 0.5, 1, 2, 5, 10, 20)) * (5 if severe else 1), 2)
            number = f"{self.locale.abbr}{dept}罚〔{decided.year}〕{rng.randrange(1, 999)}号"
            types = ["fine"] + (["confiscation"] if rng.random() < 0.2 else []) + (["permit_revocation"] if severe else [])
            row = {
                "source_ref": self.next_ref(dept, "CF"), "catalog_item": item, "subject": subject, "severity": severity,
                "procedure": "general", "penalty_types": types,
                "basis_document": {"number": number, "issuer": name, "issued_on": decided.isoformat()},
                "occurred_on": occurred.isoformat(), "decided_on": decided.isoformat(), "ended_on": occurred.isoformat(),
                "content": {"决定书文号": number, "违法行为类型": violation, "违法事实": f"经查，当事人存在{violation}的行为。",
                            "处罚依据": basis, "处罚类别": "罚款", "处罚内容": f"罚款人民币{fine}万元", "罚款金额（万元）": fine,
                            "处罚决定日期": decided.isoformat(), "处罚机关": name, "处罚机关统一社会信用代码": uscc,
                            "数据来源单位": name, "数据来源单位统一社会信用代码": uscc},
            }
            if dept == "SWJ":
                row["catalog_item"] = "QG-CF-001"
            self.rows[dept].append(row)

    def arrears_and_enforcement(self) -> None:
        rng = self.rng
        for n in range(40):
            org = rng.choice(self.orgs)
            decided = _day(rng, date(2025, 3, 1), self.today - timedelta(days=3))
            amount = float(rng.randrange(50_000, 3_000_000))
            self.rows["SWJ"].append({
                "source_ref": self.next_ref("SWJ", "QS"), "catalog_item": "QG-QS-001", "subject": org["subject"],
                "severity": "severe" if amount > 2_000_000 else "general",
                "basis_document": {"number": f"克税稽处〔{decided.year}〕{n + 1}号", "issuer": self.depts["SWJ"].name,
                                   "issued_on": decided.isoformat()},
                "decided_on": decided.isoformat(), "occurred_on": (decided - timedelta(days=180)).isoformat(),
                "content": {"欠缴项目": rng.choice(("增值税", "企业所得税", "城镇土地使用税")), "欠缴金额（元）": amount,
                            "催缴文书号": f"克税通〔{decided.year}〕{n + 100}号"},
            })
        for n in range(30):
            subject = rng.choice(self.orgs)["subject"] if n % 3 else rng.choice(self.people)
            decided = _day(rng, date(2025, 1, 1), self.today - timedelta(days=3))
            case = f"（{decided.year}）新02执{rng.randrange(100, 999)}号"
            self.rows["FY"].append({
                "source_ref": self.next_ref("FY", "ZX"), "catalog_item": "QG-ZX-001", "subject": subject, "severity": "severe",
                "basis_document": {"number": case, "issuer": self.depts["FY"].name, "issued_on": decided.isoformat()},
                "decided_on": decided.isoformat(), "occurred_on": (decided - timedelta(days=90)).isoformat(),
                "content": {"执行案号": case, "执行法院": self.depts["FY"].name, "生效法律文书确定的义务": "支付货款及利息",
                            "履行情况": "全部未履行", "失信行为具体情形": "有履行能力而拒不履行生效法律文书确定义务"},
            })
        for n in range(20):
            org = rng.choice(self.orgs)
            decided = _day(rng, date(2025, 6, 1), self.today - timedelta(days=3))
            self.rows["RSJ"].append({
                "source_ref": self.next_ref("RSJ", "SB"), "catalog_item": "KMY-SXX-002", "subject": org["subject"],
                "severity": "general",
                "basis_document": {"number": f"克人社监催〔{decided.year}〕{n + 1}号", "issuer": self.depts["RSJ"].name,
                                   "issued_on": decided.isoformat()},
                "decided_on": decided.isoformat(),
                "content": {"欠缴项目": "基本养老保险费", "欠缴金额（元）": float(rng.randrange(5_000, 200_000))},
            })

    def localised_rows(self) -> dict[str, list[dict]]:
        """Every row in the active profile's words: supplementary item codes and the remaining Karamay names (codes
        and source references are identifiers and stay as they are)."""
        return {dept: [localise_row(row, self.locale) for row in rows] for dept, rows in self.rows.items()}

    def trust_and_other(self) -> None:
        rng = self.rng
        year = self.today.year - 1
        for org in rng.sample(self.orgs, 45):
            self.rows["SWJ"].append({
                "source_ref": self.next_ref("SWJ", "AJ"), "catalog_item": "QG-NS-001", "subject": org["subject"],
                "decided_on": date(year + 1, 4, 15).isoformat() if date(year + 1, 4, 15) < self.today else date(year, 4, 15).isoformat(),
                "content": {"事项名称": f"{year}年度纳税信用A级纳税人", "认定日期": date(year + 1, 4, 15).isoformat()
                            if date(year + 1, 4, 15) < self.today else date(year, 4, 15).isoformat()},
            })
        for n in range(25):
            subject = rng.choice(self.orgs)["subject"] if n % 2 else rng.choice(self.people)
            granted = _day(rng, date(2025, 1, 1), self.today - timedelta(days=5))
            self.rows["FGW"].append({
                "source_ref": self.next_ref("FGW", "BZ"), "catalog_item": "KMY-SX-001", "subject": subject,
                "decided_on": granted.isoformat(),
                "content": {"荣誉名称": rng.choice(("克拉玛依市诚信经营示范单位", "自治区劳动模范", "克拉玛依市优秀志愿者")),
                            "授予机关": "克拉玛依市人民政府", "授予日期": granted.isoformat(), "级别": rng.choice(("自治区级", "市级"))},
            })
        for _n in range(60):
            org = rng.choice(self.orgs)
            dept = rng.choice(("FGW", "SCJG"))
            day = _day(rng, date(2025, 1, 1), self.today - timedelta(days=2))
            self.rows[dept].append({
                "source_ref": self.next_ref(dept, "CN"), "catalog_item": "KMY-QT-001", "subject": org["subject"],
                "decided_on": day.isoformat(),
                "content": {"承诺类型": rng.choice(("审批替代型", "容缺受理型", "行业自律型", "主动型")),
                            "承诺事项": "依法诚信经营，所提交材料真实有效", "承诺日期": day.isoformat(),
                            "受理单位": self.depts[dept].name, "履约状态": rng.choice(("履约", "履约", "核查中"))},
            })
        for _n in range(60):
            org = rng.choice(self.orgs)
            day = _day(rng, date(2025, 1, 1), self.today - timedelta(days=2))
            self.rows["SCJG"].append({
                "source_ref": self.next_ref("SCJG", "CC"), "catalog_item": "KMY-QT-002", "subject": org["subject"],
                "decided_on": day.isoformat(),
                "content": {"事项名称": "双随机、一公开抽查", "事项说明": rng.choice(("未发现问题", "发现问题已责令整改", "未按规定公示年度报告")),
                            "认定日期": day.isoformat()},
            })
        for person in self.people[:40]:
            day = _day(rng, date(2025, 1, 1), self.today - timedelta(days=2))
            self.rows["RSJ"].append({
                "source_ref": self.next_ref("RSJ", "ZG"), "catalog_item": "KMY-JC-003", "subject": person,
                "decided_on": day.isoformat(),
                "content": {"事项名称": rng.choice(("注册安全工程师", "一级建造师", "执业药师", "电工（高级）")), "认定日期": day.isoformat()},
            })
        for person in self.people[40:70]:
            day = _day(rng, date(2025, 1, 1), self.today - timedelta(days=2))
            self.rows["XYZX"].append({
                "source_ref": self.next_ref("XYZX", "ZY"), "catalog_item": "KMY-SX-002", "subject": person,
                "decided_on": day.isoformat(),
                "content": {"事项名称": "志愿服务", "事项说明": f"累计志愿服务{rng.randrange(50, 800)}小时", "认定日期": day.isoformat()},
            })


def localise_row(value, locale: demo_locale.DemoLocale, key: str = ""):
    """A push row moved to ``locale``: strings through ``locale.localise``, catalog item codes through
    ``catalog.demo.item_code``; identifiers (``code``, ``source_ref``) untouched."""
    if locale.code == demo_locale.KARAMAY.code:
        return value
    if isinstance(value, dict):
        return {k: localise_row(v, locale, k) for k, v in value.items()}
    if isinstance(value, list):
        return [localise_row(v, locale, key) for v in value]
    if isinstance(value, str):
        if key == "catalog_item":
            return item_code(value, locale)
        if key in ("code", "source_ref"):
            return value
        return locale.localise(value)
    return value


def populate(stdout=None) -> None:
    populate_catalog()  # the catalog first (idempotent) so this module also works on its own
    today = timezone.localdate()
    builder = Builder(today)
    builder.make_subjects()
    builder.registrations()
    builder.licences()
    builder.penalties()
    builder.arrears_and_enforcement()
    builder.trust_and_other()
    totals = defaultdict(int)
    for code, rows in builder.localised_rows().items():
        department = builder.depts[code]
        for start in range(0, len(rows), 500):
            result = ingest(department, rows[start:start + 500], channel="demo")
            for key in ("created", "updated", "unchanged", "derived"):
                totals[key] += getattr(result, key)
            totals["rejected"] += len(result.rejected)
            if result.rejected and stdout is not None:
                for r in result.rejected[:3]:
                    stdout.write(f"  rejected {r['source_ref']}: {r['code']} {r['field']}")
    if stdout is not None:
        stdout.write(
            f"  records: {totals['created']} created, {totals['updated']} updated, {totals['unchanged']} unchanged, "
            f"{totals['rejected']} rejected, {totals['derived']} responsible-person records; "
            f"{Record.objects.count()} records in total"
        )
