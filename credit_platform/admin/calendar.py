"""Admin for the working-day calendar: the exception days and each year's schedule (DESIGN.md principle 3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core import checks
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from credit_platform import workdays
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.models import CalendarDay, CalendarYear

CONTEXT_PROCESSOR = "credit_platform.workdays.calendar_warning"


class YearFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            CalendarDay.objects.annotate(y=ExtractYear("date")).order_by("-y").values_list("y", flat=True).distinct()
        )
        return [(str(y), f"{y} 年") for y in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


def _years_complete(years) -> set[int]:
    return set(CalendarYear.objects.filter(year__in=set(years), complete=True).values_list("year", flat=True))


@admin.register(CalendarDay)
class CalendarDayAdmin(GuardedHistoryAdmin):
    list_display = ("date", "weekday", "kind", "name", "source", "year_complete", "note")
    list_filter = (YearFilter, "kind", "source")
    search_fields = ("name", "note")
    ordering = ("-date",)
    readonly_fields = ("source", "updated_at")
    fields = ("date", "kind", "name", "note", "source", "updated_at")
    list_per_page = 100

    def get_queryset(self, request):
        complete = CalendarYear.objects.filter(year=ExtractYear(OuterRef("date")), complete=True).values("complete")
        return super().get_queryset(request).annotate(_year_complete=Subquery(complete[:1]))

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return obj.weekday_name

    @admin.display(description=_("本年度已完整录入"), boolean=True)
    def year_complete(self, obj: CalendarDay) -> bool:
        return bool(getattr(obj, "_year_complete", False))

    def save_model(self, request, obj, form, change):
        # Whatever the package or the rule said, a row an official saved is the official's.
        obj.source = CalendarDay.Source.ADMIN
        super().save_model(request, obj, form, change)
        CalendarYear.objects.get_or_create(year=obj.date.year, defaults={"source": CalendarYear.Source.ADMIN})
        years = {obj.date.year}
        if change and "date" in form.changed_data and form.initial.get("date"):
            years.add(form.initial["date"].year)
        self._notify(request, years)

    def delete_model(self, request, obj):
        year = obj.date.year
        super().delete_model(request, obj)
        self._notify(request, {year})

    def delete_queryset(self, request, queryset):
        years = set(queryset.annotate(y=ExtractYear("date")).values_list("y", flat=True))
        super().delete_queryset(request, queryset)
        self._notify(request, years)

    def _notify(self, request, years) -> None:
        # An incomplete year is not used for computing yet: its hooks run when it is marked complete.
        for year in sorted(_years_complete(years)):
            workdays.notify_schedule_changed(year)


@admin.register(CalendarYear)
class CalendarYearAdmin(GuardedHistoryAdmin):
    list_display = ("year", "complete", "source", "holiday_count", "workday_count", "entered_by", "entered_at")
    list_filter = ("complete", "source")
    search_fields = ("year", "note")
    readonly_fields = ("complete", "source", "entered_by", "entered_at", "updated_at")
    fields = ("year", "note", "complete", "source", "entered_by", "entered_at", "updated_at")
    actions = ("mark_complete", "prefill_from_rules")

    def get_queryset(self, request):
        def count(kind: str):
            rows = (
                CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
                .order_by()
                .annotate(y=ExtractYear("date"))
                .values("y")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

        return (
            super()
            .get_queryset(request)
            .select_related("entered_by")
            .annotate(_holidays=count(CalendarDay.Kind.HOLIDAY), _workdays=count(CalendarDay.Kind.WORKDAY))
        )

    def get_readonly_fields(self, request, obj=None):
        # The year of an existing schedule is fixed; a wrong year is a new row.
        return ("year", *self.readonly_fields) if obj is not None else self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # uncovering a year silently would make due dates provisional again
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.complete:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("放假日（周一至周五）"), ordering="_holidays")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj._holidays

    @admin.display(description=_("调休上班日"), ordering="_workdays")
    def workday_count(self, obj: CalendarYear) -> int:
        return obj._workdays

    @admin.action(description=_("标记本年度安排已完整录入"), permissions=["change"])
    def mark_complete(self, request, queryset):
        for year in sorted(queryset.values_list("year", flat=True)):
            try:
                workdays.mark_year_complete(year, request.user)
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request, f"{year} 年安排已标记为完整录入，该年度的临时期限将重新计算。", messages.SUCCESS
            )
            gaps = workdays.schedule_gaps(year)
            if gaps:
                names = workdays.statutory_holidays_by_rule(year, observed=False)
                listed = "、".join(f"{d:%m-%d}（{names[d]}）" for d in gaps)
                self.message_user(
                    request,
                    f"请核对：按法定节假日规则，{year} 年以下周一至周五应放假但未录入：{listed}。",
                    messages.WARNING,
                )

    @admin.action(description=_("按法定节假日规则预填放假日（不含调休，需人工核对）"), permissions=["add"])
    def prefill_from_rules(self, request, queryset):
        for year in sorted(queryset.values_list("year", flat=True)):
            created = workdays.prefill_year_from_rules(year)
            self.message_user(
                request,
                f"{year} 年：按规则预填 {created} 个放假日。请按国务院办公厅通知核对、补充调休上班日，再标记完整录入。",
                messages.INFO,
            )


@checks.register(checks.Tags.templates)
def check_calendar_context_processor(app_configs, **kwargs):
    """Without the context processor the admin would never see that the calendar is running out."""
    for engine in settings.TEMPLATES:
        if CONTEXT_PROCESSOR in engine.get("OPTIONS", {}).get("context_processors", []):
            return []
    return [
        checks.Warning(
            "The working-day calendar warning banner is not wired.",
            hint=f"Add '{CONTEXT_PROCESSOR}' to TEMPLATES[0]['OPTIONS']['context_processors'].",
            id="credit_platform.W010",
        )
    ]
