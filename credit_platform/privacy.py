"""Personal identifiers (MLPS 2.0 level 3, 等保三级 个人信息保护): keyed hashes where a value is only matched,
masks where it is shown, and a logging filter so a resident ID or phone number never reaches a log in full.

* ``identifier_hash(code)`` — HMAC-SHA256 of the normalised code under ``settings.IDENTIFIER_HASH_KEY``. Tables that
  only need to *find* a person by ID number (account links, grantees, the query log, joint-check logs) store this,
  never the number. Without the key the hash cannot be recomputed from a guessed number (a plain SHA-256 of an
  18-digit ID can be brute-forced in minutes). Rotating the key breaks every stored match: do not rotate it.
* ``mask_identifier(code)`` — what such a table shows instead: ``6502**********1234``, the same mask as
  ``records.Subject.masked_code`` and ``disclosure.masking.mask_id``.
* ``IdentifierMaskingFilter`` — installed on every handler in ``settings.LOGGING`` (and on Celery's handlers);
  masks resident ID numbers and mobile numbers in the message, its arguments and any traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from celery.signals import after_setup_logger, after_setup_task_logger
from django.conf import settings
from django.db.models import Q

from credit_platform.identifiers import check_uscc

MASK = "*"

# Codes that name an organisation (统一社会信用代码) are public; every other document type names a natural person.
ORGANISATION_CODE_TYPES = frozenset({"uscc"})

# A resident ID number, validated loosely: 6-digit region, a plausible birth date, 3-digit sequence, check digit or X.
RIC_RE = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
# A mainland mobile number, with or without +86 / 86.
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])")


def normalise(code: str | None) -> str:
    return (code or "").strip().upper()


def identifier_hash(code: str | None) -> str:
    """Keyed hash (hex) of an identifier; equal codes (ignoring case and surrounding blanks) hash equal."""
    key = settings.IDENTIFIER_HASH_KEY.encode("utf-8")
    return hmac.new(key, normalise(code).encode("utf-8"), hashlib.sha256).hexdigest()


def address_pseudonym(address: str | None) -> str:
    """A client address as the login lockout log keeps it: the keyed hash of the address (``identifier_hash``) written
    as an IPv6 address in the unique-local range ``fd00::/8``, so it fits django-axes' address column. Equal addresses
    give equal pseudonyms (attempts from one place are counted and shown together); without IDENTIFIER_HASH_KEY the
    address cannot be recovered or guessed, while ``manage.py address_pseudonym 203.0.113.7`` tells the security
    administrator whether attempts came from a given address."""
    digest = identifier_hash(f"client-address:{address or ''}")
    hexes = "fd" + digest[:30]
    return ":".join(hexes[i:i + 4] for i in range(0, 32, 4))


def mask_identifier(code: str | None) -> str:
    """650203199001011234 → 6502**********1234 (first and last four kept)."""
    code = normalise(code)
    if len(code) >= 9:
        return code[:4] + MASK * (len(code) - 8) + code[-4:]
    if len(code) >= 3:
        return code[0] + MASK * (len(code) - 2) + code[-1]
    return MASK * len(code)


def is_personal_code_type(code_type: str | None) -> bool:
    return (code_type or "") not in ORGANISATION_CODE_TYPES


def looks_like_organisation_code(code: str | None) -> bool:
    """True for a well-formed USCC (checksum valid) that is not also a well-formed resident ID number."""
    code = normalise(code)
    return not RIC_RE.fullmatch(code) and not check_uscc(code).error


def stored_form(code: str | None, personal: bool) -> str:
    """What a log or link table may keep in clear: the USCC of an organisation, the mask of a person's number."""
    return mask_identifier(code) if personal else normalise(code)


def mask_text(text: str) -> str:
    """Mask every resident ID number and mobile number inside free text."""
    if not text:
        return text
    out = RIC_RE.sub(lambda m: m.group(1)[:4] + MASK * 10 + m.group(3)[-4:], text)
    return PHONE_RE.sub(lambda m: m.group(1) + MASK * 4 + m.group(3), out)


class IdentifierMaskingFilter(logging.Filter):
    """Rewrites a record so that no handler writes a resident ID or mobile number: the message with its arguments
    merged, the formatted traceback (``exc_text``, which formatters reuse) and the stack. Never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, masked
            message = f"{record.msg} {record.args!r}"
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def _install_on_celery_handlers(logger=None, **kwargs) -> None:
    """Celery replaces the root logger's handlers in its worker and beat; put the filter on the ones it installs."""
    targets = [logger] if logger is not None else []
    targets.append(logging.getLogger())
    for target in targets:
        for handler in target.handlers:
            if not any(isinstance(f, IdentifierMaskingFilter) for f in handler.filters):
                handler.addFilter(IdentifierMaskingFilter())


# Connected when Django configures logging (settings.LOGGING names this module), so Celery's handlers mask too.
after_setup_logger.connect(_install_on_celery_handlers, weak=False, dispatch_uid="privacy_celery_logger")
after_setup_task_logger.connect(_install_on_celery_handlers, weak=False, dispatch_uid="privacy_celery_task_logger")



class IdentifierSearchMixin:
    """Admin search that finds rows by a full identification number through its keyed hash (the number itself is
    not stored). ``identifier_hash_fields`` names the hash columns searched."""

    identifier_hash_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalise(search_term)
        if self.identifier_hash_fields and 8 <= len(term) <= 64 and term.isalnum():
            digest = identifier_hash(term)
            match = Q()
            for name in self.identifier_hash_fields:
                match |= Q(**{name: digest})
            results = results | queryset.filter(match)
        return results, may_have_duplicates
