"""Where the demo story takes place under each jurisdiction profile (``bootstrap_demo`` only; no rule lives here).

The demo tells one story — a city's credit centre, its departments, a few hundred enterprises and citizens — and
tells it in the words of the active profile (``CREDIT_POLICY``): the city and its districts, the court and the tax
bureau, the document-number prefixes, the supplementary catalog's and measure lists' titles, and the articles of the
profile's own statute that each catalog category and each list rests on. Karamay's wording is the one the demo always
had; the other four profiles get their own city:

* Heilongjiang (provincial draft) — 哈尔滨市, the municipal platform of a city in the province (draft art. 22);
* Qufu (municipal measures, Shandong) — 曲阜市;
* Fuzhou (municipal measures, Fujian) — 福州市;
* Zhangye (municipal draft, Gansu) — 张掖市.

Article numbers are those of the seed texts in DESIGN.md's ``seeds/``; every basis below names its statute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credit_platform.policies import active_policy

NATIONAL_CATALOG = "《全国公共信用信息基础目录（2025年版）》"


@dataclass(frozen=True)
class DemoLocale:
    code: str  # the profile code
    city: str  # 克拉玛依市
    short: str  # 克拉玛依 (company-name prefix)
    abbr: str  # 克 (document-number prefix: 克市监罚〔2026〕1号)
    region: str  # six-digit administrative division code of the city
    districts: tuple[str, ...]  # division codes of its districts / counties (citizens' ID numbers)
    district_names: tuple[str, ...]
    province: str  # 新疆维吾尔自治区
    province_level: str  # 自治区级 / 省级 (honours)
    court: str
    court_case: str  # 执行案号 prefix: （2026）新02执123号
    tax_bureau: str
    tax_abbr: str  # 克税
    item_prefix: str  # codes of the municipal supplementary catalog's items
    statute: str  # the profile's instrument, with 《》
    words: tuple[str, ...]  # local words for demo company names
    #: USCCs of the demo departments (credit centre first, then FGW, SCJG, SWJ, RSJ, ZJJ, STHJ, YJJ, FY)
    usccs: tuple[str, ...]
    #: legal basis of the supplementary catalog by category, and of the measure lists and list decisions
    bases: dict[str, str] = field(default_factory=dict)

    def item(self, suffix: str) -> str:
        """``item("SXX-009")`` → the supplementary catalog item code under this locale (``KMY-SXX-009``)."""
        return f"{self.item_prefix}-{suffix}"

    def localise(self, text: str) -> str:
        """Karamay's demo wording moved to this city (names, places, document prefixes)."""
        if self.code == KARAMAY.code or not text:
            return text
        for old, new in (
            ("国家税务总局克拉玛依市税务局", self.tax_bureau), ("克拉玛依市中级人民法院", self.court),
            ("克拉玛依市", self.city), ("克拉玛依区", self.district_names[0]), ("克拉玛依", self.short),
            ("新疆", self.province.removesuffix("省")), ("自治区级", self.province_level), ("自治区", self.province_level[:-1]),
            ("克税", self.tax_abbr), ("克人社", self.abbr + "人社"), ("克市监", self.abbr + "市监"),
            ("克政函", self.abbr + "政函"), ("新02执", self.court_case),
        ):
            text = text.replace(old, new)
        return text

    def basis(self, key: str) -> str:
        return self.bases[key]


