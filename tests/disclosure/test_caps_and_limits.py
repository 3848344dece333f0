"""Caps and limits: /verify/ uploads capped and read in chunks, anonymous catalog comments rate- and
size-limited, the login lockout keyed on username and address together with the address kept as a keyed pseudonym,
and the query log's channel saying API for queries made through the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credit_platform.privacy import address_pseudonym
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


# --- /verify/ uploads ----------------------------------------------------------------------------------------------

def _post_pdf(size: int, client: Client | None = None):
    data = b"%PDF-1.7\n" + b"0" * (size - 9)
    return (client or Client()).post("/verify/", {"number": "CR-NOPE", "check_code": "ABCDEF",
                                                  "pdf": SimpleUploadedFile("r.pdf", data, "application/pdf")})


def test_an_upload_over_the_cap_is_refused_while_it_streams(settings, monkeypatch):
    """Declared small enough to be read, larger than the cap: the cap stops it after the first chunk past the limit."""
    from disclosure import uploads

    settings.VERIFY_UPLOAD_MAX_BYTES = 1024
    seen = []
    original = uploads.CappedUploadHandler.receive_data_chunk
    monkeypatch.setattr(uploads.CappedUploadHandler, "receive_data_chunk",
                        lambda self, raw, start: (seen.append(len(raw)), original(self, raw, start))[1])
    response = _post_pdf(8 * 1024)
    assert response.status_code == 413
    assert "文件过大" in response.content.decode() and "1 KB" in response.content.decode()
    assert seen and sum(seen) <= 8 * 1024 + 1024


def test_an_upload_declared_over_the_cap_is_refused_before_it_is_read(settings, monkeypatch):
    from disclosure import uploads

    settings.VERIFY_UPLOAD_MAX_BYTES = 1024
    monkeypatch.setattr(uploads, "cap", lambda *a, **k: pytest.fail("the body must not be parsed"))
    response = _post_pdf(uploads.FORM_OVERHEAD_BYTES + 4096)
    assert response.status_code == 413 and "文件过大" in response.content.decode()


def test_an_upload_within_the_cap_is_checked_and_csrf_still_applies(settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 64 * 1024
    response = _post_pdf(2048)
    assert response.status_code == 404 and "不正确" in response.content.decode()  # checked, not refused for size
    guarded = Client(enforce_csrf_checks=True)
    assert _post_pdf(2048, guarded).status_code == 403  # csrf_exempt only to install the cap first


def test_the_uploaded_file_is_hashed_chunk_by_chunk(world, settings):
    """reports.verify never reads an uploaded file whole: it hashes its chunks."""
    from disclosure import reports

    report = reports.issue_report(world["company"], None, base_url="http://testserver/")
    pdf = report.pdf.read()

    from django.core.files.uploadedfile import TemporaryUploadedFile

    class ChunksOnly(TemporaryUploadedFile):
        """An upload streamed to disk (as Django keeps large ones) that refuses to be read whole."""

        def read(self, size=-1):
            assert size and size > 0, "read() without a size would load the whole file"
            return self.file.read(size)

    upload = ChunksOnly("r.pdf", "application/pdf", len(pdf), None)
    upload.file.write(pdf)
    upload.file.flush()
    upload.DEFAULT_CHUNK_SIZE = 1024
    result = reports.verify(report.number, report.check_code, upload)
    assert result.ok and result.file_matches is True


# --- catalog comments ------------------------------------------------------------------------------------------------

@pytest.fixture
def draft(department):
    from catalog import services
    from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory

    version = CatalogVersionFactory()
    CatalogItemFactory(version=version, code="D-1", providers=[department])
    services.open_public_comment(version)
    return version


def test_comment_size_is_capped_on_the_portal_and_the_api(draft, settings):
    settings.CATALOG_COMMENT_MAX_CHARS = 200
    page = Client().post(f"/catalog/drafts/{draft.pk}/", {"author_name": "张三", "body": "意" * 201})
    assert page.status_code == 200 and "最多 200 字" in page.content.decode()
    api = Client().post(f"/api/v1/catalog/drafts/{draft.pk}/comments/", {"author_name": "张三", "body": "意" * 201},
                        content_type="application/json")
    assert api.status_code == 400 and "body" in api.json()["fields"]
    assert not draft.comments.exists()
    ok = Client().post(f"/catalog/drafts/{draft.pk}/", {"author_name": "张三", "body": "意" * 200})
    assert ok.status_code == 302 and draft.comments.count() == 1


def test_comments_are_rate_limited_per_address_across_portal_and_api(draft, settings):
    settings.RATELIMIT_COMMENT = "2/h"
    c = Client(REMOTE_ADDR="203.0.113.50")
    assert c.get(f"/catalog/drafts/{draft.pk}/").status_code == 200  # reading is not limited
    assert c.post(f"/catalog/drafts/{draft.pk}/", {"author_name": "甲", "body": "一"}).status_code == 302
    assert c.post(f"/api/v1/catalog/drafts/{draft.pk}/comments/", {"author_name": "甲", "body": "二"},
                  content_type="application/json").status_code == 201
    refused = c.post(f"/catalog/drafts/{draft.pk}/", {"author_name": "甲", "body": "三"})
    assert refused.status_code == 429 and "请求过于频繁" in refused.content.decode()
    api = c.post(f"/api/v1/catalog/drafts/{draft.pk}/comments/", {"author_name": "甲", "body": "四"},
                 content_type="application/json")
    assert api.status_code == 429 and api.json()["code"] == "throttled"
    other = Client(REMOTE_ADDR="203.0.113.51")
    assert other.post(f"/catalog/drafts/{draft.pk}/", {"author_name": "乙", "body": "五"}).status_code == 302
    assert draft.comments.count() == 3


# --- login lockout -------------------------------------------------------------------------------------------------

def _admin_login(ip: str, password: str):
    return Client(REMOTE_ADDR=ip).post("/admin/login/?next=/admin/", {"username": "officer", "password": password})


def test_five_wrong_passwords_from_five_addresses_do_not_lock_the_account(make_official, settings):
    from credit_platform import roles

    make_official("officer", roles.AUDITOR)
    for i in range(settings.AXES_FAILURE_LIMIT):
        assert _admin_login(f"198.51.100.{i + 1}", "wrong-Password1").status_code == 200
    assert _admin_login("198.51.100.99", STRONG_PASSWORD).status_code == 302


def test_five_wrong_passwords_from_one_address_lock_that_address_out_only(make_official, settings):
    from axes.models import AccessAttempt

    from credit_platform import roles

    make_official("officer", roles.AUDITOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = _admin_login("198.51.100.7", "wrong-Password1")
    assert last.status_code == 429
    assert _admin_login("198.51.100.7", STRONG_PASSWORD).status_code == 429  # locked from there
    # The lockout log says where the attempts came from — as the address's keyed pseudonym, not the address.
    attempt = AccessAttempt.objects.get(username="officer")
    assert attempt.ip_address == address_pseudonym("198.51.100.7") and attempt.failures_since_start >= 5
    assert "198.51.100.7" not in str(attempt.ip_address) and attempt.ip_address.startswith("fd")
    assert _admin_login("198.51.100.8", STRONG_PASSWORD).status_code == 302  # the owner elsewhere still gets in


def test_address_pseudonym_command_tells_the_security_administrator_the_stored_form():
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("address_pseudonym", "198.51.100.7", stdout=out)
    assert out.getvalue().split() == ["198.51.100.7", address_pseudonym("198.51.100.7")]
    assert address_pseudonym("198.51.100.7") != address_pseudonym("198.51.100.8")
    with pytest.raises(CommandError):
        call_command("address_pseudonym", "not-an-ip", stdout=StringIO())


# --- query log channel ------------------------------------------------------------------------------------------------

def test_an_officials_query_through_the_api_is_logged_as_channel_api(world, make_official, department, token_client):
    from accounts.models import QueryLogEntry
    from disclosure.services import query_purposes

    purpose = query_purposes()[0].code
    from credit_platform import roles

    official = make_official("gov", roles.DEPARTMENT_OFFICER, department=department)
    session = Client()
    session.force_login(official, backend="django.contrib.auth.backends.ModelBackend")
    assert session.get(f"/api/v1/subjects/{world['company'].code}/", {"purpose": purpose}).status_code == 200
    assert token_client(department).get(f"/api/v1/subjects/{world['company'].code}/",
                                        {"purpose": purpose}).status_code == 200
    assert list(QueryLogEntry.objects.order_by("seq").values_list("actor_kind", "channel")) == [
        ("official", "api"), ("dept_system", "api")]
