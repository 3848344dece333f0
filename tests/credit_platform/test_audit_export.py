import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from credit_platform import roles
from credit_platform.security import AUDIT_ADMIN, SYSTEM_ADMIN
from tests.credit_platform.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _changes(make_official):
    dept = DepartmentFactory(code="ZJJ", name="市住房和城乡建设局")
    dept.name = "市住房和城乡建设局（更名）"
    dept._change_reason = "机构改革更名"
    dept.save()
    make_official("someone", roles.AUDITOR)
    Client().post("/admin/login/", {"username": "someone", "password": "wrong-Passw0rd"})


def test_command_exports_changes_with_reasons_and_login_failures(make_official, tmp_path):
    _changes(make_official)
    target = tmp_path / "audit.jsonl"
    call_command("export_audit_trail", "--format", "jsonl", "--output", str(target), stderr=StringIO())
    events = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    changed = [e for e in events if e["model"] == "credit_platform.Department" and e["action"] == "changed"]
    assert changed and changed[0]["reason"] == "机构改革更名" and changed[0]["changes"] == "name"
    assert any(e["action"] == "login_failed" and e["user"] == "someone" for e in events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


def test_since_filters_and_bad_dates_are_refused(make_official):
    from django.core.management import CommandError

    _changes(make_official)
    out = StringIO()
    call_command("export_audit_trail", "--since", "2999-01-01", stdout=out, stderr=StringIO())
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == 1  # header only
    with pytest.raises(CommandError):
        call_command("export_audit_trail", "--since", "yesterday")


def test_audit_admin_downloads_csv_and_others_cannot(make_official):
    _changes(make_official)
    auditor = make_official("aud", AUDIT_ADMIN)
    client = Client()
    client.force_login(auditor)
    response = client.get("/admin/audit/export/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "机构改革更名" in text
    system = make_official("sys", SYSTEM_ADMIN)
    client.force_login(system)
    assert client.get("/admin/audit/export/").status_code == 403
