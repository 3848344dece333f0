"""Citizens' and enterprise agents' sign-in at 政务服务统一身份认证 over OpenID Connect (mozilla-django-oidc).

The flow is the authorization code flow with PKCE (S256), ``state`` and ``nonce`` (mozilla-django-oidc keeps them in
the session). The ID token's signature is checked against the provider's JWKS (or ``OIDC_RP_IDP_SIGN_KEY``), then
its ``exp``, ``iss`` and ``aud`` here; the verified claims become a :class:`~accounts.identity.VerifiedIdentity`
(``OidcClaimsAdapter``: name + ID number for a person, checked by their checksum; for a legal-person login the USCC,
the enterprise name and the acting person) and bind the account to its subject:

* the account is the one already linked to that person (found by the keyed hash of the ID number), else a new one;
* a legal-person login binds the account to the enterprise as its agent (the provider verified that proof);
* an official's account is refused at this door: officials sign in to the admin (``/admin/``).

Nothing here runs unless a provider is configured (``accounts.identity.oidc_configured``).
"""

from __future__ import annotations

import logging
import secrets

import jwt
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from accounts.identity import CLOSED_MESSAGE, CLOSED_TITLE, OidcClaimsAdapter, VerifiedIdentity, oidc_configured
from accounts.links import is_official, link_identity
from accounts.models import SubjectLink
from credit_platform.exceptions import DomainError
from credit_platform.privacy import identifier_hash
from credit_platform.ratelimits import hit, too_many_requests

logger = logging.getLogger(__name__)


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, mapping the provider's verified claims to the platform's subjects."""

    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS even when no provider is configured (the admin's password login walks
        # every backend): then it stays inert instead of raising ImproperlyConfigured.
        self.configured = oidc_configured()
        if self.configured:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view calls with a nonce and a code verifier; a password login never reaches the provider.
        if not self.configured or request is None or "nonce" not in kwargs or "code_verifier" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    # --- the ID token ------------------------------------------------------------------------------------------

    def _verify_jws(self, payload, key):
        try:
            return super()._verify_jws(payload, key)
        except jwt.InvalidTokenError as exc:  # expired, not yet valid, malformed: PyJWT's other refusals
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}") from None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is None:  # a userinfo JWT: the signature is all there is to check
            return payload
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued to another client")
        if "exp" not in payload:
            raise SuspiciousOperation("ID token without expiry")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The signed ID token's claims; the userinfo endpoint's added when configured (same ``sub`` only)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo for another subject")
            for key, value in extra.items():
                claims.setdefault(key, value)
        return claims

    # --- claims → account --------------------------------------------------------------------------------------

    def _identity(self, claims) -> VerifiedIdentity:
        adapter = OidcClaimsAdapter.from_settings()
        enterprise = bool(str(claims.get(adapter.uscc_claim, "") or "").strip())
        return adapter.enterprise(claims) if enterprise else adapter.person(claims)

    def verify_claims(self, claims):
        try:
            self.identity = self._identity(claims)
        except DomainError as exc:
            self.request.oidc_error = exc.message
            return False
        return True

    def filter_users_by_claims(self, claims):
        person = self.identity.agent or self.identity
        user_ids = SubjectLink.objects.filter(
            code_type=person.code_type, code_hash=identifier_hash(person.code), role=SubjectLink.Role.SELF,
            revoked_at__isnull=True,
        ).values("user_id")
        return self.UserModel.objects.filter(pk__in=user_ids)

    def create_user(self, claims):
        person = self.identity.agent or self.identity
        kind = self.UserModel.Kind.AGENT if self.identity.kind == "enterprise" else self.UserModel.Kind.CITIZEN
        with transaction.atomic():
            user = self.UserModel(username=f"gov_{secrets.token_hex(8)}", first_name=person.name[:150], kind=kind)
            user.set_unusable_password()
            user.save()
            return self.update_user(user, claims)

    def update_user(self, user, claims):
        if is_official(user):
            self.request.oidc_error = "工作人员账号不能通过公众门户登录，请从管理后台登录。"
            raise SuspiciousOperation("official refused at the citizens' sign-in")
        person = self.identity.agent or self.identity
        link_identity(user, person)
        if self.identity.kind == "enterprise":
            link_identity(user, self.identity, evidence="统一身份认证：法人登录")
        return user


class CitizenAuthenticateView(OIDCAuthenticationRequestView):
    """Start the sign-in at the provider: closed without one; limited per address (``RATELIMIT_LOGIN``)."""

    def __init__(self, *args, **kwargs):
        if oidc_configured():
            super().__init__(*args, **kwargs)
        else:
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not oidc_configured():
            return render(request, "disclosure/message.html", {"title": CLOSED_TITLE, "message": CLOSED_MESSAGE},
                          status=503)
        limit = hit(request, "login")
        if limit is not None:
            return too_many_requests(request, limit)
        return super().get(request)


class CitizenCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: any failure (state, token, signature, expiry, claims, an official) ends on a
    Chinese page, never a 500 and never a login."""

    def get(self, request):
        if not oidc_configured():
            return render(request, "disclosure/message.html", {"title": CLOSED_TITLE, "message": CLOSED_MESSAGE},
                          status=503)
        limit = hit(request, "login")
        if limit is not None:
            return too_many_requests(request, limit)
        try:
            response = super().get(request)
        except (SuspiciousOperation, RequestException, DomainError) as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            return self._failed(request)
        if not (request.user.is_authenticated and getattr(self, "user", None) is not None):
            return self._failed(request)
        return response

    def _failed(self, request):
        if request.user.is_authenticated:
            auth.logout(request)
        message = getattr(request, "oidc_error", "") or "统一身份认证未能完成，请重新登录。如多次失败，请联系平台服务窗口。"
        return render(request, "disclosure/message.html", {
            "title": "登录未完成", "message": message, "link": "/accounts/login/", "link_text": "重新登录",
        }, status=403)
