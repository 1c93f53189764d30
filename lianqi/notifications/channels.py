"""How a notification leaves Lianqi. Each channel has a `Sender`; the outbox calls `send()` once
per attempt and treats any exception as a failed attempt to retry later. A sender that knows a
retry cannot help (no address at all) raises `Undeliverable` so the row is given up at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from lianqi.enterprises.models import mask_phone

from .models import Channel

if TYPE_CHECKING:
    from .models import Notification

logger = logging.getLogger("lianqi.notifications")

DEFAULT_SMS_SENDER = "lianqi.notifications.channels.LogSmsSender"


class Undeliverable(Exception):
    """The notification can never be delivered as it stands (for instance, no address)."""


class Sender(Protocol):
    """Delivers one notification over one channel, or raises."""

    def send(self, notification: Notification) -> None: ...


class InAppSender:
    """In-app messages live in the outbox table itself: delivering one only marks it sent, and
    the recipient reads it from their inbox."""

    def send(self, notification: Notification) -> None:
        if notification.recipient_id is None:
            raise Undeliverable("in-app notification without a recipient user")


class EmailSender:
    """Sends through Django's `send_mail`, so the transport is the `EMAIL_BACKEND` setting."""

    def send(self, notification: Notification) -> None:
        address = notification.address or (notification.recipient.email if notification.recipient else "")
        if not address:
            raise Undeliverable("no email address")
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{notification.link}" if body else notification.link
        send_mail(
            subject=notification.subject,
            message=body,
            from_email=None,
            recipient_list=[address],
            fail_silently=False,
        )


def sms_phone(notification: Notification) -> str:
    """The number an SMS goes to: the explicit address, else the recipient's phone."""
    if notification.address:
        return notification.address
    return notification.recipient.phone if notification.recipient else ""


class LogSmsSender:
    """The default SMS sender: writes the message to the log instead of a gateway, with the
    number masked because logs travel further than the database does. A park plugs in its
    gateway by pointing `LIANQI_SMS_SENDER` at a class with the same `send()`."""

    def send(self, notification: Notification) -> None:
        phone = sms_phone(notification)
        if not phone:
            raise Undeliverable("no phone number")
        logger.info("SMS to %s: %s %s", mask_phone(phone), notification.subject, notification.link)


@cache
def _sms_sender(path: str) -> Sender:
    sender: Sender = import_string(path)()
    return sender


def _configured_sms_sender() -> Sender:
    # Read on every use so that a changed setting (in tests, or after a reload) takes effect.
    return _sms_sender(getattr(settings, "LIANQI_SMS_SENDER", DEFAULT_SMS_SENDER))


SENDERS: dict[str, Callable[[], Sender]] = {
    Channel.IN_APP: InAppSender,
    Channel.EMAIL: EmailSender,
    Channel.SMS: _configured_sms_sender,
}
"""The registry: channel name -> a factory for its sender."""


def sender_for(channel: str) -> Sender:
    """The sender registered for `channel`."""
    try:
        factory = SENDERS[channel]
    except KeyError:
        raise Undeliverable(f"unknown channel {channel!r}") from None
    return factory()
