"""A product's admission criteria through the rule engine, for one enterprise: the verdict and
the reasons in words, with the enterprise's figure (met, not met, unknown for lack of data)."""

from __future__ import annotations

from django.utils import timezone

from lianqi.enterprises.models import Enterprise
from lianqi.rules import Verdict
from lianqi.testing.world import World

from .. import matching
from .factories import give_revenue, product_of, product_rule


def test_the_verdict_follows_the_figures_and_says_why(world: World) -> None:
    today = timezone.localdate()
    product = product_of(world.home)
    enterprise = world.home.enterprise

    unknown = matching.fit_for(enterprise, product, day=today)
    assert unknown.verdict is Verdict.UNKNOWN

    give_revenue(world.home, today.year - 1, 800)
    failing = matching.fit_for(enterprise, product, day=today)
    assert failing.verdict is Verdict.INELIGIBLE
    assert any("800" in line and "1000" in line for line in failing.words.lines())

    give_revenue(world.home, today.year - 1, 1200)
    fit = matching.fit_for(enterprise, product, day=today)
    assert fit.verdict is Verdict.ELIGIBLE and fit.eligible


def test_eligible_products_come_first_and_the_jurisdiction_is_counted(world: World) -> None:
    today = timezone.localdate()
    easy = product_of(world.home, code="EASY", rule=product_rule("EASY", 100))
    hard = product_of(world.home, code="HARD", rule=product_rule("HARD", 100_000))
    give_revenue(world.home, today.year - 1, 500)
    fits = matching.fits_for(world.home.enterprise, [hard, easy], day=today)
    assert [fit.product.code for fit in fits] == ["EASY", "HARD"]
    counts = matching.reach([easy, hard], Enterprise.objects.filter(pk=world.home.enterprise.pk), day=today)
    assert counts == {easy.pk: {"eligible": 1, "unknown": 0}, hard.pk: {"eligible": 0, "unknown": 0}}
