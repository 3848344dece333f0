"""The one domain error of the platform.

Every service refuses a step the law or a case's state does not allow by raising :class:`DomainError` with a stable
machine ``code``, a Chinese ``message`` for the person acting, optionally the ``field`` at fault and the HTTP
``status`` an API caller should see. It is mapped once for the API (``credit_platform.api.errors.exception_handler``)
and once for the admin and portal forms (:func:`as_validation_error` / :func:`report_to_form`), so no app writes its
own exception class or mapper.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A refused step. ``code`` is stable (clients branch on it); ``message`` is what the person is told."""

    def __init__(self, code: str, message: str, *, field: str = "", fields: dict | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status
        self.fields = dict(fields or {})
        if field and field not in self.fields:
            self.fields[field] = [message]

    def __str__(self) -> str:
        return self.message

    def as_validation_error(self) -> ValidationError:
        """The same refusal as Django's ``ValidationError`` (a form's field error when ``field`` is set)."""
        if self.fields:
            return ValidationError({key: value if isinstance(value, list) else [value] for key, value in self.fields.items()},
                                   code=self.code)
        return ValidationError(self.message, code=self.code)


def report_to_form(form, error: DomainError) -> None:
    """Put a refusal on a bound form: on its field when the form has one, otherwise as a non-field error."""
    for field, messages in (error.fields or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)
