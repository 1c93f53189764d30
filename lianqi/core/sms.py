"""Text messages (短信) leave Lianqi through one configured sender, whoever sends them: the
outbox's SMS channel (`lianqi.notifications`) and the enterprise's one-time codes (营商码).

A sender is a class with ``send(message)``, named by the `LIANQI_SMS_SENDER` setting; it reads
the message's `address` (or, when that is empty, its `recipient`'s phone), `subject`, `body`
and `link`, and raises on failure (the caller retries or reports it). A park plugs in its
gateway by writing such a class around the gateway's HTTP call. The default, `LogSmsSender`,
writes to the log instead, with the number masked because logs travel further than the
database does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .privacy import mask_phone

logger = logging.getLogger("lianqi.notifications")

DEFAULT_SMS_SENDER = "lianqi.core.sms.LogSmsSender"


class Undeliverable(Exception):
    """The message can never be delivered as it stands (for instance, no address)."""


@dataclass
class SmsMessage:
    """A text message that is not kept in the outbox (a one-time code must not sit in a table
    where it could be read back): the same fields a sender reads of an outbox notification."""

    address: str
    subject: str
    body: str = ""
    link: str = ""
    recipient: Any = None


class SmsSender(Protocol):
    """Delivers one text message, or raises."""

    def send(self, message: Any) -> None: ...


def sms_phone(message: Any) -> str:
    """The number a message goes to: its address, else its recipient's phone."""
    if message.address:
        return str(message.address)
    recipient = getattr(message, "recipient", None)
    return str(getattr(recipient, "phone", "") or "") if recipient is not None else ""


class LogSmsSender:
    """The default sender: writes the message to the log instead of a gateway, with the number
    masked. Point `LIANQI_SMS_SENDER` at a gateway's sender in production."""

    def send(self, message: Any) -> None:
        phone = sms_phone(message)
        if not phone:
            raise Undeliverable("no phone number")
        logger.info("SMS to %s: %s %s", mask_phone(phone), message.subject, message.link)


@cache
def _sender(path: str) -> SmsSender:
    sender: SmsSender = import_string(path)()
    return sender


def configured_sender() -> SmsSender:
    """The sender `LIANQI_SMS_SENDER` names (read on every use, so a changed setting takes
    effect)."""
    return _sender(getattr(settings, "LIANQI_SMS_SENDER", DEFAULT_SMS_SENDER))


def send_sms(message: Any) -> None:
    """Send one text message through the configured sender (raises what the sender raises)."""
    configured_sender().send(message)
