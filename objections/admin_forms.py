"""Admin-only forms of the objection work page: the decision with a correction form built from each record's
content schema (the catalog item's field definitions) instead of hand-typed JSON.

One input per schema field, typed (date, number, choice, text), prefilled with the record's current value;
only the fields the handler changed become the correction handed to ``services.decide`` — which applies it
through the records app (every ingestion rule again). Each changed value is first checked against its own
field definition here, so a bad value is refused next to the field it was typed in.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms

from credit_platform.actors import actor_label
from objections.models import Outcome

DATE_FORMAT = "date"
LONG_TEXT = 200  # a text field allowing more characters than this gets a text area


def _number(value):
    """A JSON number from a form's Decimal: an integer when it is whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


SCALAR = (str, int, float, bool, type(None))


def _properties(record) -> dict[str, dict]:
    """The record's content fields: the catalog item's schema properties, else the keys the content has.

    Only scalar fields get an input: a nested object or list (rare in the catalog's schemas) is left as it is.
    """
    schema = getattr(record.catalog_item, "content_schema", None) or {}
    content = record.content or {}
    properties = {key: spec for key, spec in (schema.get("properties") or {}).items()
                  if isinstance(spec, dict) and spec.get("type") not in ("object", "array")}
    for key in content:
        properties.setdefault(key, {"type": "string"})
    return {key: spec for key, spec in properties.items() if isinstance(content.get(key), SCALAR)}


def _required(record) -> set[str]:
    schema = getattr(record.catalog_item, "content_schema", None) or {}
    return set(schema.get("required") or [])


def _field_for(label: str, spec: dict, current, required: bool) -> forms.Field:
    kind = spec.get("type")
    kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    common = {"label": label, "required": False, "initial": current}
    if spec.get("enum"):
        choices = [("", "—")] * (not required) + [(v, v) for v in spec["enum"]]
        return forms.TypedChoiceField(choices=choices, empty_value=None, **common)
    if kind in ("number", "integer"):
        return forms.DecimalField(min_value=spec.get("minimum"), max_value=spec.get("maximum"),
                                  decimal_places=None if kind == "number" else 0, **common)
    if kind == "boolean":
        return forms.NullBooleanField(**common)
    if spec.get("format") == DATE_FORMAT:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    length = spec.get("maxLength")
    widget = forms.Textarea(attrs={"rows": 2}) if length and length > LONG_TEXT else forms.TextInput(attrs={"size": 60})
    return forms.CharField(max_length=length, strip=True, widget=widget, **common)


def _as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    return _number(value)


class DecideForm(forms.Form):
    """作出决定: the outcome, the reasons and — for 更正 — one group of typed fields per record."""

    outcome = forms.ChoiceField(label="处理结果", choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label="处理意见及理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.records = list(records)
        self.groups: list[tuple[object, list[str]]] = []  # (record, field names) for the template
        self._spec: dict[str, tuple[int, str, dict, object, bool]] = {}
        for record in self.records:
            names = []
            required = _required(record)
            content = record.content or {}
            for index, (key, spec) in enumerate(_properties(record).items()):
                name = f"r{record.pk}_{index}"
                current = content.get(key)
                field = _field_for(key, spec, current, key in required)
                if isinstance(field, forms.DateField) and isinstance(current, str):
                    field.initial = _parse_date(current)
                self.fields[name] = field
                self._spec[name] = (record.pk, key, spec, current, key in required)
                names.append(name)
            self.groups.append((record, names))

    def group_fields(self):
        """(record, bound fields) pairs, for the template."""
        return [(record, [self[name] for name in names]) for record, names in self.groups]

    def _changed(self, name: str, value) -> bool:
        """Whether the handler changed the field: an input left empty where nothing (readable) was shown is not."""
        current = self._spec[name][3]
        if value in (None, "") and self.fields[name].initial in (None, ""):
            return False
        return _as_json(value) != current

    def _check(self, name: str, value) -> str | None:
        """The field's own definition, in words a handler can act on (the full schema is checked again on apply)."""
        _, key, spec, _, required = self._spec[name]
        if value in (None, ""):
            return f"“{key}”为必填项，不能清空。" if required else None
        if isinstance(value, str):
            if spec.get("minLength") and len(value) < spec["minLength"]:
                return f"“{key}”至少 {spec['minLength']} 个字。"
            pattern = spec.get("pattern")
            if pattern and not re.search(pattern, value):
                return f"“{key}”格式不正确。"
        return None

    def clean(self):
        data = super().clean()
        corrections: dict[int, dict] = {}
        if data.get("outcome") == Outcome.CORRECTED:
            for name, (record_id, key, _spec, _current, _req) in self._spec.items():
                if name not in data or name in self.errors:
                    continue
                value = data[name]
                if not self._changed(name, value):
                    continue
                problem = self._check(name, value)
                if problem:
                    self.add_error(name, problem)
                    continue
                corrections.setdefault(record_id, {}).setdefault("content", {})[key] = \
                    "" if value is None and _spec.get("type") == "string" else _as_json(value)
            if not corrections and not self.errors:
                raise forms.ValidationError("予以更正的，请至少修改一项记录内容（只提交修改过的项）。", code="nothing_changed")
        data["corrections"] = corrections
        return data


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class AssignForm(forms.Form):
    """指定承办人: the handlers listed by full name and department, never by login name."""

    handler = forms.ModelChoiceField(label="承办人", queryset=None,
                                     error_messages={"invalid_choice": "请选择在岗的异议处理员。"})

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = actor_label
