"""The enterprise's code (营商码): its images and print page for staff, and the public page the
QR code opens, including what a replaced or unknown code shows."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.enterprises import actions, permissions, qr
from lianqi.enterprises.models import Enterprise
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World


class _CodeContract(ObjectPageContract):
    allowed_roles = permissions.REGISTER_ROLES
    denied_role = Role.ENTERPRISE
    url_name = ""

    def url(self, world: World) -> str:
        return reverse(self.url_name, args=[world.home.enterprise.pk])


class TestQrSvgContract(_CodeContract):
    url_name = "enterprises:qr_svg"


class TestQrPngContract(_CodeContract):
    url_name = "enterprises:qr_png"


class TestQrPrintContract(_CodeContract):
    url_name = "enterprises:qr_print"


class TestRotateContract(ObjectPageContract):
    method = "post"
    allowed_roles = permissions.EDIT_ROLES
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:rotate_code", args=[world.home.enterprise.pk])


def staff_client(world: World, role: str = Role.LIAISON) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def public_url(enterprise: Enterprise) -> str:
    return "http://testserver" + reverse("codes:public", args=[enterprise.code_token])


def test_qr_images_carry_the_public_url(world: World) -> None:
    enterprise = world.home.enterprise
    client = staff_client(world)
    png = client.get(reverse("enterprises:qr_png", args=[enterprise.pk]))
    assert png["Content-Type"] == "image/png"
    assert png.content == qr.png_bytes(public_url(enterprise))
    svg = client.get(reverse("enterprises:qr_svg", args=[enterprise.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content == qr.svg_bytes(public_url(enterprise))
    download = client.get(reverse("enterprises:qr_png", args=[enterprise.pk]), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_print_page_has_name_credit_code_and_call_to_action(world: World) -> None:
    enterprise = world.home.enterprise
    page = staff_client(world).get(reverse("enterprises:qr_print", args=[enterprise.pk])).content.decode()
    assert enterprise.name in page and enterprise.credit_code in page
    assert "扫码联系您的专属服务员" in page and "<svg" in page


def test_public_page_shows_the_liaison_without_login(world: World) -> None:
    enterprise = world.home.enterprise
    response = Client().get(reverse("codes:public", args=[enterprise.code_token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert enterprise.name in page
    assert world.home.liaison_staff.name in page
    assert f'href="tel:{world.home.liaison_staff.phone}"' in page
    # 问卷 shows only while an open campaign takes the enterprise in (visits' own tests).
    for section in ("诉求", "执法检查"):
        assert section in page


def test_public_page_of_an_uncovered_enterprise_says_a_liaison_is_coming(world: World) -> None:
    enterprise = world.home.enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(liaison=None)
    page = Client().get(reverse("codes:public", args=[enterprise.code_token])).content.decode()
    assert "正在为贵企业安排专属服务员" in page


def test_rotated_code_answers_410_without_the_enterprise_name(world: World) -> None:
    enterprise = world.home.enterprise
    old = enterprise.code_token
    staff_client(world, Role.SERVICE_OFFICE).post(reverse("enterprises:rotate_code", args=[enterprise.pk]))
    enterprise.refresh_from_db()
    assert enterprise.code_token != old
    response = Client().get(reverse("codes:public", args=[old]))
    page = response.content.decode()
    assert response.status_code == 410
    assert "已更换" in page and "新的营商码" in page
    assert enterprise.name not in page and world.home.liaison_staff.name not in page
    fresh = Client().get(reverse("codes:public", args=[enterprise.code_token]))
    assert fresh.status_code == 200 and enterprise.name in fresh.content.decode()


def test_unknown_code_answers_404_without_any_enterprise_name(world: World) -> None:
    response: Any = Client().get(reverse("codes:public", args=["not-a-real-token"]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "无法识别" in page
    for enterprise in Enterprise.objects.all():
        assert enterprise.name not in page


def test_rotation_is_shown_in_the_history(world: World) -> None:
    enterprise = world.home.enterprise
    actions.rotate_code_token(enterprise=enterprise, actor=world.user(Role.SERVICE_OFFICE))
    page = staff_client(world).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "营商码" in page and "已更换" in page
    assert enterprise.code_token not in page.split('id="history"')[1]


def test_every_service_the_code_page_announced_is_served_once_its_app_is_installed(world: World) -> None:
    """Core announces the questionnaire and the inspections as "coming" until their apps exist;
    with every app installed, no tile still says so and the inspections are offered once."""
    page = Client().get(reverse("codes:public", args=[world.home.enterprise.code_token])).content.decode()
    assert "即将开放" not in page
    assert page.count('data-entry="inspection"') == 1 and "涉企检查" not in page
