"""What the public pages depend on, and who says when it changed (``credit_platform.http_cache`` does the caching).

Version names:

* ``subject:<CODE>`` — one organisation's public page and its API mirror: its records, their publicity windows,
  disputed marks (异议标注), related persons, list entries;
* ``search`` — every search page (which organisations exist, under which name);
* ``all`` (``http_cache.ALL``) — every public page: catalog item and department names appear on all of them.

Bumped after commit by: ``records_changed`` (pushes, corrections, revocations), every save or delete of a record,
subject, related person or window (the disputed mark is a record save), ``apply_windows``/``end_publicity``/
``severe_list_removed``/the trust opt-out in ``disclosure.services`` (bulk updates send no signal), and saves or
deletes of the sanctions list entries (connected by model label: sanctions sits on this floor). Receivers are in
``disclosure.receivers``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from django.conf import settings

from credit_platform import http_cache
from records.models import Record, Subject

SEARCH = "search"
_CODE_RE = re.compile(r"[0-9A-Z]{8,20}")


def public_code(code: str) -> str | None:
    """The code as the lookup normalises it (``services.find_public_subject``); None for one no page is kept for."""
    code = (code or "").strip().upper()
    return code if _CODE_RE.fullmatch(code) else None


def subject_name(code: str) -> str:
    """The version name of one organisation's pages. With ``PUBLIC_CACHE_SUBJECT_BUCKETS`` set (the file cache, where
    every version is a file write), subjects share that many versions: a push bumps at most that many, and a bump
    renders a bucket's other pages afresh too — never a stale one."""
    buckets = int(settings.PUBLIC_CACHE_SUBJECT_BUCKETS)
    return f"subjects:{zlib.crc32(code.encode()) % buckets}" if buckets > 0 else f"subject:{code}"


# --- the views' scopes ----------------------------------------------------------------------------------------


def subject_page_scope(request, code: str):
    code = public_code(code)
    return None if code is None else (f"subject-page:{code}", [subject_name(code)])


def subject_api_scope(request, code: str):
    code = public_code(code)
    return None if code is None else (f"subject-api:{code}", [subject_name(code)])


def search_scope(request):
    query = (request.GET.get("q") or "").strip()[:100]
    page = (request.GET.get("page") or "").strip()[:8]
    return (f"search:{query}\x1f{page}", [SEARCH])


def search_api_scope(request):
    return (f"search-api:{search_scope(request)[0]}", [SEARCH])


# --- invalidation -------------------------------------------------------------------------------------------


def records_changed(record_ids: Iterable[int]) -> None:
    """The records' subjects' pages, and the search (a push may have created or renamed a subject)."""
    ids = sorted({int(i) for i in record_ids})
    if not ids:
        return
    codes = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        codes.update(Record.objects.filter(pk__in=chunk).values_list("subject__code", flat=True))
    http_cache.bump_on_commit([SEARCH, *(subject_name(c) for c in codes)])


def subjects_changed(subject_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in subject_ids if i is not None})
    if ids:
        codes = Subject.objects.filter(pk__in=ids).values_list("code", flat=True)
        http_cache.bump_on_commit([subject_name(c) for c in codes])


def subject_saved(subject: Subject) -> None:
    http_cache.bump_on_commit([SEARCH, subject_name(subject.code)])


def everything_changed() -> None:
    http_cache.bump_on_commit([http_cache.ALL])
