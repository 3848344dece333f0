"""Demo data for the repair app (idempotent; ``bootstrap_demo`` calls it last, after the disclosure demo).

One story with the disclosure demo: the repair cases belong to the disclosure demo's 克拉玛依示例能源有限公司
(looked up by its code, ``ENERGY_CODE``; created with the same code and name when the repair demo runs alone), whose
agent is the portal user ``enterprise`` — so /my/, /repair/ and the public page show the same enterprise.
Four penalties of its own under a draft demo catalog item (their windows computed by the disclosure app), applications
in different states and one subscription.

The decision dates follow the active profile, not Karamay's: each case is placed relative to the minimum period
before repair (Order 36 tiers, ``repair_min_months``) and inside the publicity window (``effective_publicity_months``:
Heilongjiang art. 51 ends general publicity after one year, so a case decided 400 days ago would be archived and
could no longer be repaired). See :func:`case_months_ago`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from catalog.models import CatalogItem, CatalogVersion
from credit_platform import demo_locale
from credit_platform.models import Department, User
from credit_platform.months import add_months
from credit_platform.policies import active_policy
from disclosure.demo import ENERGY, enterprise_code
from disclosure.services import apply_windows
from records.models import Record, Subject, Subscription
from repair import services
from repair.models import RepairApplication

DEMO_REFS = ("REPAIR-DEMO-1", "REPAIR-DEMO-2", "REPAIR-DEMO-3", "REPAIR-DEMO-4")

#: The disclosure demo's enterprise (``disclosure.demo.ENERGY``: make_uscc("650200", 880001)).
ENERGY_CODE, ENERGY_NAME = "916502000088000102", "克拉玛依示例能源有限公司"
#: The stand-alone subject earlier versions of this demo created; its cases move to the shared enterprise.
OLD_DEMO_CODE = "91650200MA7DEMO01X"


def _energy_code() -> str:
    """One source of truth: the disclosure demo's enterprise of the active profile's city."""
    return enterprise_code(ENERGY)


def _energy_name() -> str:
    return demo_locale.current().localise(ENERGY_NAME)


def _subject():
    """The disclosure demo's enterprise, by code (the same code and name if the repair demo runs alone)."""
    subject = Subject.objects.filter(code_type="uscc", code=_energy_code()).first()
    if subject is None:
        subject = Subject.objects.create(code_type="uscc", code=_energy_code(), type="legal_person", name=_energy_name())
    return subject


def _adopt_old_demo(department, subject, stdout) -> None:
    """A database loaded by an earlier version has the cases under a second 克拉玛依示例能源有限公司: move them."""
    old = Subject.objects.filter(code_type="uscc", code=OLD_DEMO_CODE).first()
    if old is None:
        return
    moved = Record.objects.filter(subject=old, source_department=department, source_ref__in=DEMO_REFS).update(subject=subject)
    RepairApplication.objects.filter(subject=old).update(subject=subject)
    if not Record.objects.filter(subject=old).exists():
        try:
            with transaction.atomic():
                old.delete()
        except ProtectedError:
            pass  # something else still points at the old demo subject: keep it, the cases have moved anyway
    stdout.write(f"repair demo: {moved} cases moved from {OLD_DEMO_CODE} to {subject.code}")


def _windows(records) -> None:
    """The publicity windows as ingestion would have computed them."""
    apply_windows([r.pk for r in records])
    for r in records:
        r.refresh_from_db()


def case_months_ago(policy=None) -> tuple[int, int, int, int]:
    """Months before today at which the four demo penalties (general dishonesty) were decided, so that under the
    active profile: the first three have passed the minimum period before repair and are still published (approved,
    accepted, waiting for acceptance) and the fourth has not (refused at once, with its earliest date)."""
    policy = policy or active_policy()
    minimum = policy.repair_min_for("general")
    _lo, longest = policy.effective_publicity_months("general")
    eligible = [min(minimum + n, longest - 1) for n in (3, 2, 1)]
    if not (minimum < min(eligible) and max(eligible) < longest):
        raise ValueError(f"{policy.code}: no room between the repair minimum ({minimum}) and the publicity maximum "
                         f"({longest}) for the repair demo")
    return (*eligible, max(0, minimum - 1))


def _records(department, stdout):
    version, _ = CatalogVersion.objects.get_or_create(
        title="信用修复演示目录", version_label="演示", defaults={"status": CatalogVersion.Status.DRAFT}
    )
    item = CatalogItem.objects.filter(version=version, code="REPAIR-DEMO").first() or CatalogItem.objects.create(
        version=version, code="REPAIR-DEMO", name="行政处罚（一般失信）", behaviour="违反市场监管法规受到行政处罚",
        category="dishonesty", data_source="行政处罚决定书", legal_basis="《中华人民共和国行政处罚法》", repairable=True,
        matter_type="administrative_penalty",
    )
    if item.matter_type != "administrative_penalty":
        # Earlier demos left it "other": the public page listed these penalties under 其他信息 (a draft item: mutable).
        CatalogItem.objects.filter(pk=item.pk).update(matter_type="administrative_penalty")
    subject = _subject()
    _adopt_old_demo(department, subject, stdout)
    abbr = demo_locale.current().abbr
    today = timezone.localdate()
    decided = tuple(add_months(today, -months) - timedelta(days=3) for months in case_months_ago())
    longest_months = active_policy().effective_publicity_months("general")[1]
    records = []
    for ref, day in zip(DEMO_REFS, decided, strict=True):
        record, _ = Record.objects.get_or_create(
            source_department=department, source_ref=ref,
            defaults={
                "subject": subject, "catalog_item": item, "category": "dishonesty", "severity": "general",
                "basis_number": f"{abbr}市监罚〔{day.year}〕{ref[-1]}号", "basis_issuer": department.name, "basis_issued_on": day,
                "decided_on": day, "public_from": day, "public_until": add_months(day, longest_months),
            },
        )
        records.append(record)
    _windows([r for r in records if not hasattr(r, "window")])
    return records


@transaction.atomic
def populate(stdout) -> None:
    department = Department.objects.filter(code="SCJG").first() or Department.objects.first()
    if department is None:
        stdout.write("repair demo: no department, skipped")
        return
    Subscription.objects.get_or_create(
        name="市市场监督管理局业务系统（演示）",
        defaults={"department": department, "scope": Subscription.Scope.PROVIDED, "url": "http://127.0.0.1:8765/credit-hook"},
    )
    records = _records(department, stdout)
    if RepairApplication.objects.filter(record__in=records).exists():
        stdout.write("repair demo: already loaded")
        return
    reviewer = User.objects.filter(username="reviewer").first()
    applicant = User.objects.filter(username="enterprise").first()
    agent = f"{_energy_name()} 经办人"

    def file(record):
        return services.apply(
            record, applicant_name=agent, correction_statement="已缴清罚款并完成整改，提交缴款凭证。",
            commitment=services.commitment_text(record, agent), channel="paper",
            registered_by=reviewer or applicant or User.objects.filter(is_superuser=True).first(),
        )

    approved = file(records[0])
    services.accept(approved, actor=reviewer)
    services.decide(approved, actor=reviewer, approve=True, reason="已履行行政处罚决定并作出信用承诺，符合修复条件。")
    accepted = file(records[1])
    services.accept(accepted, actor=reviewer, note="材料齐全，予以受理")
    file(records[2])  # waiting for acceptance
    file(records[3])  # refused at once: the minimum period has not elapsed
    stdout.write(f"repair demo: {RepairApplication.objects.filter(record__in=records).count()} applications, 1 subscription")


