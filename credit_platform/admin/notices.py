"""Admin for statutory notices: what was told to whom under which article, and whether it arrived."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from credit_platform import notices
from credit_platform.models import StatutoryNotice
from credit_platform.roles import department_of, sees_all_departments


class OfflineForm(forms.Form):
    note = forms.CharField(label=_("线下送达方式"), max_length=300,
                           help_text=_("如公文交换号、机要件编号、挂号信单号"))


@admin.register(StatutoryNotice)
class StatutoryNoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "duty_label", "recipient_name", "subject_label", "status", "recipients_notified",
                    "read_display", "source_link", "article")
    list_filter = ("status", "duty")
    search_fields = ("recipient_name", "subject_label", "title", "source")
    date_hierarchy = "created_at"
    readonly_fields = tuple(f.name for f in StatutoryNotice._meta.fields)
    actions = ("mark_offline",)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("recipient")
        if sees_all_departments(request.user):
            return qs
        department = department_of(request.user)
        return qs.filter(recipient=department) | qs.filter(sender=department) if department else qs.none()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("来源"))
    def source_link(self, obj):
        if obj.link.startswith("/admin/"):
            return format_html('<a href="{}">{}</a>', obj.link, obj.source or "查看")
        return obj.source or "—"

    @admin.display(description=_("已阅人数"))
    def read_display(self, obj):
        return notices.read_count(obj)

    @admin.action(description=_("登记所选通报已线下送达"), permissions=["view"])
    def mark_offline(self, request, queryset):
        if not sees_all_departments(request.user):
            self.message_user(request, "仅信用中心可登记线下送达。", messages.ERROR)
            return None
        if "apply" in request.POST:
            form = OfflineForm(request.POST)
            if form.is_valid():
                done = sum(notices.mark_offline(n, request.user, form.cleaned_data["note"]) for n in queryset)
                self.message_user(request, f"已登记 {done} 件线下送达。", messages.SUCCESS)
                return None
        else:
            form = OfflineForm()
        return render(request, "admin/credit_platform/statutorynotice/offline.html", {
            **self.admin_site.each_context(request), "form": form, "notices": queryset,
            "title": "登记线下送达", "opts": self.model._meta,
        })
