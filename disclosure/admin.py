"""Officials' views of disclosure state. Reports are read-only; windows are computed, not edited."""

from django.contrib import admin, messages

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.privacy import IdentifierSearchMixin
from disclosure.fonts import font_missing_message
from disclosure.models import Authorisation, CreditReport, RecordWindow, TrustOptOut


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
