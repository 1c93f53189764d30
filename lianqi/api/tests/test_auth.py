"""Token authentication: a username and password buy a token; a wrong password, a bad token
and a locked-out account answer in the error shape."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client

from lianqi.core.roles import Role
from lianqi.testing.world import PASSWORD, World


def ask_token(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/api/v1/auth/token/",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def test_token_opens_the_api(world: World) -> None:
    user = world.user(Role.LEADER)
    response = ask_token(Client(), user.username, PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    assert me.json()["jurisdiction"]["code"] == world.home.park.code
    # The same user asking again gets the same token, so existing clients keep working.
    assert ask_token(Client(), user.username, PASSWORD).json()["token"] == token


def test_wrong_password_gets_the_error_shape(world: World) -> None:
    response = ask_token(Client(), world.user(Role.LEADER).username, "not-the-password")
    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid_credentials", "message": "用户名或密码错误"}}


def test_missing_fields_are_named(db: Any) -> None:
    response = Client().post("/api/v1/auth/token/", "{}", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"username", "password"}


def test_inactive_user_gets_no_token(world: World) -> None:
    user = world.user(Role.LEADER)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ask_token(Client(), user.username, PASSWORD).status_code == 400


def test_repeated_failures_lock_the_account_out(world: World) -> None:
    user = world.user(Role.SERVICE_OFFICE)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert ask_token(client, user.username, "wrong-password").status_code == 400
    last = ask_token(client, user.username, "wrong-password")
    assert last.status_code == 429
    # Even the right password is refused while locked out, and the answer stays JSON.
    locked = ask_token(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["error"]["code"] == "locked_out"


def test_a_success_resets_the_failure_count(world: World) -> None:
    user = world.user(Role.LEADER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        ask_token(client, user.username, "wrong-password")
    assert ask_token(client, user.username, PASSWORD).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        ask_token(client, user.username, "wrong-password")
    assert ask_token(client, user.username, PASSWORD).status_code == 200


def test_bad_token_is_a_401(db: Any) -> None:
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(world: World) -> None:
    user = world.user(Role.SERVICE_OFFICE)
    url = f"/api/v1/enterprises/{world.home.enterprise.pk}/"
    body = json.dumps({"address": "湘潭高新区芙蓉路1号"})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.patch(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    token = ask_token(Client(), user.username, PASSWORD).json()["token"]
    script = Client(enforce_csrf_checks=True)
    accepted = script.patch(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    assert accepted.status_code == 200


def test_me_lists_roles_and_staff(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.LIAISON))
    body = client.get("/api/v1/me/").json()
    assert body["roles"] == [{"code": "liaison", "label": "联企干部"}]
    assert body["staff"] == {"id": world.home.liaison_staff.pk, "name": world.home.liaison_staff.name}
    assert body["enterprise"] is None
