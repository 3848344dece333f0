"""Factories for the platform's own models: departments, officials, calendar days, sweep runs."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from credit_platform.models import CalendarDay, Department, SweepRun, User

#: a password every validator accepts (the official password rules of credit_platform.security)
PASSWORD = "Str0ng-Passw0rd!"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    """A staff account; ``roles=[...]`` puts it in those role groups (``sync_role_groups`` must have run)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"official{n}")
    kind = User.Kind.OFFICIAL
    is_staff = True
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = date(2027, 1, 1)
    kind = CalendarDay.Kind.HOLIDAY
    name = "元旦"


class SweepRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SweepRun

    name = "test_sweep"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    detail = factory.LazyFunction(dict)