KARAMAY = DemoLocale(
    code="karamay", city="克拉玛依市", short="克拉玛依", abbr="克", region="650200",
    districts=("650202", "650203", "650204", "650205"), district_names=("克拉玛依区", "独山子区", "白碱滩区", "乌尔禾区"),
    province="新疆维吾尔自治区", province_level="自治区级", court="克拉玛依市中级人民法院", court_case="新02执",
    tax_bureau="国家税务总局克拉玛依市税务局", tax_abbr="克税", item_prefix="KMY", statute="《克拉玛依市社会信用条例》",
    words=("油城", "准噶尔", "天山", "金龙", "西部", "昆仑", "百口泉", "乌尔禾", "独山子", "白碱滩", "魔鬼城", "九龙潭",
           "黑油山", "红山", "石化", "博达", "恒信", "鑫源", "瑞丰", "安泰", "宏远", "华誉", "诚达", "盛世"),
    usccs=("12650200MB1234567X", "11650200MB0000010A", "11650200MB0000020B", "11650200MB0000030C", "11650200MB0000040D",
           "11650200MB0000050E", "11650200MB0000060F", "11650200MB0000070G", "11650200MB0000080H"),
    bases={
        "basic": "《克拉玛依市社会信用条例》第十一条", "trust": "《克拉玛依市社会信用条例》第十二条",
        "dishonesty": "《克拉玛依市社会信用条例》第十三条", "other": "《克拉玛依市社会信用条例》第十条",
        "incentive": "《克拉玛依市社会信用条例》第二十二条", "punishment": "《克拉玛依市社会信用条例》第二十四条",
        "severe_list": "《克拉玛依市社会信用条例》第十五条", "red_list": "克拉玛依市社会信用条例第二十二条",
    },
)

_HLJ = "《黑龙江省社会信用条例（征求意见稿）》"
HEILONGJIANG = DemoLocale(
    code="heilongjiang", city="哈尔滨市", short="哈尔滨", abbr="哈", region="230100",
    districts=("230102", "230103", "230104", "230108"), district_names=("道里区", "南岗区", "道外区", "平房区"),
    province="黑龙江省", province_level="省级", court="哈尔滨市中级人民法院", court_case="黑01执",
    tax_bureau="国家税务总局哈尔滨市税务局", tax_abbr="哈税", item_prefix="HLJ", statute=_HLJ,
    words=("松花江", "冰城", "太阳岛", "中央大街", "龙江", "北国", "雪乡", "索菲亚", "道里", "南岗", "平房", "呼兰",
           "阿城", "双城", "博达", "恒信", "鑫源", "瑞丰", "安泰", "宏远", "华誉", "诚达", "盛世", "金龙"),
    usccs=("12230100000000019L", "112301000000001076", "11230100000000203F", "1123010000000030XM",
           "112301000000004064", "11230100000000502D", "11230100000000609Q", "112301000000007052", "11230100000000801B"),
    bases={
        # art. 18: the provincial supplementary catalog; art. 19: the range it is limited to
        "basic": f"{_HLJ}第十八条、第十九条第（一）项", "trust": f"{_HLJ}第十八条、第十九条",
        "dishonesty": f"{_HLJ}第十九条", "other": f"{_HLJ}第十九条",
        "incentive": f"{_HLJ}第三十九条、第四十条", "punishment": f"{_HLJ}第三十九条、第四十二条",
        "severe_list": f"{_HLJ}第三十七条、第三十八条", "red_list": "黑龙江省社会信用条例（征求意见稿）第三十六条",
    },
)

_QF = "《曲阜市社会信用管理办法（试行）》"
QUFU = DemoLocale(
    code="qufu", city="曲阜市", short="曲阜", abbr="曲", region="370881",
    districts=("370881",), district_names=("鲁城街道", "书院街道", "时庄街道", "小雪街道"),
    province="山东省", province_level="省级", court="曲阜市人民法院", court_case="鲁0881执",
    tax_bureau="国家税务总局曲阜市税务局", tax_abbr="曲税", item_prefix="QF", statute=_QF,
    words=("孔里", "尼山", "杏坛", "洙泗", "泗河", "鲁源", "阙里", "书院", "鲁城", "时庄", "小雪", "防山", "石门山",
           "九仙山", "博达", "恒信", "鑫源", "瑞丰", "安泰", "宏远", "华誉", "诚达", "盛世", "金龙"),
    usccs=("12370881000000019A", "11370881000000107U", "113708810000002035", "1137088100000030XB",
           "11370881000000406R", "113708810000005023", "11370881000000609E", "11370881000000705P", "113708810000008011"),
    bases={
        "basic": f"{_QF}第十条、第十一条", "trust": f"{_QF}第十二条", "dishonesty": f"{_QF}第十三条",
        "other": f"{_QF}第十七条", "incentive": f"{_QF}第四十条、第四十二条", "punishment": f"{_QF}第四十条、第四十三条",
        "severe_list": f"{_QF}第十六条、第四十四条", "red_list": "曲阜市社会信用管理办法（试行）第十二条第（一）项",
    },
)

