"""Catalog life cycle and the lookup the ingestion path uses.

draft → public comment → approved → published. Approved and published versions are frozen; a change is
a new draft copied from the current version (``new_version_from``). The items in force on a day are those
of the latest published version of each level whose effective date has come (national base, provincial and
municipal supplements); an item code defined at a lower level overrides the same code above it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import CatalogComment, CatalogItem, CatalogVersion, MatterType
from catalog.schema import ContentCheck, compile_content_schema
from credit_platform.exceptions import DomainError
from credit_platform.months import add_months
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date

LEVEL_ORDER = (CatalogVersion.Level.NATIONAL, CatalogVersion.Level.PROVINCIAL, CatalogVersion.Level.MUNICIPAL)


#: The code of every refused life-cycle step or comment (the message says which; the API maps a refused comment to
#: its own ``comment_closed``).
REFUSED = "catalog_refused"


def refused(message: str) -> DomainError:
    return DomainError(REFUSED, message)


# --- life cycle ------------------------------------------------------------------------------------------------
def _require(version: CatalogVersion, *allowed: str) -> None:
    if version.status not in allowed:
        raise refused(
            f"目录版本状态为“{version.get_status_display()}”，不能执行此操作 / not allowed in status {version.status}"
        )


@transaction.atomic
def open_public_comment(version: CatalogVersion, *, opens_on: date | None = None, closes_on: date | None = None) -> CatalogVersion:
    """Show the draft on the portal and start collecting comments (Karamay art. 9 para. 4)."""
    _require(version, CatalogVersion.Status.DRAFT)
    if not version.items.exists():
        raise refused("目录草稿没有条目 / the draft has no items")
    version.status = CatalogVersion.Status.PUBLIC_COMMENT
    version.comment_opens_on = opens_on or local_date(timezone.now())
    version.comment_closes_on = closes_on
    version._change_reason = "公开征求意见 / opened for public comment"
    version.save()
    return version


@transaction.atomic
def approve(version: CatalogVersion, *, approval_document: str) -> CatalogVersion:
    """Record the people's government's approval. Supplements must have gone through public comment first;
    the national base catalog is adopted as issued."""
    if version.level == CatalogVersion.Level.NATIONAL:
        _require(version, CatalogVersion.Status.DRAFT, CatalogVersion.Status.PUBLIC_COMMENT)
    else:
        _require(version, CatalogVersion.Status.PUBLIC_COMMENT)
    if not approval_document.strip():
        raise refused("须填写批准文件 / the approval document is required")
    version.approval_document = approval_document.strip()
    version.approved_at = timezone.now()
    version.status = CatalogVersion.Status.APPROVED
    version._change_reason = f"批准 / approved: {version.approval_document}"
    version.save()
    return version


def review_months() -> tuple[int | None, str]:
    rule = active_policy().catalog_review_months
    return rule.value, rule.article



@transaction.atomic
def publish(version: CatalogVersion, *, effective_from: date | None = None) -> CatalogVersion:
    """Publish an approved version; the next review falls due after the profile's review period."""
    _require(version, CatalogVersion.Status.APPROVED)
    now = timezone.now()
    version.status = CatalogVersion.Status.PUBLISHED
    version.published_at = now
    version.effective_from = effective_from or version.effective_from or local_date(now)
    months, _article = review_months()
    version.review_due = add_months(version.effective_from, months) if months else None
    version._change_reason = "公布 / published"
    version.save()
    invalidate_index()
    return version


@transaction.atomic
def new_version_from(version: CatalogVersion, *, version_label: str, title: str | None = None) -> CatalogVersion:
    """A new draft with a copy of every item: the only way to change a published catalog."""
    draft = CatalogVersion.objects.create(
        title=title or version.title, level=version.level, region=version.region, version_label=version_label,
        based_on=version, notes=f"基于 {version.version_label} 修订",
    )
    for item in version.items.prefetch_related("providers"):
        providers = list(item.providers.all())
        item.pk = None
        item.id = None
        item._state.adding = True
        item._prefetched_objects_cache = {}
        item.version = draft
        item.save()
        item.providers.set(providers)
    return draft


