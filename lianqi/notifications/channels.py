"""How a notification leaves Lianqi. Each channel has a `Sender`; the outbox calls `send()` once
per attempt and treats any exception as a failed attempt to retry later. A sender that knows a
retry cannot help (no address at all) raises `Undeliverable` so the row is given up at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from django.core.mail import send_mail

from lianqi.core.sms import DEFAULT_SMS_SENDER, LogSmsSender, Undeliverable, configured_sender, sms_phone

from .models import Channel, Notification

logger = logging.getLogger("lianqi.notifications")

# The SMS sender is configured once for the whole project (`lianqi.core.sms`); its names stay
# importable from here, where settings and tests have long named them.
__all__ = ["DEFAULT_SMS_SENDER", "LogSmsSender", "Undeliverable", "sender_for", "sms_phone"]


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


def _configured_sms_sender() -> Sender:
    return configured_sender()


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
