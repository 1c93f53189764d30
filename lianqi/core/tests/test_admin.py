"""The Django admin shows the rows that have actions but changes none of them: the actions keep
scope, validation and history, and the admin would bypass all three."""

from __future__ import annotations

import pytest
from django.test import Client

from lianqi.accounts.models import User
from lianqi.org.models import Staff
from lianqi.testing.world import World


@pytest.fixture
def superuser_client(world: World) -> Client:
    user = User.objects.create_superuser("root", "root@example.cn", "x-very-long-password")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["org/staff", "org/department", "org/jurisdiction", "accounts/user", "core/job"]
)
def test_rows_with_actions_can_be_browsed_but_not_added(superuser_client: Client, model: str) -> None:
    assert superuser_client.get(f"/django-admin/{model}/").status_code == 200
    assert superuser_client.get(f"/django-admin/{model}/add/").status_code == 403


def test_a_staff_row_opens_read_only_and_a_post_changes_nothing(
    superuser_client: Client, world: World
) -> None:
    staff = world.home.liaison_staff
    url = f"/django-admin/org/staff/{staff.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = superuser_client.post(url, {"name": "改名", "jurisdiction": staff.jurisdiction_id})
    assert response.status_code == 403
    assert Staff.objects.get(pk=staff.pk).name == staff.name
    assert (
        superuser_client.post(f"/django-admin/org/staff/{staff.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Staff.objects.filter(pk=staff.pk).exists()
