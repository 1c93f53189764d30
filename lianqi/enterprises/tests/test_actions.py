"""The register's writes for figures, contacts and codes: one row per year, one primary contact,
and every change noted in the enterprise's history with its actor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.enterprises import actions
from lianqi.enterprises.models import Contact, Enterprise, RetiredCodeToken, YearFigure
from lianqi.testing.world import World


def latest_reason(enterprise: Enterprise) -> tuple[str, object]:
    record = enterprise.history.order_by("-history_date", "-history_id").first()
    assert record is not None
    return record.history_change_reason or "", record.history_user


def test_save_year_figure_creates_then_updates_one_row(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    enterprise = world.home.enterprise
    actions.save_year_figure(
        enterprise=enterprise, actor=office, year=2023, values={"revenue": Decimal("10")}
    )
    actions.save_year_figure(
        enterprise=enterprise, actor=office, year=2023, values={"revenue": Decimal("12")}
    )
    figures = YearFigure.objects.filter(enterprise=enterprise)
    assert figures.count() == 1 and figures.get().revenue == Decimal("12")
    assert figures.get().history.count() == 2
    assert latest_reason(enterprise) == ("修改 2023 年度数据", office)


def test_save_year_figure_refuses_overlong_numbers_and_stores_nothing(world: World) -> None:
    with pytest.raises(ValidationError):
        actions.save_year_figure(
            enterprise=world.home.enterprise, actor=None, year=2023, values={"revenue": Decimal("1e20")}
        )
    assert not YearFigure.objects.exists()


def test_only_one_primary_contact(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    enterprise = world.home.enterprise
    first = actions.save_contact(
        enterprise=enterprise, actor=office, values={"name": "甲", "is_primary": True}
    )
    second = actions.save_contact(
        enterprise=enterprise, actor=office, values={"name": "乙", "is_primary": True}
    )
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    assert latest_reason(enterprise) == ("新增联系人 乙", office)


def test_save_contact_cannot_edit_another_enterprises_contact(world: World) -> None:
    stranger = Contact.objects.create(enterprise=world.other.enterprise, name="外人")
    with pytest.raises(Contact.DoesNotExist):
        actions.save_contact(
            enterprise=world.home.enterprise, actor=None, values={"name": "改"}, contact=stranger
        )
    stranger.refresh_from_db()
    assert stranger.name == "外人"


def test_delete_contact_is_noted_in_history(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    contact = Contact.objects.create(enterprise=world.home.enterprise, name="丙")
    actions.delete_contact(contact=contact, actor=office)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert latest_reason(world.home.enterprise) == ("删除联系人 丙", office)


def test_rotate_code_retires_the_old_token(world: World) -> None:
    enterprise = world.home.enterprise
    old = enterprise.code_token
    rotated = actions.rotate_code_token(enterprise=enterprise, actor=world.user(Role.ADMIN))
    assert rotated.code_token != old
    assert RetiredCodeToken.objects.get(token=old).enterprise == enterprise
