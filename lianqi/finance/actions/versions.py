"""New versions of a product's terms: the institution submits one with the day it takes effect
(and, if it ends, the day it ends); the park's office publishes it or returns it with its
comments; on its first day a published version's terms replace the product's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.validity import ending_before, in_force, make_room
from lianqi.core.workflow import required_text

from ..choices import ProductState, VersionState
from ..models import VERSIONED_TERMS, Product, ProductVersion
from .catalogue import checked_terms, may_manage_product
from .checks import check_office


def submit_product_version(
    *,
    product: Product,
    actor: Actor,
    valid_from: dt.date,
    min_amount_yuan: Decimal | str,
    max_amount_yuan: Decimal | str,
    min_rate: Decimal,
    max_rate: Decimal,
    min_term_months: int,
    max_term_months: int,
    rule: dict[str, Any],
    valid_to: dt.date | None = None,
    note: str = "",
    collateral: str = "",
    promise_workdays: int = 5,
    decide_workdays: int = 15,
    description: str = "",
) -> ProductVersion:
    """Submit a new version of the product's terms for the office's review: by a user of its
    institution or the office. It takes effect on `valid_from` (today or later) once published."""
    if not may_manage_product(actor, product):
        raise ValidationError({"product": _("只能为本机构的产品提交新版本")})
    today = timezone.localdate()
    if valid_from < today:
        raise ValidationError({"valid_from": _("生效日期不能早于今天")})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("失效日期不能早于生效日期")})
    terms = checked_terms(
        product.code,
        min_amount_yuan=min_amount_yuan,
        max_amount_yuan=max_amount_yuan,
        min_rate=min_rate,
        max_rate=max_rate,
        min_term_months=min_term_months,
        max_term_months=max_term_months,
        rule=rule,
        collateral=collateral,
        promise_workdays=promise_workdays,
        decide_workdays=decide_workdays,
        description=description,
    )
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return ProductVersion.objects.create(
            product=locked,
            number=number,
            valid_from=valid_from,
            valid_to=valid_to,
            note=note.strip()[:200],
            submitted_by=actor,
            **terms,
        )


def _lock_submitted(version: ProductVersion, actor: Actor) -> ProductVersion:
    check_office(actor, version.product.institution.jurisdiction_path, "state")
    Product.objects.select_for_update().get(pk=version.product_id)
    locked = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if locked.state != VersionState.SUBMITTED:
        raise ValidationError(
            {"state": _("该版本当前为“%(state)s”，不能审核") % {"state": locked.get_state_display()}}
        )
    return locked


def publish_product_version(
    *, version: ProductVersion, actor: Actor, comment: str = "", at: dt.datetime | None = None
) -> ProductVersion:
    """The office publishes a submitted version (with its comments, if any). A published version
    still running on its first day ends the day before; one starting on or after it cannot be
    overlapped (refused on the first day). From its first day its terms are the product's."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock_submitted(version, actor)
        published = ProductVersion.objects.select_for_update().filter(
            product_id=locked.product_id, state=VersionState.PUBLISHED
        )
        to_end, clash = make_room(published, locked.valid_from, locked.valid_to)
        if clash is not None:
            raise ValidationError({"valid_from": _("与已发布的第 %(n)s 版有效期重叠") % {"n": clash.number}})
        for other in to_end:
            other.valid_to = ending_before(locked.valid_from)
            other.save(update_fields=["valid_to", "updated_at"])
        locked.state = VersionState.PUBLISHED
        locked.review_comment = comment.strip()
        locked.reviewed_by = actor
        locked.reviewed_at = at
        locked.save()
        _apply(locked.product, timezone.localdate(at))
    return locked


def return_product_version(*, version: ProductVersion, actor: Actor, comment: str) -> ProductVersion:
    """The office returns a submitted version to its institution with its comments (required):
    the institution submits a corrected version."""
    comment = required_text(comment, "comment", _("请填写退回意见"))
    with transaction.atomic():
        locked = _lock_submitted(version, actor)
        locked.state = VersionState.RETURNED
        locked.review_comment = comment
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save()
    return locked


def _apply(product: Product, day: dt.date) -> bool:
    """Make the product carry the terms of its version in force on `day` (within the caller's
    transaction): a product whose last version has ended, with none after it, leaves the
    shelf. True when something changed."""
    locked = Product.objects.select_for_update().get(pk=product.pk)
    versions = list(locked.versions.filter(state=VersionState.PUBLISHED))
    current = in_force(versions, day)
    if current is None:
        ended = locked.version is not None and not any(v.valid_from > day for v in versions)
        if ended and locked.state == ProductState.PUBLISHED:
            locked.state = ProductState.WITHDRAWN
            locked.save(update_fields=["state", "updated_at"])
            return True
        return False
    if current.pk == locked.version_id:
        return False
    for name in VERSIONED_TERMS:
        setattr(locked, name, getattr(current, name))
    locked.version = current
    locked.state = ProductState.PUBLISHED
    locked.save()
    return True


def apply_product_versions(*, day: dt.date | None = None) -> int:
    """On `day` (today), every product takes the terms of its published version in force (a
    new version replaces the old on its first day). Idempotent: run it again, nothing changes.
    Answers how many products changed."""
    day = day or timezone.localdate()
    changed = 0
    ids = ProductVersion.objects.filter(state=VersionState.PUBLISHED).values_list("product_id", flat=True)
    for product in Product.objects.filter(pk__in=ids.distinct()).order_by("pk"):
        with transaction.atomic():
            changed += _apply(product, day)
    return changed
