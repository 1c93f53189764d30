"""The one rule of who sees a full phone number (`core.privacy`), role by role and tie by tie,
and the masked mark of an export's header, written and read back."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from openpyxl import load_workbook

from lianqi.core.excel import Column, read_rows, write_workbook
from lianqi.core.privacy import Holder, PhonePolicy, Tie, mask_phone, sees_full_phone
from lianqi.core.roles import Role
from lianqi.testing.world import World

NUMBER = "13912345678"


def test_mask_keeps_the_head_and_the_tail() -> None:
    assert mask_phone(NUMBER) == "139****5678"
    assert mask_phone("12345") == "*****"


@pytest.mark.parametrize("role", [Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN])
@pytest.mark.parametrize("holder", list(Holder))
def test_leader_office_and_admin_see_every_number_of_their_jurisdiction(
    world: World, role: str, holder: Holder
) -> None:
    user = world.user(role)
    assert sees_full_phone(user, holder, path=world.home.park.path)
    # Outside it they are like anyone else: no tie, no number.
    assert not sees_full_phone(user, holder, path=world.other.park.path)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.DEPARTMENT_HANDLER, Role.FINANCE, Role.ENTERPRISE])
@pytest.mark.parametrize("holder", list(Holder))
def test_other_roles_see_numbers_masked_without_a_tie(world: World, role: str, holder: Holder) -> None:
    assert not sees_full_phone(world.user(role), holder, path=world.home.park.path)


@pytest.mark.parametrize(
    ("holder", "tie", "opens"),
    [
        (Holder.STAFF, Tie.SELF, True),
        (Holder.STAFF, Tie.OUR_LIAISON, True),
        # A liaison serving an enterprise does not thereby see their colleagues' numbers.
        (Holder.STAFF, Tie.SERVES, False),
        (Holder.STAFF, Tie.HANDLES, False),
        (Holder.STAFF, Tie.OWN_ENTERPRISE, False),
        (Holder.CONTACT, Tie.OWN_ENTERPRISE, True),
        (Holder.CONTACT, Tie.SERVES, True),
        (Holder.CONTACT, Tie.HANDLES, True),
        (Holder.CONTACT, Tie.SELF, False),
        (Holder.CONTACT, Tie.OUR_LIAISON, False),
    ],
)
def test_ties_open_the_numbers_of_their_holder_only(
    world: World, holder: Holder, tie: Tie, opens: bool
) -> None:
    assert sees_full_phone(world.user(Role.LIAISON), holder, (tie,)) is opens


def test_the_public_sees_only_what_the_code_plate_is_for() -> None:
    anonymous = AnonymousUser()
    assert sees_full_phone(anonymous, Holder.STAFF, (Tie.OUR_LIAISON,))
    assert not sees_full_phone(anonymous, Holder.STAFF)
    assert not sees_full_phone(anonymous, Holder.CONTACT)


def test_policy_shows_masks_and_marks_the_column(world: World) -> None:
    liaison = PhonePolicy(world.user(Role.LIAISON), Holder.STAFF)
    assert liaison.masks_column
    assert liaison.show(NUMBER) == "139****5678"
    assert liaison.show(NUMBER, (Tie.SELF,)) == NUMBER
    assert liaison.show("") == ""
    office = PhonePolicy(world.user(Role.SERVICE_OFFICE), Holder.STAFF)
    assert not office.masks_column
    assert office.show(NUMBER, path=world.home.park.path) == NUMBER


def header_of(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(next(sheet.iter_rows(values_only=True)))


COLUMNS = (Column("name", "姓名", aliases=("Name",)), Column("phone", "手机号", aliases=("Phone",)))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_masked_columns_say_so_in_the_header_and_read_back_empty(language: str) -> None:
    with translation.override(language):
        content = write_workbook(COLUMNS, [("张三", "139****5678")], masked={"phone"})
        marked = translation.gettext("%(title)s（已脱敏）") % {"title": "手机号"}
    assert header_of(content) == ["姓名", marked]
    if language == "zh-hans":
        assert marked == "手机号（已脱敏）"
    # Read back in either language: the column is known, its masked cells are not data.
    with translation.override("zh-hans"):
        total, rows = read_rows(io.BytesIO(content), COLUMNS)
        assert total == 1
        assert list(rows) == [(2, {"name": "张三", "phone": None})]


def test_unmasked_columns_are_written_and_read_as_they_are() -> None:
    content = write_workbook(COLUMNS, [("张三", NUMBER)])
    assert header_of(content) == ["姓名", "手机号"]
    _total, rows = read_rows(io.BytesIO(content), COLUMNS)
    assert list(rows) == [(2, {"name": "张三", "phone": NUMBER})]
