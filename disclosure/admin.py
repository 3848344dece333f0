"""Officials' views of disclosure state. The query log and reports are read-only; windows are computed, not edited."""

from django.contrib import admin, messages

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.privacy import IdentifierSearchMixin
from disclosure.fonts import font_missing_message
from disclosure.models import (
    AgentLetter,
    Authorisation,
    CreditReport,
    QueryLogEntry,
    RecordWindow,
    SubjectLink,
    TrustOptOut,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecordWindow)
class RecordWindowAdmin(ReadOnlyAdmin, GuardedHistoryAdmin):
    list_display = ("record", "state", "published", "long_term", "public_until", "retain_until", "window_rule", "suppressed")
    list_filter = ("state", "published", "long_term", "suppressed", "profile")
    search_fields = ("record__source_ref", "record__subject__name", "record__subject__code")
    raw_id_fields = ("record",)


@admin.register(SubjectLink)
class SubjectLinkAdmin(IdentifierSearchMixin, GuardedHistoryAdmin):
    list_display = ("user", "name", "code", "role", "verified_by", "verified_at", "revoked_at")
    identifier_hash_fields = ("code_hash",)
    list_filter = ("role", "verified_by")
    search_fields = ("user__username", "name", "code")
    raw_id_fields = ("user",)


@admin.register(TrustOptOut)
class TrustOptOutAdmin(ReadOnlyAdmin, GuardedHistoryAdmin):
    list_display = ("subject", "requested_at", "stop_due", "stopped_at", "withdrawn_at")
    raw_id_fields = ("subject",)


@admin.register(Authorisation)
class AuthorisationAdmin(IdentifierSearchMixin, ReadOnlyAdmin, GuardedHistoryAdmin):
    identifier_hash_fields = ("grantee_code_hash",)
    list_display = ("subject", "grantee_name", "grantee_code", "purpose", "valid_from", "expires_on", "revoked_at")
    search_fields = ("subject__name", "grantee_name", "grantee_code")
    raw_id_fields = ("subject",)


@admin.register(QueryLogEntry)
class QueryLogEntryAdmin(IdentifierSearchMixin, ReadOnlyAdmin):
    identifier_hash_fields = ("subject_code_hash",)
    list_display = ("seq", "at", "actor_label", "action", "subject_code", "purpose_label", "channel")
    list_filter = ("action", "channel", "actor_kind")
    search_fields = ("subject_code", "actor_label", "reference")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj)


@admin.register(CreditReport)
class CreditReportAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "subject_name", "generated_at", "valid_until", "font_embedded")
    list_filter = ("kind", "font_embedded")
    search_fields = ("number", "subject_name")

    def changelist_view(self, request, extra_context=None):
        warning = font_missing_message()
        if warning:
            messages.warning(request, warning + "（见 README“信用报告字体”）")
        return super().changelist_view(request, extra_context)


@admin.register(AgentLetter)
class AgentLetterAdmin(GuardedHistoryAdmin):
    """Officials examine enterprise agents' authorisation letters: approve until a date, reject, or revoke.

    The decisions are made by ``disclosure.agents`` (the admin only calls it); the history keeps every step."""

    list_display = ("enterprise", "agent_name", "agent_code", "submitted_at", "status", "valid_until", "decided_by")
    list_filter = ("status",)
    history_revert = False  # a decision is approved, rejected or revoked through disclosure.agents, never reverted
    search_fields = ("enterprise__name", "enterprise__code", "agent_name")
    readonly_fields = ("enterprise", "user", "agent_name", "agent_code", "letter_link", "letter_sha256", "submitted_at",
                       "status", "decided_by", "decided_at", "revoked_at", "link")
    fields = readonly_fields[:7] + ("valid_until", "decision_note") + readonly_fields[7:]
    actions = ("approve", "reject", "revoke")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != AgentLetter.Status.PENDING:
            return self.readonly_fields + ("valid_until", "decision_note")
        return self.readonly_fields

    @admin.display(description="授权书文件")
    def letter_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if not obj.pk or not obj.letter:
            return "—"
        return format_html('<a href="{}">下载查看</a>', reverse("admin:disclosure_agentletter_file", args=[obj.pk]))

    def get_urls(self):
        from django.urls import path

        return [path("<int:pk>/file/", self.admin_site.admin_view(self.letter_file), name="disclosure_agentletter_file")] + super().get_urls()

    def letter_file(self, request, pk: int):
        from django.http import FileResponse, Http404

        letter = AgentLetter.objects.filter(pk=pk).first()
        if letter is None or not self.has_view_permission(request, letter) or not letter.letter:
            raise Http404
        return FileResponse(letter.letter.open("rb"), as_attachment=True, filename=letter.letter.name.rsplit("/", 1)[-1])

    def _each(self, request, queryset, action, done: str):
        from disclosure.identity import IdentityError

        count = 0
        for letter in queryset:
            try:
                action(letter, request.user)
                count += 1
            except IdentityError as exc:
                self.message_user(request, f"{letter}：{exc.message}", messages.ERROR)
        if count:
            self.message_user(request, f"{done} {count} 份授权委托书。", messages.SUCCESS)

    @admin.action(description="批准所选授权委托书（有效期按各自填写的日期，未填写的为最长期限）", permissions=["change"])
    def approve(self, request, queryset):
        from disclosure import agents

        self._each(request, queryset, lambda letter, who: agents.approve_letter(
            letter, who, valid_until=letter.valid_until, note=letter.decision_note), "已批准")

    @admin.action(description="驳回所选授权委托书", permissions=["change"])
    def reject(self, request, queryset):
        from disclosure import agents

        self._each(request, queryset, lambda letter, who: agents.reject_letter(letter, who, note=letter.decision_note),
                   "已驳回")

    @admin.action(description="撤销所选已批准的授权（立即生效）", permissions=["change"])
    def revoke(self, request, queryset):
        from disclosure import agents

        self._each(request, queryset, lambda letter, who: agents.revoke_letter(letter, who), "已撤销")