_FZ = "《福州市社会信用管理办法》"
_FZ_CATALOG = "《福州市公共信用信息管理暂行办法》"
FUZHOU = DemoLocale(
    code="fuzhou", city="福州市", short="福州", abbr="榕", region="350100",
    districts=("350102", "350103", "350104", "350111"), district_names=("鼓楼区", "台江区", "仓山区", "晋安区"),
    province="福建省", province_level="省级", court="福州市中级人民法院", court_case="闽01执",
    tax_bureau="国家税务总局福州市税务局", tax_abbr="榕税", item_prefix="FZ", statute=_FZ,
    words=("闽江", "榕城", "三坊七巷", "鼓山", "马尾", "仓山", "晋安", "台江", "鼓楼", "闽都", "海峡", "左海", "西湖",
           "乌山", "博达", "恒信", "鑫源", "瑞丰", "安泰", "宏远", "华誉", "诚达", "盛世", "金龙"),
    usccs=("12350100000000019K", "113501000000001075", "11350100000000203E", "1135010000000030XL",
           "113501000000004063", "11350100000000502C", "11350100000000609P", "113501000000007051", "11350100000000801A"),
    bases={
        # art. 9: collection and disclosure follow the city's interim measures on public credit information
        "basic": f"{_FZ}第九条；{_FZ_CATALOG}", "trust": f"{_FZ}第九条、第十四条；{_FZ_CATALOG}",
        "dishonesty": f"{_FZ}第九条、第十五条；{_FZ_CATALOG}", "other": f"{_FZ}第九条；{_FZ_CATALOG}",
        "incentive": f"{_FZ}第十四条、第十六条", "punishment": f"{_FZ}第十五条、第十七条",
        "severe_list": f"{_FZ}第十五条、第十七条、第十八条", "red_list": "福州市社会信用管理办法第十四条、第十六条",
    },
)

_ZY = "《张掖市社会信用体系建设条例（草案）》"
ZHANGYE = DemoLocale(
    code="zhangye", city="张掖市", short="张掖", abbr="张", region="620700",
    districts=("620702", "620722", "620723", "620724"), district_names=("甘州区", "民乐县", "临泽县", "高台县"),
    province="甘肃省", province_level="省级", court="张掖市中级人民法院", court_case="甘07执",
    tax_bureau="国家税务总局张掖市税务局", tax_abbr="张税", item_prefix="ZY", statute=_ZY,
    words=("丹霞", "祁连", "黑河", "甘州", "金张掖", "湿地", "焉支山", "马蹄寺", "民乐", "临泽", "高台", "山丹", "河西",
           "大佛寺", "博达", "恒信", "鑫源", "瑞丰", "安泰", "宏远", "华誉", "诚达", "盛世", "金龙"),
    usccs=("12620700000000019A", "11620700000000107U", "116207000000002035", "1162070000000030XB",
           "11620700000000406R", "116207000000005023", "11620700000000609E", "11620700000000705P", "116207000000008011"),
    bases={
        # art. 32: public credit information is basic, dishonesty and other information (commendations are "other")
        "basic": f"{_ZY}第三十二条、第三十三条", "trust": f"{_ZY}第三十二条、第三十五条第（一）项、第（二）项",
        "dishonesty": f"{_ZY}第三十二条、第三十四条", "other": f"{_ZY}第三十二条、第三十五条",
        "incentive": f"{_ZY}第四十二条", "punishment": f"{_ZY}第四十三条、第四十四条",
        "severe_list": f"{_ZY}第四十六条、第四十七条", "red_list": "张掖市社会信用体系建设条例（草案）第四十二条",
    },
)

LOCALES: dict[str, DemoLocale] = {loc.code: loc for loc in (KARAMAY, HEILONGJIANG, QUFU, FUZHOU, ZHANGYE)}


def current() -> DemoLocale:
    """The locale of the active profile (``CREDIT_POLICY``)."""
    return LOCALES[active_policy().code]
