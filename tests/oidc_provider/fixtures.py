"""Pytest fixtures: the test identity provider in a subprocess, and the platform pointed at it.

``oidc_provider`` (session): generates an RSA key, starts ``serve.py`` on a free loopback port with its own SQLite,
and knows the people it can sign in (fixed identities, so tests create the matching subjects). ``oidc_platform``
(function): the platform's OIDC settings for that provider (as an operator would set them in the environment).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from credit_platform.identifiers import make_ric, make_uscc

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "credit-platform-test"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
PASSWORD = "Provider-Passw0rd!"
ID_TOKEN_SECONDS = 120

# The people the provider knows: a citizen, a citizen the platform has no record of, an enterprise's legal-person
# login, a low-assurance account, and one whose name matches an official's account on the platform.
ZHANG = {"name": "张伟", "id_card_no": make_ric("650203", date(1990, 1, 1), 7001), "acr": "L3"}
SUN = {"name": "孙红", "id_card_no": make_ric("650203", date(1979, 9, 9), 7002), "acr": "L2"}
WANG = {"name": "王建国", "id_card_no": make_ric("650204", date(1975, 3, 3), 7003), "acr": "L3",
        "uscc": make_uscc("650200", 7004), "org_name": "克拉玛依测试认证有限公司"}
LOW = {"name": "赵低", "id_card_no": make_ric("650203", date(1988, 8, 8), 7005), "acr": "L1"}
PEOPLE = {"zhangwei": ZHANG, "sunhong": SUN, "wangjg": WANG, "lowlevel": LOW}


@dataclass
class Provider:
    base_url: str
    public_key_pem: str
    people: dict = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    def settings(self) -> dict:
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/.well-known/jwks.json",
            "OIDC_RP_IDP_SIGN_KEY": None,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rsa_private_pem() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def other_public_key_pem() -> str:
    """A public key the provider never signed with (for the signature test)."""
    return _rsa_private_pem()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    port = _free_port()
    private, public = _rsa_private_pem()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update({
        "PROVIDER_DB": str(tmp_path_factory.mktemp("oidc-provider") / "provider.sqlite3"),
        "PROVIDER_ISSUER": f"{base}/o",
        "PROVIDER_RSA_KEY": private,
        "PROVIDER_ID_TOKEN_SECONDS": str(ID_TOKEN_SECONDS),
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "PROVIDER_REDIRECT_URIS": "http://testserver/oidc/callback/ http://127.0.0.1/oidc/callback/ "
                                  "http://localhost/oidc/callback/",
        "PROVIDER_PEOPLE": json.dumps({u: {"password": PASSWORD, "claims": c} for u, c in PEOPLE.items()}),
    })
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "oidc_provider" / "serve.py"), str(port)],
                            cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if "READY" not in line:
            proc.kill()
            raise RuntimeError(f"the test OIDC provider did not start: {line}{proc.stderr.read()[-3000:]}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Provider(base_url=base, public_key_pem=public, people=PEOPLE)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def oidc_platform(oidc_provider, settings):
    """The platform configured for the test provider (DEBUG off: production's door).

    The provider is another process on the real clock: its ID tokens carry the real ``iat``/``exp``. Tests that freeze
    or move the platform's clock (a package's fixed day, ``CREDIT_TEST_CLOCK``) would see those tokens as issued in
    the future or long expired, so the platform runs on the real clock (time-machine's escape hatch) while signing in.
    """
    import time_machine

    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    settings.DISCLOSURE_OIDC = dict(settings.DISCLOSURE_OIDC, issuer=oidc_provider.issuer)
    settings.DEBUG = False
    if not time_machine.escape_hatch.is_travelling():
        yield oidc_provider
        return
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        yield oidc_provider
