"""New versions of a product: the bank submits one with its first day, the office publishes it
or returns it with its comments, and on its first day its terms replace the old ones (the old
version ends the day before); another bank and another park cannot touch them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.world import World

from .. import actions
from ..choices import ProductState, VersionState
from ..models import Product, ProductVersion
from ..tasks import apply_product_versions
from .factories import product_of, product_rule, rival_bank_user


def terms(product: Product, **changes: Any) -> dict[str, Any]:
    """The product's terms as the version form takes them, with `changes`."""
    return {
        "min_amount_yuan": Decimal("100000"),
        "max_amount_yuan": Decimal("3000000"),
        "min_rate": Decimal("3.45"),
        "max_rate": Decimal("5.20"),
        "min_term_months": 6,
        "max_term_months": 36,
        "rule": product_rule(product.code, 800),
        **changes,
    }


def test_a_version_published_for_a_later_day_replaces_the_terms_on_that_day(world: World) -> None:
    product = product_of(world.home, code="P-LDZJ")
    bank, office = world.user(Role.FINANCE), world.user(Role.SERVICE_OFFICE)
    today = timezone.localdate()
    first = actions.submit_product_version(product=product, actor=bank, valid_from=today, **terms(product))
    first = actions.publish_product_version(version=first, actor=office)
    product.refresh_from_db()
    assert (product.version, product.max_amount_fen, product.min_rate) == (first, 300000000, Decimal("3.45"))

    later = today + dt.timedelta(days=10)
    second = actions.submit_product_version(
        product=product, actor=bank, valid_from=later, **terms(product, max_amount_yuan=Decimal("5000000.01"))
    )
    returned = actions.return_product_version(version=second, actor=office, comment="利率下限请与报价一致")
    assert (returned.state, returned.review_comment) == (VersionState.RETURNED, "利率下限请与报价一致")
    with pytest.raises(ValidationError):
        actions.publish_product_version(version=returned, actor=office)

    third = actions.submit_product_version(
        product=product, actor=bank, valid_from=later, **terms(product, max_amount_yuan=Decimal("5000000.01"))
    )
    actions.publish_product_version(version=third, actor=office, comment="同意")
    first.refresh_from_db()
    assert first.valid_to == later - dt.timedelta(days=1)
    product.refresh_from_db()
    assert product.version == first  # not before its day
    assert actions.apply_product_versions(day=later - dt.timedelta(days=1)) == 0
    assert actions.apply_product_versions(day=later) == 1
    assert actions.apply_product_versions(day=later) == 0  # a second run changes nothing
    product.refresh_from_db()
    assert (product.version_id, product.max_amount_fen) == (third.pk, 500000001)


def test_the_office_s_refusals_are_on_their_fields(world: World) -> None:
    product = product_of(world.home, code="P-LDZJ")
    bank, office = world.user(Role.FINANCE), world.user(Role.SERVICE_OFFICE)
    today = timezone.localdate()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"valid_from": today - dt.timedelta(days=1)}, "valid_from"),
        ({"valid_from": today, "valid_to": today - dt.timedelta(days=1)}, "valid_to"),
        ({"valid_from": today, "max_amount_yuan": Decimal("1.001")}, "max_amount_yuan"),
        ({"valid_from": today, "rule": product_rule("OTHER")}, "rule"),
    ]
    for changes, field in cases:
        with pytest.raises(ValidationError) as refused:
            actions.submit_product_version(product=product, actor=bank, **terms(product, **changes))
        assert field in refused.value.message_dict
    version = actions.submit_product_version(product=product, actor=bank, valid_from=today, **terms(product))
    with pytest.raises(ValidationError) as refused:
        actions.return_product_version(version=version, actor=office, comment=" ")
    assert "comment" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.publish_product_version(version=version, actor=bank)
    with pytest.raises(ValidationError):
        actions.publish_product_version(version=version, actor=world.other_user(Role.SERVICE_OFFICE))
    later = actions.submit_product_version(
        product=product, actor=bank, valid_from=today + dt.timedelta(days=5), **terms(product)
    )
    actions.publish_product_version(version=later, actor=office)
    with pytest.raises(ValidationError) as refused:
        actions.publish_product_version(version=version, actor=office)  # would overlap the later one
    assert "valid_from" in refused.value.message_dict
    assert ProductVersion.objects.filter(state=VersionState.PUBLISHED).count() == 1


def test_the_bank_submits_and_the_office_reviews_on_the_product_page(world: World) -> None:
    product = product_of(world.home, code="P-LDZJ")
    today = timezone.localdate()
    bank = Client()
    bank.force_login(world.user(Role.FINANCE))
    url = reverse("finance:product_version", args=[product.pk])
    page = bank.get(url)
    assert page.status_code == 200 and "P-LDZJ" in page.content.decode()
    data = {
        "valid_from": today.isoformat(),
        "min_amount_yuan": "100000",
        "max_amount_yuan": "99999",
        "min_rate": "3.45",
        "max_rate": "5.2",
        "min_term_months": "6",
        "max_term_months": "36",
        "promise_workdays": "5",
        "decide_workdays": "20",
        "rule": '{"version": 1, "rules": [{"code": "P-LDZJ", "name": "贷", "eligibility": {"all": [{"attribute": "industry", "op": "prefix", "value": ["C"]}]}}]}',
    }
    response = bank.post(url, data)
    assert 'data-error-for="max_amount_yuan"' in response.content.decode()
    assert not ProductVersion.objects.exists()
    response = bank.post(url, {**data, "max_amount_yuan": "3000000"})
    assert response.status_code == 302
    version = ProductVersion.objects.get()
    assert "第 1 版" in bank.get(product.get_absolute_url()).content.decode()

    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    review = reverse("finance:product_version_review", args=[product.pk, 1, "return"])
    office.post(review, {"comment": ""})
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED  # no comment, not returned
    office.post(
        reverse("finance:product_version_review", args=[product.pk, 1, "publish"]), {"comment": "同意发布"}
    )
    version.refresh_from_db()
    product.refresh_from_db()
    assert (version.state, product.version, product.state) == (
        VersionState.PUBLISHED,
        version,
        ProductState.PUBLISHED,
    )
    assert "同意发布" in office.get(product.get_absolute_url()).content.decode()
    # The bank may not review; another bank may not submit; another park does not see it.
    assert (
        bank.post(reverse("finance:product_version_review", args=[product.pk, 1, "publish"])).status_code
        == 403
    )
    rival = Client()
    rival.force_login(rival_bank_user(world))
    assert rival.get(url).status_code in (403, 404)
    assert 'data-testid="versions"' not in rival.get(product.get_absolute_url()).content.decode()
    other = Client()
    other.force_login(world.other_user(Role.SERVICE_OFFICE))
    assert other.get(url).status_code == 404


def test_the_daily_task_applies_the_versions(world: World) -> None:
    product = product_of(world.home, code="P-LDZJ")
    version = actions.submit_product_version(
        product=product, actor=world.user(Role.FINANCE), valid_from=timezone.localdate(), **terms(product)
    )
    ProductVersion.objects.filter(pk=version.pk).update(state=VersionState.PUBLISHED)
    apply_product_versions.call()
    product.refresh_from_db()
    assert product.version_id == version.pk
