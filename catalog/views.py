"""Portal pages: the catalog in force and the drafts open for public comment (Karamay art. 9 para. 4)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from catalog.models import CatalogComment, CatalogVersion
from catalog.services import add_comment, comment_body_error, current_items
from credit_platform.exceptions import DomainError, report_to_form
from credit_platform.ratelimits import rate_limited


class CommentForm(forms.ModelForm):
    item_code = forms.CharField(label="针对的条目编码（可选）", required=False, max_length=64)

    class Meta:
        model = CatalogComment
        fields = ["author_name", "author_kind", "contact", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.CATALOG_COMMENT_MAX_CHARS

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        error = comment_body_error(body)
        if error:
            raise forms.ValidationError(error)
        return body


def catalog_in_force(request):
    items = current_items().select_related("version").prefetch_related("providers").order_by("category", "sort_order", "code")
    drafts = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLIC_COMMENT)
    return render(request, "catalog/catalog.html", {"items": items, "drafts": drafts})


@rate_limited("comment", methods=("POST",))
def draft_detail(request, pk: int):
    version = get_object_or_404(CatalogVersion, pk=pk, status=CatalogVersion.Status.PUBLIC_COMMENT)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data.pop("item_code", "")
        item = version.items.filter(code=code).first() if code else None
        if code and item is None:
            form.add_error("item_code", "该征求意见稿中没有此条目")
        else:
            try:
                add_comment(version, item=item, **{k: form.cleaned_data[k] for k in ("author_name", "author_kind", "contact", "body")})
            except DomainError as exc:
                report_to_form(form, exc)
            else:
                messages.success(request, "意见已提交，感谢参与。")
                return redirect("catalog-draft", pk=version.pk)
    items = version.items.prefetch_related("providers").order_by("category", "sort_order", "code")
    return render(request, "catalog/draft.html", {"version": version, "items": items, "form": form})
