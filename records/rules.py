"""Validation of pushed records as plain functions over plain data (no ORM, no serializer per row).

``validate_row(raw, ctx)`` turns one payload row into a normalised dict ready to write, or raises
``Rejection(code, field)``. Rules run in a fixed order so the first, most basic, problem is reported:
structure → catalog → subject → choices → dates → statutory exclusions → basis document → content.
Everything statutory comes from the policy profile in ``ctx.policy``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import orjson

from catalog.models import Category, InfoKind
from catalog.services import ItemSpec
from credit_platform import identifiers
from credit_platform.exceptions import DomainError
from credit_platform.policies import national
from credit_platform.workdays import DueDate, add_working_days
from records.content_scan import Scanner, scanner_for
from records.messages import render
from records.models import CodeType, PenaltyType, Procedure, RelatedRole, Severity, SubjectType

SOURCE_REF_MAX = 128
TEXT_MAX = 200
RESERVED_REF_CHAR = "#"
# Content is a flat record of the catalog's fields; a few levels allow a table of items inside it. Anything deeper
# is junk that recursive consumers (the JSON encoders, the schema check) must never see.
CONTENT_MAX_DEPTH = 8
NUL = "\x00"  # PostgreSQL holds no NUL in text or jsonb

SUBJECT_TYPES = frozenset(SubjectType.values)
SEVERITIES = frozenset(Severity.values)
PROCEDURES = frozenset(Procedure.values)
PENALTY_TYPES = frozenset(PenaltyType.values)
ROLES = frozenset(RelatedRole.values)
CODE_TYPES = frozenset(CodeType.values)
DOCUMENT_TYPES = CODE_TYPES - {CodeType.RIC, CodeType.USCC}
# Plain strings for the hot path (enum members cost an attribute lookup and a descriptor call each time).
NATURAL = str(SubjectType.NATURAL_PERSON.value)
RIC = str(CodeType.RIC.value)
USCC = str(CodeType.USCC.value)


class Rejection(Exception):
    """Why one pushed row (or one correction or revocation) is refused: a ``code``, the ``field`` at fault and the
    ``params`` of its message.

    Deliberately not a :class:`~credit_platform.exceptions.DomainError`: it is the per-row *result* of validation, not
    a refusal of the request. A batch of thousands of rows collects one per bad row into its result, rendering each
    message under the policy of the batch (``message(policy)``: the article cited depends on the profile), and the
    batch itself is accepted. Where one row *is* the whole request (the correction and revocation endpoints, the
    admin) the boundary turns it into the one domain error with :meth:`as_domain_error`.
    """

    #: the HTTP status of the request when this row is the whole request
    status = 400

    def __init__(self, code: str, field: str = "", **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def message(self, policy=None) -> str:
        return render(self.code, policy, field=self.field, **self.params)

    def as_domain_error(self, policy=None) -> DomainError:
        """The refusal of a one-row request: the rendered message on the field at fault."""
        message = self.message(policy)
        return DomainError(self.code, message, fields={self.field or "non_field_errors": message}, status=self.status)


def _codes(policy, name: str) -> tuple[str, ...]:
    return tuple(getattr(policy, name).value or ())  # a named rule of every profile: a typo raises


def majority_age(policy) -> int:
    """The age of majority (民法典第十七条), from the profile (every profile carries the national rule)."""
    return policy.age_of_majority.value


@dataclass
class Context:
    """Everything the rules need, looked up once per batch."""

    department_id: int
    items: dict[str, ItemSpec]
    today: date
    policy: object
    forbidden: Scanner = field(init=False)
    restricted: Scanner = field(init=False)
    excluded: frozenset[str] = field(init=False)
    severities: frozenset[str] = field(init=False)
    push_days: int | None = field(init=False)
    majority: int = field(init=False)
    _due: dict = field(default_factory=dict)

    def __post_init__(self):
        policy = self.policy
        self.forbidden = scanner_for(_codes(policy, "forbidden_content"))
        self.restricted = scanner_for(_codes(policy, "restricted_content_requires_consent"))
        self.excluded = frozenset(_codes(policy, "excluded_procedures"))
        # The profile's tiers plus the national ones (NDRC Order 36 applies where a local text is silent);
        # "specific_severe" (Qufu art. 14) is graded as severe wherever severe exists.

        tiers = set(_codes(policy, "severity_levels")) | set(national.SEVERITY_LEVELS.value or ())
        if "severe" in tiers:
            tiers.add("specific_severe")
        self.severities = frozenset(tiers) if tiers else SEVERITIES
        self.push_days = policy.push_deadline_days.value

        self.majority = majority_age(policy)

    def push_due(self, produced_on: date) -> DueDate | None:
        if self.push_days is None:
            return None
        due = self._due.get(produced_on)
        if due is None:
            due = self._due[produced_on] = add_working_days(produced_on, self.push_days)
        return due


# --- small typed getters ---------------------------------------------------------------------------------------
def _str(row: dict, key: str, path: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = row.get(key)
    if value is None or value == "":
        if required:
            raise Rejection("required", path)
        return ""
    if not isinstance(value, str):
        raise Rejection("invalid_type", path, expected="a string", expected_zh="字符串")
    value = value.strip()
    if required and not value:
        raise Rejection("required", path)
    if len(value) > limit:
        raise Rejection("too_long", path, limit=limit)
    if NUL in value:
        raise Rejection("nul_character", path)
    return value


def _shown(value, limit: int = 40) -> str:
    """A bounded rendering of a bad value for a message (never ``str()`` of an arbitrary nested structure)."""
    if isinstance(value, str):
        return value[:limit].replace(NUL, "")
    if value is None or isinstance(value, (bool, int, float)):
        return str(value)[:limit]
    return f"<{type(value).__name__}>"


def _content_problem(content: dict, text: str) -> Rejection | None:
    """Over-deep nesting or a NUL anywhere in ``content`` (keys included), found without recursion."""
    check_nul = "\\u0000" in text  # orjson writes NUL as \u0000; a cheap test before walking
    if not check_nul and text.count("{") + text.count("[") <= CONTENT_MAX_DEPTH:
        return None  # nesting cannot exceed the brackets written: the common, flat content is never walked
    stack = [(content, "content", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if check_nul and NUL in value:
                return Rejection("nul_character", path)
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > CONTENT_MAX_DEPTH:
            return Rejection("content_too_deep", path, limit=CONTENT_MAX_DEPTH)
        if isinstance(value, dict):
            for key, item in value.items():
                if check_nul and NUL in key:
                    return Rejection("nul_character", f"{path}.{_shown(key)}")
                stack.append((item, f"{path}.{key}", depth + 1))
        else:
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    return None


def _date(row: dict, key: str, path: str, today: date) -> date | None:
    value = row.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise Rejection("invalid_date", path)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Rejection("invalid_date", path) from None
    if day > today:
        raise Rejection("date_in_future", path)
    return day


def _bool(row: dict, key: str) -> bool:
    value = row.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Rejection("invalid_type", key, expected="a boolean", expected_zh="布尔值")
    return value


def _choice(value, path: str, choices: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise Rejection("invalid_choice", path, value=_shown(value), choices=", ".join(sorted(choices)))
    return value


# --- subjects ---------------------------------------------------------------------------------------------------
def check_identity(data, path: str, today: date, *, natural_only: bool = False) -> dict:
    """Normalise {type, code, name, code_type?, birth_date?}; raise on a bad identifier."""
    if not isinstance(data, dict):
        raise Rejection("invalid_type", path, expected="an object", expected_zh="对象")
    kind = data.get("type", NATURAL if natural_only else None)
    if kind is None:
        raise Rejection("required", f"{path}.type")
    kind = _choice(kind, f"{path}.type", SUBJECT_TYPES)
    if natural_only and kind != NATURAL:
        raise Rejection("responsible_person_not_natural", f"{path}.type")
    raw_code = _str(data, "code", f"{path}.code", required=True, limit=64)
    name = _str(data, "name", f"{path}.name", required=True)
    natural = kind == NATURAL
    code_type = data.get("code_type") or (RIC if natural else USCC)
    code_type = _choice(code_type, f"{path}.code_type", CODE_TYPES)
    birth_date = None
    if code_type == RIC:
        if not natural:
            raise Rejection("invalid_code_type", f"{path}.code_type")
        result = identifiers.check_ric(raw_code, today)
        birth_date = result.birth_date
    elif code_type == USCC:
        if natural:
            raise Rejection("invalid_code_type", f"{path}.code_type")
        result = identifiers.check_uscc(raw_code)
    else:
        if not natural:
            raise Rejection("invalid_code_type", f"{path}.code_type")
        result = identifiers.check_document(code_type, raw_code)
        birth_date = _date(data, "birth_date", f"{path}.birth_date", today)
    if result.error:
        raise Rejection(result.error, f"{path}.code")
    return {"type": kind, "code_type": code_type, "code": result.code, "name": name, "birth_date": birth_date}


def _responsible_persons(raw, today: date) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Rejection("invalid_type", "responsible_persons", expected="a list", expected_zh="数组")
    persons = []
    for i, entry in enumerate(raw):
        path = f"responsible_persons[{i}]"
        if not isinstance(entry, dict):
            raise Rejection("invalid_type", path, expected="an object", expected_zh="对象")
        role = entry.get("role")
        if role not in ROLES:
            raise Rejection("invalid_role", f"{path}.role", value=_shown(role))
        person = check_identity(entry, path, today, natural_only=True)
        person["role"] = role
        persons.append(person)
    return persons


def _age_on(birth_date: date | None, day: date) -> int | None:
    return None if birth_date is None else identifiers.age_on(birth_date, day)


# --- the row ---------------------------------------------------------------------------------------------------
def validate_row(raw, ctx: Context) -> dict:
    if not isinstance(raw, dict):
        raise Rejection("invalid_row", "")
    today = ctx.today

    source_ref = _str(raw, "source_ref", "source_ref", required=True, limit=SOURCE_REF_MAX)
    if RESERVED_REF_CHAR in source_ref:
        raise Rejection("invalid_source_ref", "source_ref")

    item_code = raw.get("catalog_item")
    if not item_code:
        raise Rejection("required", "catalog_item")
    item = ctx.items.get(item_code) if isinstance(item_code, str) else None
    if item is None:
        raise Rejection("unknown_item", "catalog_item", value=_shown(item_code, 64))
    if ctx.department_id not in item.providers:
        raise Rejection("item_not_provided", "catalog_item")

    if "subject" not in raw:
        raise Rejection("required", "subject")
    subject = check_identity(raw["subject"], "subject", today)

    dishonesty = item.category == Category.DISHONESTY
    severity = raw.get("severity")
    if dishonesty:
        if not severity:
            raise Rejection("severity_required", "severity")
        severity = _choice(severity, "severity", SEVERITIES)
        if severity not in ctx.severities:
            raise Rejection("severity_not_in_profile", "severity")
    else:
        severity = ""  # severity tiers only grade dishonesty information

    procedure = raw.get("procedure")
    if procedure in (None, ""):
        if item.is_penalty:
            raise Rejection("required", "procedure")
        procedure = ""
    else:
        procedure = _choice(procedure, "procedure", PROCEDURES)

    penalty_types = raw.get("penalty_types") or []
    if not isinstance(penalty_types, list):
        raise Rejection("invalid_type", "penalty_types", expected="a list", expected_zh="数组")
    for i, value in enumerate(penalty_types):
        _choice(value, f"penalty_types[{i}]", PENALTY_TYPES)
    penalty_types = sorted(set(penalty_types))
    if item.is_penalty and not penalty_types:
        raise Rejection("penalty_types_required", "penalty_types")

    basis = raw.get("basis_document")
    if basis is None:
        basis = {}
    elif not isinstance(basis, dict):
        raise Rejection("invalid_type", "basis_document", expected="an object", expected_zh="对象")
    basis_number = _str(basis, "number", "basis_document.number", limit=128)
    basis_issuer = _str(basis, "issuer", "basis_document.issuer")
    basis_issued_on = _date(basis, "issued_on", "basis_document.issued_on", today)

    occurred_on = _date(raw, "occurred_on", "occurred_on", today)
    decided_on = _date(raw, "decided_on", "decided_on", today)
    ended_on = _date(raw, "ended_on", "ended_on", today)
    if occurred_on and decided_on and decided_on < occurred_on:
        raise Rejection("invalid_date_order", "decided_on")
    if occurred_on and ended_on and ended_on < occurred_on:
        raise Rejection("invalid_date_order", "ended_on")

    # Excluded penalties (Karamay 13(6), Heilongjiang 19, Qufu 15): not recorded at all.
    minor_violation = _bool(raw, "minor_violation")
    harm_mitigated = _bool(raw, "harm_mitigated")
    first_offence = _bool(raw, "first_offence")
    slight_harm = _bool(raw, "slight_harm")
    if item.is_penalty or penalty_types or procedure:
        excluded = ctx.excluded
        if procedure == Procedure.SIMPLIFIED and "simplified_procedure" in excluded:
            raise Rejection("simplified_procedure_excluded", "procedure")
        reason = None
        if minor_violation and "minor_violation" in excluded:
            reason = "minor_violation"
        elif harm_mitigated and "harm_mitigated" in excluded:
            reason = "harm_mitigated"
        elif minor_violation and harm_mitigated and "minor_and_mitigated" in excluded:
            reason = "minor_and_mitigated"
        elif first_offence and slight_harm and harm_mitigated and "first_offence_minor_mitigated" in excluded:
            # Heilongjiang art. 19: 初次违法且危害后果轻微并主动消除或者减轻危害后果 — its own facts (a first offence whose
            # harm was slight), not "违法行为轻微" (minor_violation).
            reason = "first_offence_minor_mitigated"
        if reason:
            field_name = {"minor_violation": "minor_violation", "minor_and_mitigated": "minor_violation",
                          "first_offence_minor_mitigated": "slight_harm"}.get(reason, "harm_mitigated")
            raise Rejection("minor_violation_excluded", field_name, excluded=_EXCLUDED_ZH[reason], excluded_en=_EXCLUDED_EN[reason])

    # Facts the publicity window reads (Karamay art. 33: a continuing act; Heilongjiang art. 51: long-term cases).
    continuing = _bool(raw, "continuing")
    criminal_liability = _bool(raw, "criminal_liability")
    lifetime_market_ban = _bool(raw, "lifetime_market_ban")

    # Karamay art. 14 / Zhangye art. 34: dishonesty is recorded on a legally effective document.
    if dishonesty:
        missing = [k for k, v in (("number", basis_number), ("issuer", basis_issuer), ("issued_on", basis_issued_on)) if not v]
        if missing:
            raise Rejection("basis_document_required", "basis_document" if len(missing) == 3 else f"basis_document.{missing[0]}")
        if decided_on is None:
            decided_on = basis_issued_on

    content = raw.get("content")
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise Rejection("invalid_type", "content", expected="an object", expected_zh="对象")
    try:
        serialised = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # nested beyond orjson's 255 levels (or keys that are not strings)
        raise Rejection("content_too_deep", "content", limit=CONTENT_MAX_DEPTH) from None
    text = serialised.decode()
    problem = _content_problem(content, text)
    if problem:
        raise problem
    if ctx.forbidden.could_match(text):
        hit = ctx.forbidden.scan(content)
        if hit:
            raise Rejection("forbidden_content", hit.path, category=hit.category)

    consent_ref = _str(raw, "consent_ref", "consent_ref", limit=128)
    guardian_consent_ref = _str(raw, "guardian_consent_ref", "guardian_consent_ref", limit=128)
    natural = subject["type"] == NATURAL
    age_now = _age_on(subject["birth_date"], today) if natural else None
    minor_now = age_now is not None and age_now < ctx.majority
    if natural:
        restricted_hit = ctx.restricted.scan(content) if ctx.restricted.could_match(text) else None
        if restricted_hit:
            if minor_now and not guardian_consent_ref:
                raise Rejection("minor_without_guardian_consent", "guardian_consent_ref")
            if not minor_now and not consent_ref:
                raise Rejection("restricted_content_without_consent", restricted_hit.path, category=restricted_hit.category)
        if item.info_kind == InfoKind.MARKET:
            if minor_now and not guardian_consent_ref:
                raise Rejection("minor_without_guardian_consent", "guardian_consent_ref")
            if not minor_now and not consent_ref:
                raise Rejection("market_info_without_consent", "consent_ref")

    problem = item.check_content(content)
    if problem:
        raise Rejection("content_schema_mismatch", problem[0], detail=problem[1][:200])

    persons = _responsible_persons(raw.get("responsible_persons"), today)

    domain = raw.get("domain") or item.domain or ""
    if not isinstance(domain, str) or len(domain) > 32:
        raise Rejection("invalid_type", "domain", expected="a string", expected_zh="字符串")
    if NUL in domain:
        raise Rejection("nul_character", "domain")

    act_day = occurred_on or decided_on or today
    is_minor = None
    if natural and subject["birth_date"] is not None:
        is_minor = identifiers.age_on(subject["birth_date"], act_day) < ctx.majority

    produced_on = decided_on or basis_issued_on or occurred_on
    due = ctx.push_due(produced_on) if produced_on else None

    row = {
        "source_ref": source_ref,
        "item": item,
        "subject": subject,
        "category": item.category,
        "severity": severity,
        "procedure": procedure,
        "penalty_types": penalty_types,
        "basis_number": basis_number,
        "basis_issuer": basis_issuer,
        "basis_issued_on": basis_issued_on,
        "occurred_on": occurred_on,
        "decided_on": decided_on,
        "ended_on": ended_on,
        "content": content,
        "content_json": text,
        "content_bytes": serialised,
        "responsible_persons": persons,
        "consent_ref": consent_ref,
        "guardian_consent_ref": guardian_consent_ref,
        "minor_violation": minor_violation,
        "harm_mitigated": harm_mitigated,
        "first_offence": first_offence,
        "slight_harm": slight_harm,
        "continuing": continuing,
        "criminal_liability": criminal_liability,
        "lifetime_market_ban": lifetime_market_ban,
        "domain": domain,
        "is_minor": is_minor,
        "push_due": due.date if due else None,
        "push_due_provisional": bool(due and due.provisional),
        "pushed_late": (today > due.date) if due else None,
    }
    row["content_hash"] = content_hash(row)
    return row


_EXCLUDED_ZH = {
    "minor_violation": "违法行为轻微的行政处罚信息",
    "harm_mitigated": "主动消除、减轻违法行为危害后果的行政处罚信息",
    "minor_and_mitigated": "违法行为轻微且主动消除或者减轻危害后果的行政处罚信息",
    "first_offence_minor_mitigated": "初次违法且危害后果轻微并主动消除或者减轻危害后果的行政处罚信息",
}
_EXCLUDED_EN = {
    "minor_violation": "penalties for minor violations",
    "harm_mitigated": "penalties where the harm was actively removed or reduced",
    "minor_and_mitigated": "penalties for minor violations whose harm was removed or reduced on the spot",
    "first_offence_minor_mitigated": "first offences whose harm was slight and was removed or reduced",
}


def content_hash(row: dict) -> str:
    """A digest of everything the department sent (not source_ref): equal digests mean an unchanged re-push."""
    subject = row["subject"]
    canonical = (
        row["item"].code, subject["type"], subject["code_type"], subject["code"], subject["name"],
        subject["birth_date"], row["severity"], row["procedure"], row["penalty_types"], row["basis_number"],
        row["basis_issuer"], row["basis_issued_on"], row["occurred_on"], row["decided_on"], row["ended_on"],
        [(p["role"], p["code_type"], p["code"], p["name"]) for p in row["responsible_persons"]],
        row["consent_ref"], row["guardian_consent_ref"], row["minor_violation"], row["harm_mitigated"],
        row["first_offence"], row["domain"], row["slight_harm"], row["continuing"], row["criminal_liability"],
        row["lifetime_market_ban"],
    )
    digest = hashlib.blake2b(orjson.dumps(canonical), digest_size=16)
    digest.update(row["content_bytes"])  # the content, serialised once with sorted keys
    return digest.hexdigest()
