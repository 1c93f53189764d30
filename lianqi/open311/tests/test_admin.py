"""The Django admin changes keys only through the actions: it renames and switches off, it
never deletes, and a scope it may not give is refused next to its field."""

from __future__ import annotations

import pytest
from django.test import Client

from lianqi.core.roles import Role
from lianqi.open311 import actions
from lianqi.open311.models import Open311Key
from lianqi.testing.world import World


@pytest.fixture
def admin_client(world: World) -> Client:
    admin = world.user(Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def test_the_admin_renames_and_switches_off_but_never_deletes(world: World, admin_client: Client) -> None:
    key, raw = actions.create_key(name="12345 热线对接", jurisdiction=world.home.park)
    url = f"/django-admin/open311/open311key/{key.pk}/change/"
    response = admin_client.post(url, {"name": "热线（旧）"})
    assert response.status_code == 302, response.content.decode()
    key.refresh_from_db()
    assert (key.name, key.is_active) == ("热线（旧）", False)
    assert actions.authenticate(raw) is None
    assert (
        admin_client.post(f"/django-admin/open311/open311key/{key.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Open311Key.objects.filter(pk=key.pk).exists()


def test_an_enterprise_outside_the_jurisdiction_is_refused_next_to_its_field(
    world: World, admin_client: Client
) -> None:
    response = admin_client.post(
        "/django-admin/open311/open311key/add/",
        {"name": "企业 ERP", "jurisdiction": world.home.park.pk, "enterprise": world.other.enterprise.pk},
    )
    assert response.status_code == 200
    assert "该企业不在此辖区内" in response.content.decode()
    assert not Open311Key.objects.exists()
