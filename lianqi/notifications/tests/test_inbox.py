"""The inbox page and the bell: a user sees their own in-app messages, unread first, marks
them read one by one or all at once, follows a message to its demand, and nobody reaches
another user's message (404, as if it did not exist)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.notifications import actions
from lianqi.notifications.models import Channel, Notification
from lianqi.testing.contracts import ObjectPageContract, PageContract
from lianqi.testing.world import World

pytestmark = pytest.mark.django_db

ALL_ROLES = tuple(Role)


def delivered(
    user: Any, subject: str, *, link: str = "/demands/1/", key: str = "", minutes_ago: int = 0
) -> Notification:
    """An in-app message already delivered to `user`."""
    when = timezone.now() - dt.timedelta(minutes=minutes_ago)
    note = actions.queue_notification(
        channel=Channel.IN_APP,
        recipient=user,
        subject=subject,
        body="正文",
        link=link,
        dedupe_key=key,
        at=when,
    )
    actions.deliver(note.pk, at=when)
    note.refresh_from_db()
    return note


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestInboxContract(PageContract):
    allowed_roles: ClassVar[tuple[str, ...]] = ALL_ROLES

    def url(self, world: World) -> str:
        return reverse("notifications:inbox")


class TestMarkReadContract(ObjectPageContract):
    """Only the recipient may mark a message read; anyone else, in this park or another, gets 404."""

    method = "post"
    allowed_roles: ClassVar[tuple[str, ...]] = (Role.LIAISON,)
    denied_role = Role.DEPARTMENT_HANDLER
    ok_statuses: ClassVar[tuple[int, ...]] = (302,)

    def url(self, world: World) -> str:
        note = Notification.objects.filter(dedupe_key="contract").first() or delivered(
            world.user(Role.LIAISON), "企业诉求有新进展", key="contract"
        )
        return reverse("notifications:read", args=[note.pk])


def test_inbox_lists_only_my_messages_unread_first(world: World) -> None:
    me, colleague = world.user(Role.LIAISON), world.user(Role.SERVICE_OFFICE)
    old_unread = delivered(me, "较早的未读消息", minutes_ago=60)
    read = delivered(me, "已读消息", minutes_ago=1)
    actions.mark_read(notification=read, user=me, at=timezone.now())
    new_unread = delivered(me, "最新的未读消息")
    delivered(colleague, "别人的消息")

    page = client_for(me).get(reverse("notifications:inbox")).content.decode()
    assert "别人的消息" not in page
    positions = [page.index(s) for s in (new_unread.subject, old_unread.subject, read.subject)]
    assert positions == sorted(positions)
    assert 'data-testid="inbox-unread"' in page and "2 条未读" in page


def test_mark_read_then_open_the_demand(world: World) -> None:
    me = world.user(Role.DEPARTMENT_HANDLER)
    note = delivered(me, "新交办诉求", link="/demands/42/")
    client = client_for(me)
    response = client.post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:inbox")
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None
    # Opening it later keeps the first reading time and goes to the demand.
    response = client.post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == "/demands/42/"
    note.refresh_from_db()
    assert note.read_at == first_read


def test_a_link_off_the_site_is_not_followed(world: World) -> None:
    me = world.user(Role.LIAISON)
    note = delivered(me, "外部链接", link="https://evil.example/phish")
    response = client_for(me).post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:inbox")


def test_another_users_message_is_404_and_stays_unread(world: World) -> None:
    note = delivered(world.user(Role.LIAISON), "联企干部的消息")
    for intruder in (world.user(Role.SERVICE_OFFICE), world.other_user(Role.LIAISON)):
        response = client_for(intruder).post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
        assert response.status_code == 404
    assert (
        client_for(world.user(Role.LIAISON)).get(reverse("notifications:read", args=[note.pk])).status_code
        == 405
    )
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_my_messages(world: World) -> None:
    me, colleague = world.user(Role.LIAISON), world.user(Role.SERVICE_OFFICE)
    delivered(me, "一")
    delivered(me, "二")
    theirs = delivered(colleague, "三")
    response = client_for(me).post(reverse("notifications:read_all"), follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bell_shows_the_unread_count_on_every_page(world: World) -> None:
    me = world.user(Role.ENTERPRISE)
    client = client_for(me)
    home = client.get("/").content.decode()
    assert 'data-testid="inbox-link"' in home and 'data-testid="unread-count"' not in home
    delivered(me, "您的诉求已答复")
    delivered(me, "另一条")
    # An e-mail to the same user is not an inbox message.
    actions.queue_notification(channel=Channel.EMAIL, recipient=me, subject="邮件")
    home = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in home
    client.post(reverse("notifications:read_all"))
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


def test_empty_inbox_says_so(world: World) -> None:
    page = client_for(world.user(Role.LEADER)).get(reverse("notifications:inbox")).content.decode()
    assert "没有消息。" in page and 'data-testid="read-all"' not in page
