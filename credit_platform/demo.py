"""Demo departments and accounts for ``bootstrap_demo`` (idempotent). Later apps add their own ``demo.py``."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from credit_platform import demo_locale, roles, security
from credit_platform.models import Department, User

# Well-formed but fictitious USCCs (valid check digits) for the city's departments.
DEPARTMENTS = [
    ("XYZX", "市社会信用中心", "12650200MB1234567X", True),
    ("FGW", "市发展和改革委员会", "11650200MB0000010A", False),
    ("SCJG", "市市场监督管理局", "11650200MB0000020B", False),
    ("SWJ", "国家税务总局克拉玛依市税务局", "11650200MB0000030C", False),
    ("RSJ", "市人力资源和社会保障局", "11650200MB0000040D", False),
    ("ZJJ", "市住房和城乡建设局", "11650200MB0000050E", False),
    ("STHJ", "市生态环境局", "11650200MB0000060F", False),
    ("YJJ", "市应急管理局", "11650200MB0000070G", False),
    ("FY", "克拉玛依市中级人民法院", "11650200MB0000080H", False),
]

DEMO_PASSWORD = "Credit@2026demo"

# username, name, department code, groups, superuser
OFFICIALS = [
    ("admin", "平台超级管理员", "XYZX", (), True),
    ("centre", "信用中心 李主任", "XYZX", (roles.PLATFORM_ADMIN,), False),
    ("officer_scjg", "市场监管局 王专员", "SCJG", (roles.DEPARTMENT_OFFICER,), False),
    ("officer_swj", "税务局 赵专员", "SWJ", (roles.DEPARTMENT_OFFICER,), False),
    ("handler", "异议处理 陈科员", "XYZX", (roles.OBJECTION_HANDLER,), False),
    ("reviewer", "修复审核 周科员", "XYZX", (roles.REPAIR_REVIEWER,), False),
    ("auditor", "审计 吴科员", "XYZX", (roles.AUDITOR,), False),
    ("sysadmin", "系统管理员", "XYZX", (security.SYSTEM_ADMIN,), False),
    ("secadmin", "安全管理员", "XYZX", (security.SECURITY_ADMIN,), False),
    ("auditadmin", "审计管理员", "XYZX", (security.AUDIT_ADMIN,), False),
]

# username, name, kind — the portal identities (linked to subjects by the disclosure app's demo)
PORTAL_USERS = [
    ("citizen", "张伟", User.Kind.CITIZEN),
    ("citizen2", "李娜", User.Kind.CITIZEN),
    ("enterprise", "克拉玛依示例能源有限公司 经办人", User.Kind.AGENT),
]


def _user(username: str, full_name: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.first_name = full_name
        user.set_password(DEMO_PASSWORD)
    else:
        for key, value in fields.items():
            setattr(user, key, value)
    user.save()
    return user


def departments_for(locale: demo_locale.DemoLocale | None = None) -> list[tuple[str, str, str, bool]]:
    """The demo departments in the active profile's city (names and USCCs from ``demo_locale``)."""
    locale = locale or demo_locale.current()
    return [(code, locale.localise(name), uscc, centre)
            for (code, name, _uscc, centre), uscc in zip(DEPARTMENTS, locale.usccs, strict=True)]


@transaction.atomic
def populate(stdout=None) -> None:
    roles.sync_role_groups()
    locale = demo_locale.current()
    departments = {}
    for code, name, uscc, centre in departments_for(locale):
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "uscc": uscc, "is_credit_centre": centre, "level": Department.Level.MUNICIPAL}
        )
    for username, name, dept, groups, superuser in OFFICIALS:
        user = _user(
            username, name, kind=User.Kind.OFFICIAL, department=departments[dept], is_staff=True, is_superuser=superuser
        )
        user.groups.set(Group.objects.filter(name__in=groups))
    for username, name, kind in PORTAL_USERS:
        _user(username, locale.localise(name), kind=kind)
    if stdout:
        stdout.write(f"departments: {len(departments)}, officials: {len(OFFICIALS)}, portal users: {len(PORTAL_USERS)}")


def demo_logins_text() -> str:
    lines = [f"\n演示账号（密码均为 {DEMO_PASSWORD}）/ demo logins (password {DEMO_PASSWORD}):"]
    for username, name, _dept, groups, superuser in OFFICIALS:
        role = "超级管理员" if superuser else "、".join(groups)
        lines.append(f"  管理后台 /admin/  {username:<13} {role}（{name}）")
    locale = demo_locale.current()
    for username, name, _kind in PORTAL_USERS:
        lines.append(f"  门户 /           {username:<13} {locale.localise(name)}")
    return "\n".join(lines)
