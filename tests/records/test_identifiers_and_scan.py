"""Unit tests: identifier checks the library leaves out, and the content scanner's recognisers."""

from __future__ import annotations

from datetime import date

import pytest

from credit_platform.identifiers import check_ric, check_uscc, gb11714_check_digit, make_ric, make_uscc
from records.content_scan import CATEGORIES, normalise_key, scanner_for

TODAY = date(2026, 11, 23)


def test_gb11714_check_digit_known_values():
    # 组织机构代码 examples: D2143569-X style codes and the classic 12345678-8 (weights 3,7,9,10,5,8,4,2)
    assert gb11714_check_digit("12345678") == "8"
    assert gb11714_check_digit("D2143569") == "X"


def test_uscc_checks():
    assert check_uscc("91110000600037341L").error is None
    assert check_uscc(make_uscc("650200", 42)).error is None
    assert check_uscc("9111000060003734").error == "invalid_uscc"  # too short
    assert check_uscc("91110000600037341M").error == "invalid_uscc"


def test_fast_uscc_path_agrees_with_stdnum():
    import random

    from stdnum.cn import uscc as stdnum_uscc

    from credit_platform.identifiers import _uscc_valid

    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(20000):
        body = "".join(rng.choice("0123456789") for _ in range(8)) + "".join(rng.choice(alphabet) for _ in range(9))
        code = body + (stdnum_uscc.calc_check_digit(body) if rng.random() < 0.5 else rng.choice(alphabet + "IOSVZ"))
        assert _uscc_valid(code) == stdnum_uscc.is_valid(code), code


def test_ric_checks():
    good = make_ric("650203", date(1990, 2, 28), 5)
    assert check_ric(good, TODAY).birth_date == date(1990, 2, 28)
    assert check_ric(good.lower(), TODAY).error is None
    assert check_ric(make_ric("650203", date(2030, 1, 1), 5), TODAY).error == "invalid_id_birth_date"
    assert check_ric("65020319900228", TODAY).error == "invalid_id_number"
    assert check_ric(make_ric("990000", date(1990, 1, 1), 5), TODAY).error == "invalid_id_region"
    # a person born before the district existed keeps its code (stdnum's birth-place check would refuse)
    assert check_ric(make_ric("650203", date(1975, 1, 1), 5), TODAY).error is None


@pytest.mark.parametrize("key, expected", [
    ("bloodType", "blood type"), ("blood_type", "blood type"), ("Blood-Group", "blood group"), ("宗教信仰", "宗教信仰"),
])
def test_normalise_key(key, expected):
    assert normalise_key(key) == expected


@pytest.mark.parametrize("content", [
    {"general_info": "x"}, {"generation": 2}, {"genera": "x"}, {"stockroom": "A"}, {"处罚机关": "市疾病预防控制中心"},
    {"违法事实": "销售转基因食品未标识"}, {"说明": "安排患有有碍食品安全疾病的人员从事接触直接入口食品的工作"},
    {"registered_capital": 100},
])
def test_no_false_positives(content):
    scanner = scanner_for(tuple(CATEGORIES))
    assert scanner.scan(content) is None


@pytest.mark.parametrize("content, category", [
    ({"x": "Religion: Buddhist"}, "religion"),
    ({"x": "信仰伊斯兰教"}, "religion"),
    ({"x": "O型血"}, "blood_type"),
    ({"x": "Rh阴性"}, "blood_type"),
    ({"x": "HIV阳性"}, "disease"),
    ({"x": "suffers from epilepsy"}, "disease"),
    ({"x": "既往史：无"}, "medical_history"),
    ({"genome_data": "..."}, "genes"),
    ({"x": "ACGTTGCAACGTTGCAACGTTGCAAC"}, "genes"),
    ({"指纹": "..."}, "fingerprints"),
    ({"irisTemplate": "..."}, "biometrics"),
    ({"voice_print": "..."}, "biometrics"),
    ({"annual salary": 1}, "income"),
    ({"bankBalance": 1}, "deposits"),
    ({"x": "持有某公司股票1000股"}, "securities"),
    ({"life_insurance": 1}, "commercial_insurance"),
    ({"x": "名下房产2套"}, "real_estate"),
    ({"tax_paid": 1}, "tax_amount"),
])
def test_recognisers(content, category):
    scanner = scanner_for(tuple(CATEGORIES))
    import orjson

    assert scanner.could_match(orjson.dumps(content).decode())
    hit = scanner.scan(content)
    assert hit is not None and hit.category == category


def test_cached_identifier_results_are_not_walked_by_the_collector():
    """The per-process caches hold 2 x 65,536 results; as objects the collector tracks they cost a full collection
    ~40 ms in a server worker after every batch (credit_platform.gcpause)."""
    import gc

    from credit_platform import identifiers

    identifiers._uscc_result(make_uscc("650200", 4242))
    identifiers._ric_result(make_ric("650203", date(1980, 5, 6), 7))
    gc.collect()
    assert not gc.is_tracked(identifiers._uscc_result(make_uscc("650200", 4242)))
    assert not gc.is_tracked(identifiers._ric_result(make_ric("650203", date(1980, 5, 6), 7)))
