"""Real-name verification (实名认证) for portal accounts — a pluggable backend.

Karamay art. 19 and Qufu art. 32 let a subject query its own non-public information after real-name verification;
an enterprise acts through an agent it has authorised. The platform never decides identity itself: a backend
does, and returns a :class:`VerifiedIdentity`.

Which door is open is :func:`identity_mode`:

* ``"oidc"`` — a provider is configured (``OIDC_*`` settings): citizens sign in at 政务服务统一身份认证 over OpenID
  Connect (``accounts.oidc``), the only way in production;
* ``"development"`` — no provider, DEBUG on: the development check (name + ID-number registration, the demo
  enterprise code) stands in for it, for the demo and local work only;
* ``"closed"`` — no provider, DEBUG off: sign-in, registration and enterprise binding are closed with a page
  saying why. Never a fallback to the development check (``manage.py check --deploy`` warns: disclosure.W002).

With DEBUG on, the development check is offered beside a configured provider. ``settings.DISCLOSURE_IDENTITY_BACKEND``
(dotted path, default :class:`DevelopmentIdentityBackend`) chooses the form-based backend; :func:`get_backend` refuses
to hand one out with DEBUG off.

Interface (any class with these two methods)::

    verify_person(name, id_number, *, evidence="") -> VerifiedIdentity          # raises DomainError
    verify_agent(agent: VerifiedIdentity, uscc, enterprise_name, *, evidence="") -> VerifiedIdentity

Production: the city's unified identity platform (统一身份认证 / SSO) speaks OpenID Connect. Its OIDC client
(any library: the login callback validates the ID token's signature, ``iss``, ``aud``, ``exp`` and ``nonce``) hands
the token's claims to :class:`OidcClaimsAdapter`, which turns them into a ``VerifiedIdentity`` — refusing claims
from another issuer, an expired token, a too-low assurance level or an identity number that fails its checksum.
Enterprise identities come the same way from the electronic business licence (电子营业执照) login, whose claims
name the enterprise's USCC and the person acting for it.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from credit_platform.exceptions import DomainError
from credit_platform.identifiers import check_ric, check_uscc
from records.models import RelatedPerson, Subject, SubjectType


@dataclass(frozen=True)
class VerifiedIdentity:
    kind: str  # "natural_person" | "enterprise"
    code_type: str  # "ric" | "uscc" | another records.CodeType
    code: str
    name: str
    method: str  # which backend / issuer verified it
    level: str = ""  # assurance level (e.g. OIDC acr)
    agent: VerifiedIdentity | None = None  # for enterprises: the person acting for it
    claims: Mapping = field(default_factory=dict, compare=False, repr=False)


def _check_person(name: str, id_number: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", "请填写姓名。")
    result = check_ric((id_number or "").strip().upper(), timezone.localdate())
    if result.error:
        raise DomainError(result.error, "公民身份号码格式或校验位不正确，请核对后重新输入。")
    return result.code


def check_uscc_code(uscc: str) -> str:
    """The USCC normalised, or a refusal when its form or check character is wrong."""
    result = check_uscc((uscc or "").strip().upper())
    if result.error:
        raise DomainError(result.error, "统一社会信用代码格式或校验位不正确，请核对后重新输入。")
    return result.code


class DevelopmentIdentityBackend:
    """For development and the demo: the identities the platform already holds are the 'population register'.

    A person is verified when the identity number is well formed and, if the platform knows a natural person with
    that number, the name matches it (or when the pair is listed in ``settings.DISCLOSURE_DEV_IDENTITIES``).
    An agent is verified for an enterprise the platform knows under that name when the evidence is the enterprise's
    authorisation code: ``settings.DISCLOSURE_DEV_AGENT_CODE`` (default ``DEMO-AUTH``), or when the agent is one
    of its registered related persons (法定代表人 etc.). Never use it in production.
    """

    method = "development"

    def __init__(self):
        if not dev_check_enabled():
            raise identity_closed()

    def verify_person(self, name: str, id_number: str, *, evidence: str = "") -> VerifiedIdentity:
        if not dev_check_enabled():
            raise identity_closed()
        code = _check_person(name, id_number)
        name = name.strip()
        listed = dict(settings.DISCLOSURE_DEV_IDENTITIES)
        known = Subject.objects.filter(type=SubjectType.NATURAL_PERSON, code=code).values_list("name", flat=True).first()
        if listed.get(code, known) not in (None, name):
            raise DomainError("identity_mismatch", "姓名与公民身份号码不一致，实名核验未通过。")
        return VerifiedIdentity("natural_person", "ric", code, name, self.method, "dev")

    def verify_agent(self, agent: VerifiedIdentity, uscc: str, enterprise_name: str, *, evidence: str = "") -> VerifiedIdentity:
        if not dev_check_enabled():
            raise identity_closed()
        code = check_uscc_code(uscc)
        enterprise = Subject.objects.filter(code=code).exclude(type="natural_person").first()
        if enterprise is None or enterprise.name != (enterprise_name or "").strip():
            raise DomainError("enterprise_mismatch", "统一社会信用代码与单位名称不一致，或平台尚无该单位的登记信息。")
        expected = settings.DISCLOSURE_DEV_AGENT_CODE
        is_related = RelatedPerson.objects.filter(organisation=enterprise, person__code=agent.code).exists()
        if not is_related and not hmac.compare_digest((evidence or "").strip(), expected):
            raise DomainError("agent_not_authorised", "未能核验您是该单位授权的经办人：请提供单位出具的授权码。")
        return VerifiedIdentity("enterprise", "uscc", code, enterprise.name, self.method, "dev", agent=agent)


@dataclass
class OidcClaimsAdapter:
    """Turns the validated ID-token claims of the city's OIDC identity provider into a ``VerifiedIdentity``.

    Configure with ``settings.DISCLOSURE_OIDC`` (a dict with the same keys as these fields). The OIDC client
    must already have validated the token's signature, audience and nonce; this adapter re-checks the issuer,
    expiry and assurance level and validates the identifiers itself.
    """

    issuer: str
    name_claim: str = "name"
    id_number_claim: str = "id_card_no"
    uscc_claim: str = "uscc"
    enterprise_name_claim: str = "org_name"
    acr_claim: str = "acr"
    accepted_acr: tuple[str, ...] = ("L2", "L3")  # 实名 + 实人 levels of the provider
    clock_skew_seconds: int = 60

    @classmethod
    def from_settings(cls) -> OidcClaimsAdapter:
        config = dict(settings.DISCLOSURE_OIDC)
        if "accepted_acr" in config:
            config["accepted_acr"] = tuple(config["accepted_acr"])
        return cls(**config)

    def _common(self, claims: Mapping) -> str:
        if claims.get("iss") != self.issuer:
            raise DomainError("oidc_wrong_issuer", "身份凭证不是由本市统一身份认证平台签发的。")
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or exp + self.clock_skew_seconds < time.time():
            raise DomainError("oidc_expired", "身份凭证已过期，请重新登录。")
        acr = str(claims.get(self.acr_claim, ""))
        if acr not in self.accepted_acr:
            raise DomainError("oidc_assurance_too_low", "身份认证等级不足：查询本人非公开信息须完成实名实人认证。")
        return acr

    def person(self, claims: Mapping) -> VerifiedIdentity:
        acr = self._common(claims)
        name = str(claims.get(self.name_claim, "")).strip()
        code = _check_person(name, str(claims.get(self.id_number_claim, "")))
        return VerifiedIdentity("natural_person", "ric", code, name, f"oidc:{self.issuer}", acr, claims=dict(claims))

    def enterprise(self, claims: Mapping) -> VerifiedIdentity:
        """Claims of an enterprise login: the enterprise's USCC and name plus the acting person's identity."""
        agent = self.person(claims)
        code = check_uscc_code(str(claims.get(self.uscc_claim, "")))
        name = str(claims.get(self.enterprise_name_claim, "")).strip()
        if not name:
            raise DomainError("oidc_missing_org_name", "身份凭证缺少单位名称。")
        return VerifiedIdentity("enterprise", "uscc", code, name, f"oidc:{self.issuer}", agent.level, agent=agent, claims=dict(claims))


class OidcIdentityBackend:
    """Backend for forms fed from an OIDC login: ``evidence`` is not used; identities come from claims."""

    method = "oidc"

    def __init__(self, adapter: OidcClaimsAdapter | None = None):
        self.adapter = adapter or OidcClaimsAdapter.from_settings()

    def verify_person(self, name: str, id_number: str, *, evidence: str = "") -> VerifiedIdentity:
        raise DomainError("use_oidc_login", "请通过本市统一身份认证平台登录完成实名认证。")

    def verify_agent(self, agent, uscc, enterprise_name, *, evidence: str = "") -> VerifiedIdentity:
        raise DomainError("use_oidc_login", "请通过电子营业执照登录完成单位经办人认证。")

    def from_claims(self, claims: Mapping, *, enterprise: bool = False) -> VerifiedIdentity:
        return self.adapter.enterprise(claims) if enterprise else self.adapter.person(claims)


OIDC_REQUIRED_SETTINGS = ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_ISSUER",
                          "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT")


def oidc_configured() -> bool:
    """A provider is configured: client credentials, issuer, endpoints and a way to check the ID token's signature."""
    if not all(getattr(settings, name) for name in OIDC_REQUIRED_SETTINGS):
        return False
    return bool(settings.OIDC_OP_JWKS_ENDPOINT or settings.OIDC_RP_IDP_SIGN_KEY)


def dev_check_enabled() -> bool:
    """The development identity check exists only with DEBUG on (read at each request, never cached)."""
    return bool(settings.DEBUG)


def identity_mode() -> str:
    """``"oidc"``, ``"development"`` or ``"closed"`` (see the module docstring)."""
    if oidc_configured():
        return "oidc"
    if dev_check_enabled():
        return "development"
    return "closed"


CLOSED_TITLE = "实名登录暂未开放"
CLOSED_MESSAGE = ("本平台尚未接入政务服务统一身份认证平台，个人和企业的实名登录、注册及单位绑定暂停办理。"
                  "平台不会以其他方式核验身份。公开信息查询、信用报告核验不受影响；如需查询本人信用信息，"
                  "请携带有效身份证件到信用服务窗口办理。")


def identity_closed() -> DomainError:
    """The refusal when the door is closed (no provider, DEBUG off)."""
    return DomainError("identity_closed", CLOSED_MESSAGE, status=503)


def get_backend():
    """The form-based verification backend: only with the development check enabled (DEBUG on)."""
    if not dev_check_enabled():
        raise identity_closed()
    path = settings.DISCLOSURE_IDENTITY_BACKEND
    return import_string(path)()
