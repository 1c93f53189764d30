"""Login, lockout, password change and logout as a user meets them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.world import PASSWORD, World

ADDRESS_X = "203.0.113.10"
ADDRESS_Y = "198.51.100.20"


def attempt(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_phone_friendly(db: object) -> None:
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in html
    assert 'autocomplete="username"' in html and 'autocapitalize="none"' in html
    assert 'autocomplete="current-password"' in html


def test_right_password_logs_in_and_wrong_one_says_so(world: World) -> None:
    username = world.user(Role.LEADER).username
    ok = attempt(ADDRESS_X, username, PASSWORD)
    assert ok.status_code == 302 and ok["Location"] == reverse("home")
    bad = attempt(ADDRESS_X, username, "wrong-password")
    assert bad.status_code == 200
    assert bad.context["form"].non_field_errors()


def test_lockout_is_per_username_and_address(world: World) -> None:
    alice = world.user(Role.LIAISON).username
    bob = world.user(Role.LEADER).username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(ADDRESS_X, alice, "wrong-password")

    locked = attempt(ADDRESS_X, alice, PASSWORD)
    assert locked.status_code in (403, 429)
    assert 'data-testid="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session

    assert attempt(ADDRESS_Y, alice, PASSWORD).status_code == 302
    assert attempt(ADDRESS_X, bob, PASSWORD).status_code == 302
    # Still locked from X after the others logged in.
    assert attempt(ADDRESS_X, alice, PASSWORD).status_code in (403, 429)


def test_success_resets_the_failure_count(world: World) -> None:
    username = world.user(Role.SERVICE_OFFICE).username
    below = settings.AXES_FAILURE_LIMIT - 1
    for _ in range(below):
        attempt(ADDRESS_X, username, "wrong-password")
    assert attempt(ADDRESS_X, username, PASSWORD).status_code == 302
    for _ in range(below):
        attempt(ADDRESS_X, username, "wrong-password")
    # Without the reset this would be failure number 2 × (limit − 1) ≥ limit.
    assert attempt(ADDRESS_X, username, PASSWORD).status_code == 302


def test_admin_unlock_lets_the_user_back_in(world: World) -> None:
    target = world.user(Role.LIAISON)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(ADDRESS_X, target.username, "wrong-password")
    assert attempt(ADDRESS_X, target.username, PASSWORD).status_code in (403, 429)

    admin = Client()
    admin.force_login(world.user(Role.ADMIN))
    listing = admin.get(reverse("accounts:users"), {"q": target.username}).content.decode()
    assert 'data-testid="locked"' in listing
    response = admin.post(reverse("accounts:user_unlock", args=[target.pk]))
    assert response.status_code == 302
    assert attempt(ADDRESS_X, target.username, PASSWORD).status_code == 302


def test_password_change_validates_and_works(world: World) -> None:
    user = world.user(Role.LIAISON)
    client = Client()
    client.force_login(user)
    url = reverse("password_change")
    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": "Qz7!long-enough", "new_password2": "Qz7!long-enough"}
    )
    assert wrong_old.context["form"].errors["old_password"]
    too_short = client.post(url, {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert too_short.context["form"].errors["new_password2"]
    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Qz7!long-enough", "new_password2": "Qz7!long-enough"},
    )
    assert done["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Qz7!long-enough")


def test_password_change_needs_login(db: object) -> None:
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logout_is_post_only(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.LEADER))
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200  # still logged in
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302
