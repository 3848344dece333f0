"""Factories for accounts tests: portal accounts verified as a subject (or its agent), their links, agents' letters.

Subjects and records come from the disclosure factories (``tests.disclosure.factories``): the accounts tests walk
the portal pages those records are shown on."""

from __future__ import annotations

import hashlib

import factory
from django.contrib.auth import get_user_model

from accounts.identity import VerifiedIdentity
from accounts.links import link_identity
from accounts.models import AgentLetter, SubjectLink

PASSWORD = "Str0ng-Passw0rd!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen's portal account (password ``PASSWORD``), not yet verified as anyone."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"citizen{n}")
    kind = "citizen"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


def identity_of(subject, method: str = "test") -> VerifiedIdentity:
    kind = "natural_person" if subject.type == "natural_person" else "enterprise"
    return VerifiedIdentity(kind, subject.code_type, subject.code, subject.name, method)


def citizen(subject, username: str | None = None):
    """A portal account verified as ``subject`` (a person: themselves; an enterprise: its agent)."""
    user = get_user_model().objects.create_user(username=username or f"u{subject.pk}", password=PASSWORD,
                                                kind="citizen", first_name=subject.name)
    link_identity(user, identity_of(subject))
    return user


class SubjectLinkFactory(factory.django.DjangoModelFactory):
    """A verified link; pass ``subject`` (its identifier is hashed and masked on save) and optionally ``user``."""

    class Meta:
        model = SubjectLink

    user = factory.SubFactory(UserFactory)
    subject = None
    code_type = factory.LazyAttribute(lambda o: o.subject.code_type)
    code = factory.LazyAttribute(lambda o: o.subject.code)
    name = factory.LazyAttribute(lambda o: o.subject.name)
    role = factory.LazyAttribute(lambda o: "self" if o.subject.type == "natural_person" else "agent")
    verified_by = "test"


class AgentLetterFactory(factory.django.DjangoModelFactory):
    """A pending authorisation letter by ``user`` (verified as themselves) for ``enterprise``."""

    class Meta:
        model = AgentLetter

    enterprise = None
    user = None
    agent_name = factory.LazyAttribute(lambda o: o.user.subject_links.get(role="self").name)
    agent_code = factory.LazyAttribute(lambda o: o.user.subject_links.get(role="self").code)
    letter = factory.django.FileField(data=PDF, filename="授权委托书.pdf")
    letter_sha256 = hashlib.sha256(PDF).hexdigest()
