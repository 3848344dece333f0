"""No resident ID number in an access log.

A citizen signs in at the test identity provider, binds the enterprise they represent, and walks every portal link
the pages hand out (and submits the forms on them); a department system uses the government query; the public
browses the search and subject pages. Every request is written as gunicorn's default access-log line
(``%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"``, request line with the query string, referer,
and the ``Location`` a redirect sends the browser to next) — and no line may hold a resident ID number.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from credit_platform.privacy import RIC_RE
from records.models import Subject
from tests.accounts.test_oidc_signin import full_sign_in
from tests.disclosure import factories as f
from tests.oidc_provider.fixtures import ZHANG

pytestmark = pytest.mark.django_db

ACCESS_LOG: list[str] = []


class AccessLogMiddleware:
    """Writes each request as gunicorn's default access-log format does (tests only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        line = request.get_full_path()
        ACCESS_LOG.append(
            f'{request.META.get("REMOTE_ADDR", "-")} - - [{timezone.now():%d/%b/%Y:%H:%M:%S %z}] '
            f'"{request.method} {line} HTTP/1.1" {response.status_code} {len(getattr(response, "content", b""))} '
            f'"{request.META.get("HTTP_REFERER", "-")}" "{request.META.get("HTTP_USER_AGENT", "-")}" '
            f'location="{response.get("Location", "")}"'
        )
        return response


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                          "fields": {}}
            self.forms.append(self._form)
        elif (tag in ("input", "select", "button") and self._form is not None and attrs.get("name")
              and attrs.get("type") not in ("checkbox", "file")):
            self._form["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


SKIP = ("/accounts/logout/", "/oidc/", "/admin/", "/static/", "/api/docs/", "/i18n/", "/accounts/login/")


def walk(client: Client, start: list[str], limit: int = 60) -> int:
    """Breadth-first over the same-site links and GET forms the pages show; POST forms submitted once each."""
    seen, posted, queue = set(), set(), deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_REFERER="http://testserver/", follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        base = response.request["PATH_INFO"]
        for href in parser.links:
            target = urljoin(base, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith(SKIP) and "logout" not in path:
                queue.append(path)
        for form in parser.forms:
            action = urljoin(base, form["action"] or base)
            if action.startswith(SKIP) or "logout" in action or "revoke" in action:
                continue
            if form["method"] == "get":
                query = "&".join(f"{k}={v}" for k, v in form["fields"].items() if k != "csrfmiddlewaretoken")
                queue.append(f"{action}?{query}" if query else action)
            elif (action, tuple(sorted(form["fields"]))) not in posted:
                posted.add((action, tuple(sorted(form["fields"]))))
                client.post(action, form["fields"], HTTP_REFERER=f"http://testserver{base}", follow=True)
    return len(seen)


@pytest.fixture
def access_log(settings):
    ACCESS_LOG.clear()
    settings.MIDDLEWARE = ["tests.hardening.test_access_log_walk.AccessLogMiddleware", *settings.MIDDLEWARE]
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    yield ACCESS_LOG
    ACCESS_LOG.clear()


def test_portal_and_api_walk_leaves_no_resident_id_number_in_the_access_log(oidc_platform, access_log, department,
                                                                          token_client):
    items = f.make_catalog(department)
    zhang = f.person("张伟", date(1990, 1, 1), code=ZHANG["id_card_no"])
    company = f.SubjectFactory(name="克拉玛依示例能源有限公司")
    f.relate(company, zhang)
    f.record(zhang, items[f.PENALTY], department)
    f.record(company, items[f.PENALTY], department)
    f.record(company, items[f.TRUST], department, decided_on=date(2025, 6, 1))
    bank = f.SubjectFactory(name="克拉玛依某银行")

    citizen = Client()
    assert full_sign_in(citizen, "zhangwei").status_code == 302
    assert citizen.post("/accounts/enterprise/", {"uscc": company.code, "enterprise_name": company.name},
                        follow=True).status_code == 200
    citizen.post("/my/authorisations/", {"grantee_name": bank.name, "grantee_code": bank.code,
                                         "categories": ["dishonesty"], "purpose": "贷款审批",
                                         "expires_on": (timezone.localdate() + timedelta(days=20)).isoformat()},
                 follow=True)
    pages = walk(citizen, ["/", "/my/", "/objections/", "/repair/", "/lists/mine/"])
    assert pages >= 10, access_log

    public = Client()
    walk(public, ["/", f"/search/?q={company.name[:4]}", f"/subjects/{company.code}/"], limit=20)
    # Somebody types a person's number into the public subject page: the page never prints it back.
    page = public.get(f"/subjects/{zhang.code}/")
    assert page.status_code == 404 and zhang.code not in page.content.decode()
    access_log.pop()  # that request line is the visitor's own doing, not a link the platform handed out

    api = token_client(department)
    purpose = api.get("/api/v1/query-purposes/").json()["results"][0]["code"]  # a token or an official, not the public
    answer = api.post("/api/v1/subjects/query/", {"code": zhang.code, "purpose": purpose}, format="json")
    assert answer.status_code == 200 and answer.json()["name"] == "张伟"
    assert api.get(f"/api/v1/subjects/{company.code}/", {"purpose": purpose}).status_code == 200
    api.get("/api/v1/public/search/", {"q": company.name[:4]})

    personal = {s.code for s in Subject.objects.filter(type="natural_person")}
    assert len(access_log) > 30
    for line in access_log:
        assert not any(code in line.upper() for code in personal), line
        assert not RIC_RE.search(line), line
    # The handles the portal uses are opaque: no part of the subject's code.
    handles = {m for line in access_log for m in re.findall(r"subject=([0-9a-f]{20})", line)}
    assert handles and all(zhang.code[-6:] not in h for h in handles)


def test_an_old_url_with_a_resident_id_number_no_longer_works(department, token_client):
    from django.contrib.auth import get_user_model

    from accounts.identity import VerifiedIdentity
    from accounts.links import link_identity

    zhang = f.person("张伟", date(1990, 1, 1))
    user = get_user_model().objects.create_user(username="zw", kind="citizen")
    link_identity(user, VerifiedIdentity("natural_person", "ric", zhang.code, zhang.name, "test"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/my/", {"subject": zhang.code}).status_code == 404
    assert client.get("/my/reports/", {"subject": zhang.code}).status_code == 404
    assert client.get("/my/authorisations/", {"subject": zhang.code}).status_code == 404
    # The handle the page gives works, and the choice is kept in the session.
    page = client.get("/my/").content.decode()
    handle = re.search(r"/my/reports/\?subject=([0-9a-f]{20})", page).group(1)
    assert client.get("/my/reports/", {"subject": handle}).status_code == 200
    api = token_client(department)
    response = api.get(f"/api/v1/subjects/{zhang.code}/", {"purpose": "licensing_inspection_penalty"})
    assert response.status_code == 400 and response.json()["code"] == "personal_identifier_in_url"
    assert response.json()["fields"] == {"code": "use_request_body"}
    from accounts.models import QueryLogEntry

    assert not QueryLogEntry.objects.filter(action="government").exists()  # refused before any lookup


def test_schema_documents_the_body_form_and_deprecates_the_url_form(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/subjects/query/"]
    old = schema["paths"]["/api/v1/subjects/{code}/"]["get"]
    assert old["deprecated"] is True and "personal_identifier_in_url" in old["description"]


def test_gunicorn_access_log_masks_a_typed_in_number(tmp_path):
    """Defence in depth: what a client types into the address bar is masked in gunicorn's own access log
    (the Dockerfile and docker-compose run gunicorn with this logger class: tests/credit_platform/test_deployment_files.py)."""
    from datetime import timedelta as delta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from credit_platform.gunicorn_logging import MaskingLogger

    code = "650203199001011234"
    log_file = tmp_path / "access.log"
    cfg = Config()
    cfg.set("accesslog", str(log_file))
    logger = MaskingLogger(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/subjects/{code}/?subject={code}&q=%36{code[1:]}",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": f"/subjects/{code}/", "QUERY_STRING": f"subject={code}",
               "REMOTE_ADDR": "198.51.100.7", "HTTP_REFERER": f"https://credit.example.gov.cn/my/?subject={code}",
               "HTTP_USER_AGENT": "test"}
    resp = SimpleNamespace(status="404 Not Found", sent=512, headers=[])
    try:
        logger.access(resp, [], environ, delta(milliseconds=3))
    finally:  # gunicorn's loggers are process-wide: leave no handler behind for the other tests
        for log in (logger.access_log, logger.error_log):
            for handler in list(log.handlers):
                handler.close()
                log.removeHandler(handler)
    line = log_file.read_text()
    assert "GET /subjects/6502**********1234/" in line and "198.51.100.7" in line
    assert code not in line and code[1:] not in line