def comment_body_error(body: str | None) -> str | None:
    """Why a comment's text is refused, or None. Comments are anonymous (Karamay art. 9 para. 4 asks the public), so
    their size is capped (``settings.CATALOG_COMMENT_MAX_CHARS``) besides the per-address rate limit on submitting."""
    text = (body or "").strip()
    limit = settings.CATALOG_COMMENT_MAX_CHARS
    if not text:
        return "请填写意见内容 / the comment is empty"
    if len(text) > limit:
        return f"意见内容最多 {limit} 字（当前 {len(text)} 字），请精简或分条提交 / at most {limit} characters"
    return None


def add_comment(version: CatalogVersion, *, author_name: str, body: str, item: CatalogItem | None = None,
                author_kind: str = "", contact: str = "") -> CatalogComment:
    error = comment_body_error(body)
    if error:
        raise refused(error)
    if version.status != CatalogVersion.Status.PUBLIC_COMMENT:
        raise refused("该目录版本不在征求意见期 / this version is not open for comment")
    today = local_date(timezone.now())
    if version.comment_closes_on and today > version.comment_closes_on:
        raise refused("征求意见已截止 / the comment period has closed")
    if item is not None and item.version_id != version.pk:
        raise refused("条目不属于该版本 / the item belongs to another version")
    return CatalogComment.objects.create(
        version=version, item=item, author_name=author_name.strip(), body=body.strip(), author_kind=author_kind,
        contact=contact,
    )


# --- what is in force ------------------------------------------------------------------------------------------
def current_versions(on: date | None = None) -> list[CatalogVersion]:
    """The latest published version of each level in force on ``on`` (national first)."""
    on = on or local_date(timezone.now())
    chosen: dict[str, CatalogVersion] = {}
    published = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED, effective_from__lte=on)
    for version in published.order_by("-effective_from", "-published_at", "-id"):
        chosen.setdefault(version.level, version)
    return [chosen[level] for level in LEVEL_ORDER if level in chosen]


def current_items(on: date | None = None):
    """Items in force on ``on``: a code in a lower-level supplement overrides the same code above it."""
    by_code: dict[str, int] = {}
    for version in current_versions(on):
        for item_id, code in version.items.values_list("id", "code"):
            by_code[code] = item_id
    return CatalogItem.objects.filter(id__in=by_code.values())


def review_state(version: CatalogVersion, today: date | None = None) -> str:
    """'overdue' / 'due_soon' (within 30 days) / 'ok' / '' for the admin's review column."""
    if version.status != CatalogVersion.Status.PUBLISHED or not version.review_due:
        return ""
    today = today or local_date(timezone.now())
    if version.successors.filter(status=CatalogVersion.Status.PUBLISHED).exists():
        return ""
    if today >= version.review_due:
        return "overdue"
    if (version.review_due - today).days <= 30:
        return "due_soon"
    return "ok"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    """What ingestion needs to know about an item, without touching the ORM per row."""

    id: int
    code: str
    name: str
    category: str
    matter_type: str
    info_kind: str
    domain: str
    providers: frozenset[int]
    repairable: bool
    openness: str
    check_content: ContentCheck

    @property
    def is_penalty(self) -> bool:
        return self.matter_type == MatterType.PENALTY


_index_lock = threading.Lock()
_index_cache: dict[tuple, dict[str, ItemSpec]] = {}


def invalidate_index() -> None:
    with _index_lock:
        _index_cache.clear()


def item_index(on: date | None = None) -> dict[str, ItemSpec]:
    """code → ItemSpec for the items in force, cached per process until the published versions change."""
    on = on or local_date(timezone.now())
    stamp = tuple(
        CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED, effective_from__lte=on)
        .order_by("id").values_list("id", "effective_from", "published_at")
    )
    key = (on, stamp)
    cached = _index_cache.get(key)
    if cached is not None:
        return cached
    items = current_items(on).prefetch_related("providers")
    index = {
        item.code: ItemSpec(
            id=item.id, code=item.code, name=item.name, category=item.category, matter_type=item.matter_type,
            info_kind=item.info_kind, domain=item.domain, providers=frozenset(p.id for p in item.providers.all()),
            repairable=item.repairable, openness=item.openness, check_content=compile_content_schema(item.content_schema),
        )
        for item in items
    }
    with _index_lock:
        _index_cache.clear()
        _index_cache[key] = index
    return index
