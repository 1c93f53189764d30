"""The enterprise's file (一企一档): one card per registered section the user's roles may see,
most loaded after the page by htmx, the register's own and the liaison's drawn with it; each
section's fragment scoped like every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core import registry
from lianqi.core.roles import Role
from lianqi.enterprises import permissions
from lianqi.enterprises.models import Contact, YearFigure
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World

REGISTER = permissions.REGISTER_ROLES


def page(world: World, role: str, pk: int | None = None) -> str:
    client = Client()
    client.force_login(world.user(role))
    response = client.get(reverse("enterprises:detail", args=[pk or world.home.enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section_tag(html: str, key: str) -> str:
    """The opening tag of the section `key` (empty when the page has none)."""
    found = re.search(rf'<section [^>]*data-section="{re.escape(key)}"[^>]*>', html)
    return found.group(0) if found else ""


class TestFiguresSectionContract(ObjectPageContract):
    allowed_roles = REGISTER
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("enterprises:figures_section", args=[world.home.enterprise.pk])


class TestContactsSectionContract(ObjectPageContract):
    allowed_roles = REGISTER
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("enterprises:contacts_section", args=[world.home.enterprise.pk])


def test_every_section_of_the_registry_the_role_may_see_has_its_card(world: World) -> None:
    office, liaison = page(world, Role.SERVICE_OFFICE), page(world, Role.LIAISON)
    for section in registry.enterprise_sections():
        url = reverse(section.url_name, args=[world.home.enterprise.pk])
        for role, html in ((Role.SERVICE_OFFICE, office), (Role.LIAISON, liaison)):
            tag = section_tag(html, section.key)
            if role in section.roles:
                assert tag, (section.key, role)
                assert str(section.title) in html
            else:
                assert not tag and url not in html, (section.key, role)


def test_a_section_shows_for_its_roles_only(world: World) -> None:
    # The test wing's section is for the office, leaders and the administrator, not liaisons.
    sample = next(s for s in registry.enterprise_sections() if s.key == "sample")
    assert Role.LIAISON not in sample.roles
    url = reverse(sample.url_name, args=[world.home.enterprise.pk])
    assert f'hx-get="{url}"' in section_tag(page(world, Role.SERVICE_OFFICE), "sample")
    assert not section_tag(page(world, Role.LIAISON), "sample")


def test_other_sections_load_after_the_page(world: World) -> None:
    html = page(world, Role.LEADER)
    tag = section_tag(html, "sample")
    url = reverse("sample:enterprise_section", args=[world.home.enterprise.pk])
    assert 'class="card mb-3"' in tag and f'hx-get="{url}"' in tag and 'hx-trigger="load"' in tag
    placeholder = html.split(tag, 1)[1].split("</section>", 1)[0]
    assert "data-section-body" in placeholder and "正在加载" in placeholder


def test_the_registers_own_sections_and_the_liaison_come_with_the_page(world: World) -> None:
    enterprise = world.home.enterprise
    YearFigure.objects.create(enterprise=enterprise, year=2024, revenue="5230.00")
    Contact.objects.create(enterprise=enterprise, name="周总", phone="13600000000")
    html = page(world, Role.LIAISON)
    for key in ("enterprises.figures", "enterprises.contacts", "liaisons.history"):
        tag = section_tag(html, key)
        assert tag and "hx-trigger" not in tag, key
    assert "5230.00" in html and "周总" in html
    assert 'data-testid="liaison-name"' in html and world.home.liaison_staff.name in html
    # Sections follow the enterprise's header, in the registry's order.
    order = [m.group(1) for m in re.finditer(r'<section [^>]*data-section="([^"]+)"', html)]
    keys = [s.key for s in registry.enterprise_sections() if Role.LIAISON in s.roles]
    assert order == keys
    assert html.index("基本信息") < html.index("<section ")


def test_the_fragments_are_what_the_page_draws(world: World) -> None:
    enterprise = world.home.enterprise
    Contact.objects.create(enterprise=enterprise, name="李会计", phone="13912345678")
    client = Client()
    client.force_login(world.user(Role.DEPARTMENT_HANDLER))
    fragment = client.get(reverse("enterprises:contacts_section", args=[enterprise.pk])).content.decode()
    assert "<html" not in fragment
    assert "139****5678" in fragment and "13912345678" not in fragment
    assert fragment.strip() in page(world, Role.DEPARTMENT_HANDLER)


@pytest.mark.parametrize("name", ["enterprises:figures_section", "enterprises:contacts_section"])
def test_a_fragment_of_another_park_is_404_even_for_its_roles(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse(name, args=[world.other.enterprise.pk])).status_code == 404
    assert client.get(reverse(name, args=[world.home.enterprise.pk])).status_code == 200


def test_another_apps_section_drawn_with_the_page_is_its_own_fragment(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr("lianqi.enterprises.views.file.DRAWN_WITH_THE_PAGE", ("sample",))
    office = page(world, Role.SERVICE_OFFICE)
    assert "hx-trigger" not in section_tag(office, "sample")
    assert 'data-testid="section-rows"' in office
    # Not drawn any more, the liaison's section loads after the page like any other.
    assert 'hx-trigger="load"' in section_tag(office, "liaisons.history")


def test_a_section_that_does_not_answer_is_left_to_load(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr("lianqi.enterprises.views.file._fragment_of", lambda request, url: None)
    tag = section_tag(page(world, Role.LEADER), "liaisons.history")
    assert 'hx-trigger="load"' in tag
