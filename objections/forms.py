"""Forms for the portal filing and the officials' handling pages. Validation of the workflow itself lives
in ``objections.services``; these only shape the input."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from credit_platform.models import Department
from objections.evidence import ACCEPT_ATTR
from objections.models import Channel, Ground


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RecordChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        item = getattr(obj, "catalog_item", None)
        title = getattr(item, "name", "") or obj.get_category_display()
        return f"{title} · {obj.source_department.name} · {obj.source_ref}"


class PortalObjectionForm(forms.Form):
    records = RecordChoiceField(queryset=None, label="对哪些信用记录提出异议", error_messages={"required": "请至少选择一条信用记录。"})
    ground = forms.ChoiceField(label="异议事由", choices=Ground.choices, widget=forms.RadioSelect)
    statement = forms.CharField(label="事实和理由", widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    files = MultipleFileField(label="证明材料（PDF、PNG、JPEG）")
    phone = forms.CharField(label="联系电话（选填）", max_length=32, required=False)

    def __init__(self, *args, records_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = records_qs


class EvidenceForm(forms.Form):
    files = MultipleFileField(label="补充证明材料（PDF、PNG、JPEG）", required=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因（选填）", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# --- officials --------------------------------------------------------------------------------------------


class RegisterObjectionForm(forms.Form):
    """Counter / post intake by an official."""

    records = forms.CharField(
        label="信用记录", help_text="记录 ID 或“部门代码:部门记录编号”，多条用逗号或换行分隔", widget=forms.Textarea(attrs={"rows": 2})
    )
    ground = forms.ChoiceField(label="异议事由", choices=Ground.choices)
    statement = forms.CharField(label="异议陈述", widget=forms.Textarea(attrs={"rows": 5}))
    channel = forms.ChoiceField(label="受理渠道", choices=[(c.value, c.label) for c in (Channel.COUNTER, Channel.POST)])
    received_at = forms.DateTimeField(label="实际收到时间", help_text="北京时间；不能晚于现在", initial=timezone.now)
    applicant_name = forms.CharField(label="申请人", max_length=200)
    applicant_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    applicant_email = forms.EmailField(label="电子邮箱", required=False)
    files = MultipleFileField(label="证明材料（PDF、PNG、JPEG）")

    def record_tokens(self) -> list[str]:
        raw = self.cleaned_data.get("records", "")
        return [t.strip() for t in raw.replace("，", ",").replace("\n", ",").split(",") if t.strip()]


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    approved_by = forms.CharField(label="批准的负责人", max_length=200)
    reason = forms.CharField(label="情况复杂的理由", widget=forms.Textarea(attrs={"rows": 2}))
    total_days = forms.IntegerField(label="延长后累计工作日（默认上限）", required=False, min_value=1)


class PauseForm(forms.Form):
    activity = forms.ChoiceField(label="事项", choices=())
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        from credit_platform.policies.labels import code_label

        self.fields["activity"].choices = [(a, code_label(a)) for a in activities]


class AssistanceForm(forms.Form):
    department = forms.ModelChoiceField(label="协助单位", queryset=Department.objects.filter(active=True))
    question = forms.CharField(label="核查事项", widget=forms.Textarea(attrs={"rows": 2}))


class AssistanceAnswerForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label="核查结果", widget=forms.Textarea(attrs={"rows": 2}))


class ComplaintForm(forms.Form):
    collector_name = forms.CharField(label="被投诉的信用信息采集单位", max_length=200)
    collector_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    statement = forms.CharField(label="投诉事项", widget=forms.Textarea(attrs={"rows": 4}))
    complainant_name = forms.CharField(label="投诉人", max_length=200)
    complainant_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    received_at = forms.DateTimeField(label="受理时间", initial=timezone.now)


class ComplaintAnswerForm(forms.Form):
    answer = forms.CharField(label="书面答复", widget=forms.Textarea(attrs={"rows": 4}))
