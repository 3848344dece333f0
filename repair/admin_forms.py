"""Admin-only forms of the repair work page: one small form per step, with only the fields that step needs."""

from __future__ import annotations

from django import forms

from credit_platform.actors import actor_label
from repair.models import RevocationGround


class StepForm(forms.Form):
    """A step with an optional note (受理)."""

    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明（选填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    title = ""
    submit = "提交"

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        kwargs.setdefault("initial", {"action": action})
        super().__init__(*args, **kwargs)
        self.step = action  # not ``action``: a template's form.action would find the hidden field first


class ReasonForm(StepForm):
    """A step that must give reasons (不予受理, 准予/不予修复)."""

    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


class ExtendForm(StepForm):
    field_order = ("action", "until", "reason")
    until = forms.DateField(label="延长至", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": "请填写延长后的办结期限。", "invalid": "请填写有效的日期。"})
    reason = forms.CharField(label="延长理由（情况复杂）", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写延长理由。"})


class GroundForm(StepForm):
    """终止修复程序 / 撤销修复结果: a ground from the statute's list and the facts."""

    field_order = ("action", "ground", "reason")

    ground = forms.ChoiceField(label="事由", choices=[("", "请选择"), *RevocationGround.choices],
                               error_messages={"required": "请选择事由。", "invalid_choice": "请从列表中选择事由。"})
    reason = forms.CharField(label="查明的事实和理由", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


STEP_FORMS = {
    "accept": (StepForm, "受理", "受理"),
    "refuse": (ReasonForm, "不予受理", "不予受理"),
    "extend": (ExtendForm, "延长办理期限（情况复杂，仅一次）", "延长期限"),
    "approve": (ReasonForm, "准予修复", "准予修复"),
    "reject": (ReasonForm, "不予修复", "不予修复"),
    "terminate": (GroundForm, "终止修复程序（弄虚作假、隐瞒或违反承诺）", "终止修复程序"),
    "revoke": (GroundForm, "撤销修复结果", "撤销修复结果"),
}


def step_form(action: str, data=None) -> StepForm:
    cls, title, submit = STEP_FORMS[action]
    form = cls(data, action=action)
    form.title, form.submit = title, submit
    return form


class AssignForm(forms.Form):
    """指定承办人: reviewers listed by full name and department, never by login name."""

    handler = forms.ModelChoiceField(label="承办人", queryset=None,
                                     error_messages={"invalid_choice": "请选择在岗的信用修复审核员。"})

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = actor_label
