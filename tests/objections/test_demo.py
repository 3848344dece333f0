from io import StringIO

import pytest

from credit_platform import demo as platform_demo
from objections import demo
from objections.models import Complaint, Objection

pytestmark = pytest.mark.django_db


def test_demo_objections_idempotent():
    from records import demo as records_demo

    platform_demo.populate(StringIO())
    records_demo.populate(StringIO())
    out = StringIO()
    demo.populate(out)
    assert Objection.objects.count() == 4 and Complaint.objects.count() == 1
    assert {o.status for o in Objection.objects.all()} >= {"received", "under_review", "decided", "marked"}
    demo.populate(StringIO())
    assert Objection.objects.count() == 4
    assert "objections" in out.getvalue()
