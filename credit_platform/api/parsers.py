"""Request bodies the API accepts, checked at the edge before any view or service sees them.

* JSON is parsed with orjson: invalid UTF-8, lone surrogates, NaN/Infinity and numbers beyond a double are
  refused by the parser itself, and nesting is capped (orjson stops at 1,024 levels, we at ``MAX_JSON_DEPTH``);
* a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused with 413 (Django applies that limit to
  ``request.body`` and multipart fields, but DRF's JSON and form parsers read the stream without it);
* no string (value or key) may contain NUL: PostgreSQL cannot store it in text or jsonb, so it would otherwise
  surface as a database error deep inside a write.

Every refusal is a ``DomainError`` in the ``{code, message, fields}`` shape.
"""

from __future__ import annotations

from io import BytesIO

import orjson
from django.conf import settings
from rest_framework import parsers

from credit_platform.exceptions import DomainError

# Deeper than any legitimate payload (a batch row with its content is five or six levels); keeps recursive
# consumers (JSON encoders, schema validators, repr) far from Python's recursion limit.
MAX_JSON_DEPTH = 32
NUL = "\x00"


def _path(parent: str, key) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _deeper_than(data, max_depth: int) -> bool:
    """Whether containers nest deeper than ``max_depth``: visits containers only, builds no paths."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return True
        for item in (value.values() if isinstance(value, dict) else value):
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
    return False


def json_problem(data, *, max_depth: int = MAX_JSON_DEPTH, raw: bytes | None = None) -> tuple[str, str, str] | None:
    """``(code, path, message)`` for the first NUL character or over-deep nesting in parsed JSON, else None.

    Iterative, so it is safe on whatever depth the parser let through. ``raw``: the body it was parsed from —
    JSON can carry NUL only as the escape ``\\u0000``, so a body without it skips the NUL search, and only a body
    that nests too deep is walked again with paths (for the message)."""
    if isinstance(data, (dict, list)) and raw is not None and b"\\u0000" not in raw \
            and not _deeper_than(data, max_depth):
        return None
    stack = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return "nul_character", path or "non_field_errors", "不得包含 NUL 字符 / must not contain NUL characters"
        elif isinstance(value, (dict, list)):
            if depth > max_depth:
                return ("too_deep", path or "non_field_errors",
                        f"嵌套超过 {max_depth} 层 / nested more than {max_depth} levels deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    return "nul_character", path or "non_field_errors", "字段名不得包含 NUL 字符 / keys must not contain NUL"
                stack.append((item, _path(path, key), depth + 1))
    return None


def check_json(data, *, max_depth: int = MAX_JSON_DEPTH, raw: bytes | None = None):
    problem = json_problem(data, max_depth=max_depth, raw=raw)
    if problem:
        code, path, message = problem
        raise DomainError(code, message, fields={path: message})
    return data


def body_limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def payload_too_large(limit: int) -> DomainError:
    return DomainError("payload_too_large", f"请求体超过 {limit} 字节 / request body larger than {limit} bytes",
                       status=413)


def read_limited(stream) -> bytes:
    limit = body_limit()
    if limit is None:
        return stream.read()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise payload_too_large(limit)
    return raw


def loads(raw: bytes):
    """Parse a JSON body and check it; ``DomainError`` (400) for anything that is not acceptable JSON."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DomainError("malformed_json", f"请求体不是有效的 JSON / malformed JSON: {exc}") from None
    return check_json(data, raw=raw)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return loads(read_limited(stream))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(BytesIO(read_limited(stream)), media_type, parser_context)
