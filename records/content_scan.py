"""Prohibited and restricted personal information in a record's content (Karamay art. 18, Heilongjiang art. 20).

Each category (codes shared with the policy profiles' ``forbidden_content`` and
``restricted_content_requires_consent``) is recognised by key — the name of a field, Chinese or English,
snake_case, camelCase or spaced — and by a recognisable value ("血型：AB", "diagnosed with …", a nucleotide
sequence). The profile decides which categories are prohibited and which need written consent.

The hot path serialises the content once and runs a single combined expression over it; only content that
could match is walked to find the field and the category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WB = r"(?<![A-Za-z])"  # an English word starts here (keys are also split on case changes below)
_WE = r"(?![a-z])"


def _rx(*parts: str) -> str:
    return "|".join(f"(?:{p})" for p in parts)


# category → (key pattern, value pattern). Key patterns run on normalised keys (lower-case words separated by
# single spaces, Chinese untouched); value patterns on string values.
CATEGORIES: dict[str, tuple[str, str]] = {
    "religion": (
        _rx("宗教", "信仰", "教派", f"{_WB}religio(?:n|us|ns){_WE}", f"{_WB}faith{_WE}", f"{_WB}denomination{_WE}"),
        _rx(r"宗教信仰", r"信仰(?:佛教|基督教|天主教|伊斯兰教|道教|东正教|宗教)", r"(?:佛教|基督教|天主教|伊斯兰教|道教)(?:徒|信徒|教徒)",
            r"\breligio(?:n|us belief)\s*[:：=]",
            r"\b(?:devout|practising|practicing)\s+(?:buddhist|christian|muslim|catholic|taoist|hindu|jewish)\b",
            r"\bis an? (?:buddhist|christian|muslim|catholic|taoist|hindu)\b"),
    ),
    "blood_type": (
        _rx("血型", f"{_WB}blood (?:type|group)s?{_WE}", f"{_WB}bloodtype{_WE}", f"{_WB}abo{_WE}", f"{_WB}rh factor{_WE}"),
        _rx(r"血型", r"(?<![A-Za-z])(?:A|B|AB|O)\s*型血", r"Rh\s*(?:阴|阳)性", r"\bblood\s*(?:type|group)\b",
            r"\b(?:A|B|AB|O)[+-]?\s+blood\b"),
    ),
    "disease": (
        _rx("疾病", "病情", "病症", "患病", "诊断", "病名", "传染病史", "残疾类别",
            f"{_WB}diseases?{_WE}", f"{_WB}illness(?:es)?{_WE}", f"{_WB}diagnos(?:is|es|ed){_WE}",
            f"{_WB}health (?:condition|status){_WE}", f"{_WB}medical condition{_WE}"),
        _rx(r"(?:本人|其|该人|当事人|患者)(?:患有|罹患|确诊)", r"诊断为", r"确诊为", r"HIV\s*(?:阳性|感染者|positive)",
            r"艾滋病(?:病毒)?感染者", r"艾滋病患者", r"疾病\s*[:：]", r"\bdiagnosed with\b", r"\bsuffer(?:s|ed|ing)? from\b"),
    ),
    "medical_history": (
        _rx("病史", "既往史", "病历", "就诊记录", "住院记录", f"{_WB}medical (?:history|records?){_WE}",
            f"{_WB}health records?{_WE}", f"{_WB}case history{_WE}"),
        _rx(r"病史", r"既往史", r"病历号", r"\bmedical (?:history|record)s?\b"),
    ),
    "genes": (
        _rx("(?<!转)基因", "遗传信息", f"{_WB}dna{_WE}", f"{_WB}genes?{_WE}", f"{_WB}genetics?{_WE}",
            f"{_WB}genom(?:e|ic|es){_WE}", f"{_WB}genotypes?{_WE}"),
        _rx(r"基因(?:序列|型|检测结果|信息|数据)", r"遗传信息", r"\bDNA (?:profile|sequence|sample|data)", r"\bgenotype\b",
            r"\bgenetic (?:data|information|profile|test results?)\b", r"\b[ACGT]{24,}\b"),
    ),
    "fingerprints": (
        _rx("指纹", f"{_WB}finger ?prints?{_WE}"),
        _rx(r"指纹(?:特征|模板|图像|数据|信息)?\s*[:：=]", r"\bfinger ?print (?:template|data|image|minutiae)\b",
            r"\bfinger ?prints?\s*[:=]"),
    ),
    "biometrics": (
        _rx("生物识别", "生物特征", "虹膜", "人脸", "面部特征", "面容", "声纹", "掌纹", "指静脉", "视网膜", "步态",
            f"{_WB}biometrics?{_WE}", f"{_WB}iris{_WE}",
            f"{_WB}face ?(?:print|template|id|image|feature|features|encoding|embedding)s?{_WE}",
            f"{_WB}facial{_WE}", f"{_WB}voice ?prints?{_WE}", f"{_WB}palm ?prints?{_WE}", f"{_WB}retina{_WE}", f"{_WB}gait{_WE}"),
        _rx(r"(?:虹膜|人脸|面部|声纹|掌纹|指静脉|视网膜)(?:特征|模板|图像|数据)\s*[:：=]", r"生物(?:识别|特征)(?:信息|数据)\s*[:：=]",
            r"\bbiometric (?:data|template)", r"\biris (?:scan|template|code)\b", r"\bface ?(?:print|template|embedding)\b",
            r"\bvoice ?print\b"),
    ),
    "income": (
        _rx("收入", "工资", "薪酬", "薪资", "薪金", "年薪", "月薪", f"{_WB}income{_WE}", f"{_WB}salary{_WE}",
            f"{_WB}salaries{_WE}", f"{_WB}wages?{_WE}", f"{_WB}earnings{_WE}", f"{_WB}pay ?roll{_WE}"),
        _rx(r"(?:月|年|个人|家庭|工资)收入", r"(?:月|年)薪", r"\b(?:monthly|annual|yearly) (?:income|salary)\b"),
    ),
    "deposits": (
        _rx("存款", "储蓄", "银行余额", "账户余额", f"{_WB}deposits?{_WE}", f"{_WB}savings{_WE}",
            f"{_WB}(?:bank|account) balance{_WE}"),
        _rx(r"存款(?:余额)?\s*[:：为约]?\s*\d", r"银行(?:账户)?余额", r"\bbank balance\b", r"\bsavings of\b"),
    ),
    "securities": (
        _rx("有价证券", "股票", "债券", "基金份额", "证券账户", "持股", f"{_WB}securities{_WE}", f"{_WB}stocks?{_WE}",
            f"{_WB}bonds?{_WE}", f"{_WB}share ?holdings?{_WE}", f"{_WB}brokerage{_WE}"),
        _rx(r"有价证券", r"持有.{0,8}(?:股票|债券|基金份额)", r"证券账户", r"\bshares? held\b"),
    ),
    "commercial_insurance": (
        _rx("商业保险", "保单", "寿险", "人身保险", f"{_WB}(?:commercial|life) insurance{_WE}",
            f"{_WB}insurance polic(?:y|ies){_WE}"),
        _rx(r"商业保险", r"保单(?:号|金额)", r"\b(?:commercial|life) insurance\b"),
    ),
    "real_estate": (
        _rx("不动产", "房产", "房屋产权", "房屋所有权", "土地使用权", f"{_WB}real estate{_WE}", f"{_WB}realty{_WE}",
            f"{_WB}properties? owned{_WE}", f"{_WB}house (?:property|ownership){_WE}"),
        _rx(r"不动产(?:权)?证", r"名下(?:房产|不动产|房屋)", r"房产证", r"\breal estate\b"),
    ),
    "tax_amount": (
        _rx("纳税额", "纳税数额", "纳税金额", "缴税金额", "个人所得税额", "应纳税额", f"{_WB}tax (?:amount|paid|payments?){_WE}",
            f"{_WB}taxes paid{_WE}", f"{_WB}income tax{_WE}"),
        _rx(r"纳税(?:数)?额\s*[:：为约]?\s*\d", r"缴纳个人所得税\s*\d", r"\btax(?:es)? paid\b"),
    ),
}

# Literal stems (lower case): every key or value pattern of a category contains one of its stems, so text
# containing none of them cannot match. Checking stems with ``in`` is what keeps the hot path cheap.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "religion": ("宗教", "信仰", "教派", "佛教", "基督", "天主", "伊斯兰", "道教", "religio", "faith", "denomination",
                 "buddhist", "christian", "muslim", "catholic", "taoist", "hindu", "jewish"),
    "blood_type": ("血型", "型血", "rh", "blood", "abo"),
    "disease": ("疾病", "病情", "病症", "患病", "诊断", "病名", "病史", "残疾", "患有", "罹患", "确诊", "hiv", "艾滋",
                "disease", "illness", "diagnos", "health", "medical", "suffer"),
    "medical_history": ("病史", "既往史", "病历", "就诊", "住院", "medical", "health record", "health_record", "healthrecord",
                        "case history", "case_history", "casehistory"),
    "genes": ("基因", "遗传", "dna", "gene", "genom", "genotype", "acgt", "cgta", "gtac", "tacg"),
    "fingerprints": ("指纹", "finger"),
    "biometrics": ("生物识别", "生物特征", "虹膜", "人脸", "面部", "面容", "声纹", "掌纹", "指静脉", "视网膜", "步态",
                   "biometric", "iris", "face", "facial", "voice", "palm", "retina", "gait"),
    "income": ("收入", "工资", "薪", "income", "salar", "wage", "earning", "pay"),
    "deposits": ("存款", "储蓄", "余额", "deposit", "saving", "balance"),
    "securities": ("证券", "股票", "债券", "基金", "持股", "持有", "securities", "stock", "bond", "share", "brokerage"),
    "commercial_insurance": ("保险", "保单", "寿险", "insurance"),
    "real_estate": ("不动产", "房产", "房屋", "土地使用权", "real", "realty", "propert", "house"),
    "tax_amount": ("纳税", "缴税", "所得税", "tax"),
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-\.]+")


def normalise_key(key: str) -> str:
    return _SEPARATORS.sub(" ", _CAMEL.sub(" ", key)).strip().lower()


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    path: str  # content.a.b[0]
    by: str  # "key" or "value"


class Scanner:
    """Compiled matchers for a set of categories."""

    def __init__(self, categories: tuple[str, ...]):
        self.categories = tuple(c for c in categories if c in CATEGORIES)
        self.key_rx = {c: re.compile(CATEGORIES[c][0], re.IGNORECASE) for c in self.categories}
        self.value_rx = {c: re.compile(CATEGORIES[c][1], re.IGNORECASE) for c in self.categories}
        triggers = sorted({t for c in self.categories for t in TRIGGERS[c]}, key=len, reverse=True)
        # A pure-literal alternation: the regex engine screens it with a character set, a few µs per record.
        self._screen = re.compile("|".join(re.escape(t) for t in triggers)) if triggers else None

    def could_match(self, serialised: str) -> bool:
        """Cheap pre-screen of the serialised content: False means there is certainly no hit."""
        if self._screen is None:
            return False
        return self._screen.search(serialised.lower()) is not None

    def scan(self, content, path: str = "content") -> Hit | None:
        if isinstance(content, dict):
            for key, value in content.items():
                key_text = normalise_key(str(key))
                child = f"{path}.{key}"
                for category, rx in self.key_rx.items():
                    if rx.search(key_text):
                        return Hit(category, child, "key")
                hit = self.scan(value, child)
                if hit:
                    return hit
        elif isinstance(content, list):
            for i, value in enumerate(content):
                hit = self.scan(value, f"{path}[{i}]")
                if hit:
                    return hit
        elif isinstance(content, str):
            for category, rx in self.value_rx.items():
                if rx.search(content):
                    return Hit(category, path, "value")
        return None


@lru_cache(maxsize=32)
def scanner_for(categories: tuple[str, ...]) -> Scanner:
    return Scanner(categories)
