from io import StringIO

import pytest
from django.core.management import call_command

from credit_platform.demo import DEMO_PASSWORD, OFFICIALS
from credit_platform.models import Department, User

pytestmark = pytest.mark.django_db


def test_bootstrap_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("bootstrap_demo", stdout=out)
    counts = (Department.objects.count(), User.objects.count())
    call_command("bootstrap_demo", stdout=StringIO())
    assert (Department.objects.count(), User.objects.count()) == counts
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for username, *_ in OFFICIALS:
        assert username in text
    assert Department.objects.filter(code="FY", name__contains="人民法院").exists()


def test_demo_officials_can_log_in_to_the_admin(client):
    call_command("bootstrap_demo", stdout=StringIO())
    response = client.post("/admin/login/?next=/admin/", {"username": "centre", "password": DEMO_PASSWORD})
    assert response.status_code == 302
