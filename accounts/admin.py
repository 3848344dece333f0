"""Officials' views of accounts: verified links, enterprise agents' letters (examined here) and the read-only query log."""

from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html

from accounts import agents
from accounts.models import AgentLetter, QueryLogEntry, SubjectLink
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from credit_platform.privacy import IdentifierSearchMixin


@admin.register(SubjectLink)
class SubjectLinkAdmin(IdentifierSearchMixin, GuardedHistoryAdmin):
    list_display = ("user", "name", "code", "role", "verified_by", "verified_at", "revoked_at")
    identifier_hash_fields = ("code_hash",)
    list_filter = ("role", "verified_by")
    search_fields = ("user__username", "name", "code")
    raw_id_fields = ("user",)


@admin.register(QueryLogEntry)
class QueryLogEntryAdmin(IdentifierSearchMixin, admin.ModelAdmin):
    """The query log is append-only (Qufu art. 38): officials with the view permission read it, nobody edits it."""

    identifier_hash_fields = ("subject_code_hash",)
    list_display = ("seq", "at", "actor_label", "action", "subject_code", "purpose_label", "channel")
    list_filter = ("action", "channel", "actor_kind")
    search_fields = ("subject_code", "actor_label", "reference")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgentLetter)
class AgentLetterAdmin(GuardedHistoryAdmin):
    """Officials examine enterprise agents' authorisation letters: approve until a date, reject, or revoke.

    The decisions are made by ``accounts.agents`` (the admin only calls it); the history keeps every step."""

    list_display = ("enterprise", "agent_name", "agent_code", "submitted_at", "status", "valid_until", "decided_by")
    list_filter = ("status",)
    history_revert = False  # a decision is approved, rejected or revoked through accounts.agents, never reverted
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
        if not obj.pk or not obj.letter:
            return "—"
        return format_html('<a href="{}">下载查看</a>', reverse("admin:accounts_agentletter_file", args=[obj.pk]))

    def get_urls(self):
        return [path("<int:pk>/file/", self.admin_site.admin_view(self.letter_file), name="accounts_agentletter_file")] + super().get_urls()

    def letter_file(self, request, pk: int):
        letter = AgentLetter.objects.filter(pk=pk).first()
        if letter is None or not self.has_view_permission(request, letter) or not letter.letter:
            raise Http404
        return FileResponse(letter.letter.open("rb"), as_attachment=True, filename=letter.letter.name.rsplit("/", 1)[-1])

    def _each(self, request, queryset, action, done: str):
        count = 0
        for letter in queryset:
            try:
                action(letter, request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{letter}：{exc.message}", messages.ERROR)
        if count:
            self.message_user(request, f"{done} {count} 份授权委托书。", messages.SUCCESS)

    @admin.action(description="批准所选授权委托书（有效期按各自填写的日期，未填写的为最长期限）", permissions=["change"])
    def approve(self, request, queryset):
        self._each(request, queryset, lambda letter, who: agents.approve_letter(
            letter, who, valid_until=letter.valid_until, note=letter.decision_note), "已批准")

    @admin.action(description="驳回所选授权委托书", permissions=["change"])
    def reject(self, request, queryset):
        self._each(request, queryset, lambda letter, who: agents.reject_letter(letter, who, note=letter.decision_note),
                   "已驳回")

    @admin.action(description="撤销所选已批准的授权（立即生效）", permissions=["change"])
    def revoke(self, request, queryset):
        self._each(request, queryset, lambda letter, who: agents.revoke_letter(letter, who), "已撤销")
