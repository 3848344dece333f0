from credit_platform.privacy import mask_name, mask_text
from disclosure.masking import mask_id, mask_phone, public_content


def test_names_and_ids():
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_id("65020219900101123X") == "6502**********123X"
    assert mask_phone("13812345678") == "138****5678"


def test_free_text_and_content():
    text = "当事人张伟（身份证650202199001011234，电话13812345678）"
    masked = mask_text(text, ["张伟"])
    assert "张伟" not in masked and "650202199001011234" not in masked and "13812345678" not in masked
    assert "张*" in masked and "6502**********1234" in masked
    content = {"legal_representative": "王小明", "address": "克拉玛依市某路1号", "birth_date": "1990-01-01",
               "phone": "13812345678", "bank_account": "6222020200112233445", "health": "良好",
               "fact": "未按规定公示年度报告", "amount": 5000}
    out = public_content(content)
    assert out == {"legal_representative": "王**", "fact": "未按规定公示年度报告", "amount": 5000}
