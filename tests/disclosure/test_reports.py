"""Credit reports: CJK font embedded, text extractable, /verify/ confirms authenticity and detects alterations."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import QueryLogEntry
from disclosure.fonts import cjk_font_path
from disclosure.models import CreditReport
from records.models import Record
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, citizen_user, login):
    c = login(citizen_user(world["company"]))
    r = c.post("/my/reports/", {"subject": world["company"].code})
    assert r.status_code == 302
    rep = CreditReport.objects.get()
    pdf = c.get(f"/my/reports/{rep.number}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    return c, rep, b"".join(pdf.streaming_content)


needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts") or not shutil.which("pdftotext"), reason="poppler-utils absent")


@needs_poppler
@pytest.mark.skipif(cjk_font_path() is None, reason="fonts-wqy-microhei absent")
def test_font_embedded_and_text_extractable(report, tmp_path):
    _, rep, pdf = report
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and any("WenQuanYi" in r for r in rows)
    assert all(re.search(r"\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", r) for r in rows), fonts  # emb = yes
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("公共信用信息报告", "行政管理信息", "诚实守信信息", "严重失信主体名单信息", "经营异常信息", "信用承诺信息",
                    "信用评价信息", "司法判决信息", "其他信息", "信用状况提升建议", "地方补充内容"):
        assert heading in text, heading
    assert rep.number in text and rep.check_code in text
    assert "克拉玛依示例能源有限公司" in text and "市市场监督管理局" in text
    assert rep.font_embedded
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))


def test_report_is_logged_and_free(report, world):
    c, rep, _ = report
    assert QueryLogEntry.objects.filter(action="report", reference=rep.number).exists()
    c.post("/my/reports/", {"subject": world["company"].code})
    c.post("/my/reports/", {"subject": world["company"].code})
    assert CreditReport.objects.count() == 3  # unlimited


def test_verify_number_and_check_code(report):
    _, rep, pdf = report
    anon = Client()
    r = anon.get(f"/verify/{rep.number}/", {"c": rep.check_code})
    assert r.status_code == 200 and "报告真实有效" in r.content.decode()
    r = anon.get(f"/verify/{rep.number}/", {"c": "AAAA-BBBB-CCCC-DDDD"})
    assert r.status_code == 404 and "不正确" in r.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = anon.post("/verify/", {"number": rep.number, "check_code": rep.check_code,
                                "pdf": SimpleUploadedFile("r.pdf", pdf, "application/pdf")})
    assert "未被修改" in ok.content.decode()
    tampered = pdf.replace(b"%%EOF", b"% x\n%%EOF")
    bad = anon.post("/verify/", {"number": rep.number, "check_code": rep.check_code,
                                 "pdf": SimpleUploadedFile("r.pdf", tampered, "application/pdf")})
    assert "可能被修改" in bad.content.decode()
    CreditReport.objects.filter(pk=rep.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert "超过有效期" in anon.get(f"/verify/{rep.number}/", {"c": rep.check_code}).content.decode()


def test_others_cannot_download(report, world, citizen_user, login):
    _, rep, _ = report
    other = login(citizen_user(world["citizen"]))
    assert other.get(f"/my/reports/{rep.number}.pdf").status_code == 404
    assert Client().get(f"/my/reports/{rep.number}.pdf").status_code == 302


def test_special_report_marks_repaired_and_limits_the_period(world, citizen_user, login, department, items):
    Record.objects.filter(pk=world["penalty"].pk).update(status="repaired")
    c = login(citizen_user(world["company"]))
    today = timezone.localdate()
    r = c.post("/my/reports/special/", {"subject": world["company"].code, "date_from": date(2015, 1, 1).isoformat(),
                                        "date_to": today.isoformat(), "categories": ["penalty"]})
    assert r.status_code == 400 and "最长5年" in r.content.decode()
    r = c.post("/my/reports/special/", {"subject": world["company"].code,
                                        "date_from": (today - timedelta(days=365 * 3)).isoformat(),
                                        "date_to": today.isoformat(), "categories": ["penalty", "severe_list"]})
    assert r.status_code == 302
    rep = CreditReport.objects.get(kind="special")
    if shutil.which("pdftotext"):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
            fh.write(rep.pdf.read())
            fh.flush()
            text = subprocess.run(["pdftotext", fh.name, "-"], capture_output=True, text=True, check=True).stdout
        assert "专项信用报告" in text and "已修复" in text


HOSTILE = '<img src="file:///etc/passwd"> <b>粗体</b> & <script>x()</script> %s {{ x }}'


@pytest.fixture(params=["installed", "none"])
def font_setting(request, settings):
    """Both hosts: the font lookup as configured here (CI and Docker install fonts-wqy-microhei) and pointed at
    nothing (REPORT_FONT_PATH=none: a host without any CJK font)."""
    settings.REPORT_FONT_PATH = "" if request.param == "installed" else "none"
    return request.param


def _rendered_html(monkeypatch):
    """Keep what the one renderer hands to WeasyPrint."""
    import weasyprint

    seen = []
    original = weasyprint.HTML

    def spy(*args, **kwargs):
        seen.append(kwargs.get("string", ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    return seen


def test_one_renderer_escapes_content_and_always_draws_the_qr_code(world, monkeypatch, font_setting, tmp_path):
    from disclosure import reports
    from disclosure.fonts import cjk_font

    Record.objects.filter(pk=world["penalty"].pk).update(content={"违法事实": HOSTILE})
    html = _rendered_html(monkeypatch)
    rep = reports.issue_report(world["company"], None, base_url="http://testserver/")  # no 500 on markup in records
    pdf = rep.pdf.read()
    assert pdf.startswith(b"%PDF") and reports.verify(rep.number, rep.check_code).ok
    assert len(html) == 1, "one renderer"
    assert '<img src="data:image/svg+xml' in html[0] and 'alt="核验二维码"' in html[0]  # the QR code, on every host
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html[0] and '<img src="file:' not in html[0]
    assert "<script>" not in html[0]
    font = cjk_font()
    assert rep.font_embedded is (font is not None)
    if font_setting == "none":
        assert font is None and "@font-face" not in html[0]
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        from PIL import Image

        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
        page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
        w, h = page.size
        corner = page.crop((int(w * 0.65), 0, w, int(h * 0.3)))  # the QR code sits top right
        dark = sum(corner.histogram()[:100])  # a 30 mm QR code at 40 dpi: about 1,000 dark pixels; its caption: < 200
        assert dark > 500, f"no QR code drawn in the top-right corner ({dark} dark pixels)"
    if font is not None and shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert '<img src="file:///etc/passwd">' in text and "<b>粗体</b>" in text  # shown as text, not markup


def test_the_font_lookup_finds_any_installed_cjk_font_and_says_how_to_install_one(settings, monkeypatch):
    from disclosure import fonts
    from disclosure.checks import cjk_font_installed

    settings.REPORT_FONT_PATH = "none"
    assert fonts.cjk_font() is None
    assert "fonts-wqy-microhei" in fonts.font_missing_message()
    warnings = cjk_font_installed()
    assert warnings and warnings[0].id == "disclosure.W001" and "fonts-wqy-microhei" in warnings[0].hint
    settings.REPORT_FONT_PATH = "/nonexistent/font.ttc"
    assert fonts.cjk_font() is None and "REPORT_FONT_PATH" in fonts.font_missing_message()
    # No WenQuanYi at the known paths: fontconfig's list of fonts covering Chinese decides.
    settings.REPORT_FONT_PATH = ""
    fonts._lookup.cache_clear()
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ())
    found = fonts.cjk_font()
    if shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip():
        assert found is not None and found.path
        assert fonts.font_missing_message() is None and cjk_font_installed() == []
    else:
        assert found is None
    fonts._lookup.cache_clear()


def test_the_admin_says_how_to_install_a_font_when_none_is(settings, client, make_official):
    from credit_platform import roles

    settings.REPORT_FONT_PATH = "none"
    client.force_login(make_official("centre_admin", roles.PLATFORM_ADMIN, superuser=True))
    page = client.get("/admin/disclosure/creditreport/", follow=True)
    assert page.status_code == 200 and "apt-get install fonts-wqy-microhei" in page.content.decode()


def test_verify_accepts_the_codes_as_people_type_them(report):
    _, rep, _ = report
    typed = rep.check_code.replace("-", "").lower()
    response = Client().post("/verify/", {"number": rep.number.lower(), "check_code": f" {typed} "})
    assert response.status_code == 200 and "报告真实有效" in response.content.decode()


def test_a_wrong_code_says_where_the_codes_are_printed(report):
    _, rep, _ = report
    body = Client().post("/verify/", {"number": rep.number, "check_code": "AAAA"}).content.decode()
    assert "报告首页" in body and "右上角" not in body
