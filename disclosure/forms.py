from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from accounts.links import is_official
from credit_platform.policies import active_policy
from disclosure.services import CATEGORIES

SPECIAL_CATEGORY_CHOICES = (
    ("penalty", "行政处罚"),
    ("enforcement", "行政强制"),
    ("severe_list", "严重失信主体名单"),
    ("criminal", "刑事判决"),
)


class RegistrationForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=18, min_length=18)
    username = forms.RegexField(label="登录名", max_length=30, regex=r"^[A-Za-z0-9_.@-]{3,30}$",
                                help_text="3–30 位字母、数字或 _ . @ -")
    phone = forms.RegexField(label="手机号", regex=r"^1[3-9]\d{9}$", required=False)
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False,
                                help_text="至少 8 位，包含大写字母、小写字母、数字、符号中的三类")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, strip=False)
    agree = forms.BooleanField(label="我确认以上信息为本人真实信息，并同意平台核验我的身份")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该登录名已被使用。")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        elif data.get("password1"):
            user = get_user_model()(username=data.get("username", ""), first_name=data.get("name", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PortalLoginForm(AuthenticationForm):
    """The development accounts' password form (DEBUG on only). Officials are refused: they sign in to /admin/."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "登录名或密码不正确，请重试。多次失败后账号将被暂时锁定。",
        "official": "工作人员账号不能从公众门户登录，请从管理后台登录。",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_official(user):
            raise forms.ValidationError(self.error_messages["official"], code="official")


class EnterpriseForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    enterprise_name = forms.CharField(label="单位名称", max_length=200)
    letter = forms.FileField(label="单位授权委托书（PDF 或图片）", required=False,
                             help_text="法定代表人本人无需上传；其他经办人上传加盖单位公章的授权委托书，经工作人员审核后生效")
    evidence = forms.CharField(label="单位授权码（仅开发环境）", max_length=100, required=False,
                               help_text="开发和演示环境专用，生产环境不提供")

    def __init__(self, *args, dev: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not dev:
            del self.fields["evidence"]


class AuthorisationForm(forms.Form):
    grantee_name = forms.CharField(label="被授权人名称", max_length=200, help_text="如：某某银行克拉玛依分行")
    grantee_code = forms.CharField(label="被授权人统一社会信用代码或公民身份号码", max_length=18)
    categories = forms.MultipleChoiceField(label="可查询的信息类别", choices=CATEGORIES, widget=forms.CheckboxSelectMultiple)
    purpose = forms.CharField(label="查询用途", max_length=300, help_text="写明具体用途，如“办理经营贷款审批”")
    expires_on = forms.DateField(label="授权截止日期（含当日）", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = active_policy().authorisation_max_days.value
        if days is not None:
            self.fields["expires_on"].help_text = f"最长{days}日；不接受长期或终身授权"
            self.fields["expires_on"].widget.attrs["max"] = (timezone.localdate() + timedelta(days=days)).isoformat()
        self.fields["expires_on"].widget.attrs["min"] = timezone.localdate().isoformat()


class SpecialReportForm(forms.Form):
    date_from = forms.DateField(label="查询期间起", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="查询期间止", widget=forms.DateInput(attrs={"type": "date"}))
    categories = forms.MultipleChoiceField(label="查询领域", choices=SPECIAL_CATEGORY_CHOICES,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, max_years: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_years = max_years
        self.fields["date_from"].help_text = f"期间最长{max_years}年"

    def clean(self):
        from disclosure.windows import add_years

        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", "期间止不能早于期间起。")
            elif end > timezone.localdate():
                self.add_error("date_to", "期间止不能晚于今天。")
            elif add_years(start, self.max_years) < end:
                self.add_error("date_from", f"查询期间最长{self.max_years}年。")
        return data


class VerifyForm(forms.Form):
    number = forms.CharField(label="报告编号", max_length=32)
    check_code = forms.CharField(label="校验码", max_length=32)
    pdf = forms.FileField(label="报告文件（可选，用于确认未被修改）", required=False)
