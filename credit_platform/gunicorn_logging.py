"""gunicorn's access log, with resident ID and mobile numbers masked (defence in depth).

The platform never puts a personal identifier in a URL, and the deprecated API URL that could carry one refuses it;
but a client may still type one into an address bar, and the request line, query string and referer would land in
gunicorn's access log verbatim. ``--logger-class credit_platform.gunicorn_logging.MaskingLogger`` masks them
(``credit_platform.privacy.mask_text``, as every Django log handler does).
"""

from __future__ import annotations

from urllib.parse import unquote

from gunicorn.glogging import Logger

from credit_platform.privacy import mask_text

MASKED_ATOMS = ("r", "U", "q", "f", "{raw_uri}e", "{path_info}e", "{query_string}e", "{http_referer}e", "{referer}i",
                "{location}o")


def _mask(value):
    if not isinstance(value, str):
        return value
    masked = mask_text(value)
    decoded = unquote(value)
    if decoded != value and mask_text(decoded) != decoded:  # a percent-encoded number
        masked = mask_text(decoded)
    return masked


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in MASKED_ATOMS:
            if key in atoms:
                atoms[key] = _mask(atoms[key])
        return atoms
