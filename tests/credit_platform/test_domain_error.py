"""One domain error, mapped once: the API answers a DomainError (and its old spelling ApiError) with the same
``{code, message, fields}`` body and status; forms get it on the field at fault."""

from __future__ import annotations

import json

from django import forms

from credit_platform.api.errors import ApiError, exception_handler
from credit_platform.exceptions import DomainError, report_to_form


def answer(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_the_api_body_of_a_domain_error():
    status, body = answer(DomainError("catalog_frozen", "已公布的目录条目不得修改", status=409))
    assert (status, body) == (409, {"code": "catalog_frozen", "message": "已公布的目录条目不得修改", "fields": {}})
    status, body = answer(DomainError("invalid_date", "日期无效", field="changed_on"))
    assert (status, body) == (400, {"code": "invalid_date", "message": "日期无效", "fields": {"changed_on": ["日期无效"]}})


def test_the_old_spelling_answers_byte_for_byte_the_same():
    old = ApiError("not_found", "未找到 / not found", fields={"item": "X1"}, status_code=404)
    new = DomainError("not_found", "未找到 / not found", fields={"item": "X1"}, status=404)
    assert isinstance(old, DomainError)
    old_status, old_body = answer(old)
    new_status, new_body = answer(new)
    assert old_status == new_status == 404
    assert json.dumps(old_body, ensure_ascii=False) == json.dumps(new_body, ensure_ascii=False)
    assert answer(ApiError("malformed_json", "bad"))[0] == 400


def test_a_form_gets_the_refusal_on_its_field():
    class CommentForm(forms.Form):
        body = forms.CharField()

    form = CommentForm(data={"body": "x"})
    assert form.is_valid()
    report_to_form(form, DomainError("comment_closed", "征求意见已截止", field="body"))
    assert form.errors == {"body": ["征求意见已截止"]}
    other = CommentForm(data={"body": "x"})
    other.is_valid()
    report_to_form(other, DomainError("catalog_refused", "该目录版本不在征求意见期"))
    assert other.non_field_errors() == ["该目录版本不在征求意见期"]
