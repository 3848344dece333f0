"""The department feedback-rate admin pages answered 500 for a department officer: the proxy of Department
was filtered with a Department instance."""

from __future__ import annotations

import pytest
from django.test import Client

from credit_platform import roles

pytestmark = pytest.mark.django_db


def test_feedback_rate_change_and_delete_pages_answer_without_error(make_official, department):
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    client = Client()
    client.force_login(officer)
    assert client.get("/admin/sanctions/departmentfeedbackrate/").status_code == 200
    change = client.get(f"/admin/sanctions/departmentfeedbackrate/{department.pk}/change/")
    assert change.status_code in (200, 302)  # its own row (or back to the list when it has no checks yet)
    assert client.get(f"/admin/sanctions/departmentfeedbackrate/{department.pk}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/sanctions/departmentfeedbackrate/{department.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    from credit_platform.models import Department

    assert Department.objects.filter(pk=department.pk).exists()
