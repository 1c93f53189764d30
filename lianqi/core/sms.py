"""Text messages (短信) leave Lianqi through one configured sender, whoever sends them: the
outbox's SMS channel (`lianqi.notifications`) and the enterprise's one-time codes (营商码).

A sender is a class with ``send(message)``, named by the `LIANQI_SMS_SENDER` setting; it reads
the message's `address` (or, when that is empty, its `recipient`'s phone), `subject`, `body`
and `link`, and raises on failure (the caller retries or reports it). A message may carry a
`secret` (a one-time code inside its text): a sender hands the whole text to its gateway but
writes only `for_log(message)` anywhere else, so that no code reaches a log in clear.

Plugging in a park's gateway: Aliyun-, Tencent- and most domestic gateways take an HTTPS POST
with the number, a registered signature (签名), a template and its parameters, signed with an
access key. `HttpGatewaySmsSender` below is such a sender for a JSON gateway (settings
`LIANQI_SMS_GATEWAY_URL`, `…_KEY_ID`, `…_KEY_SECRET`, `…_SIGN_NAME`); a gateway with another
request shape is a subclass that overrides `payload()` (and `signature()`), or a class of the
same two-method shape. Its test drives a local fake gateway over real HTTP.

The default, `LogSmsSender`, writes to the log instead (number masked, codes hidden);
`ScreenSmsSender` also keeps the last messages in memory so that the demo can show a code on
the page it was asked from. Production settings refuse both unless `LIANQI_SMS_ALLOW_LOG` is
set (`config/settings/prod.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .privacy import mask_phone

logger = logging.getLogger("lianqi.notifications")

DEFAULT_SMS_SENDER = "lianqi.core.sms.LogSmsSender"
#: Senders that deliver nothing: production refuses them unless explicitly allowed.
NON_DELIVERING_SENDERS = frozenset({DEFAULT_SMS_SENDER, "lianqi.core.sms.ScreenSmsSender"})
HIDDEN = "******"


class Undeliverable(Exception):
    """The message can never be delivered as it stands (for instance, no address)."""


@dataclass
class SmsMessage:
    """A text message that is not kept in the outbox (a one-time code must not sit in a table
    where it could be read back): the same fields a sender reads of an outbox notification,
    and the `secret` its text carries, which must never be logged."""

    address: str
    subject: str
    body: str = ""
    link: str = ""
    recipient: Any = None
    secret: str = ""


class SmsSender(Protocol):
    """Delivers one text message, or raises."""

    def send(self, message: Any) -> None: ...


def sms_phone(message: Any) -> str:
    """The number a message goes to: its address, else its recipient's phone."""
    if message.address:
        return str(message.address)
    recipient = getattr(message, "recipient", None)
    return str(getattr(recipient, "phone", "") or "") if recipient is not None else ""


def sms_text(message: Any) -> str:
    """The whole text the recipient reads: subject, then the link when there is one."""
    return " ".join(part for part in (str(message.subject), str(message.link or "")) if part)


def for_log(message: Any) -> str:
    """What may be written about a message anywhere but the gateway: the number masked and its
    secret, if any, replaced by asterisks."""
    text = sms_text(message)
    secret = str(getattr(message, "secret", "") or "")
    if secret:
        text = text.replace(secret, HIDDEN)
    return f"{mask_phone(sms_phone(message))}: {text}"


def _phone_or_undeliverable(message: Any) -> str:
    phone = sms_phone(message)
    if not phone:
        raise Undeliverable("no phone number")
    return phone


class LogSmsSender:
    """The default sender: writes the message to the log instead of a gateway, with the number
    masked and any code hidden. Point `LIANQI_SMS_SENDER` at a gateway's sender in production."""

    def send(self, message: Any) -> None:
        _phone_or_undeliverable(message)
        logger.info("SMS to %s", for_log(message))


class ScreenSmsSender(LogSmsSender):
    """For the demo: logs like `LogSmsSender` and keeps each number's last message in this
    process, so that the page that asked for a one-time code can show it (there is no phone to
    receive it). Never for production."""

    _lock = threading.Lock()
    _last: OrderedDict[str, str] = OrderedDict()
    KEEP = 500

    def send(self, message: Any) -> None:
        super().send(message)
        phone = _phone_or_undeliverable(message)
        with self._lock:
            self._last[phone] = sms_text(message)
            self._last.move_to_end(phone)
            while len(self._last) > self.KEEP:
                self._last.popitem(last=False)

    @classmethod
    def last_text(cls, phone: str) -> str:
        with cls._lock:
            return cls._last.get(phone, "")


class HttpGatewaySmsSender:
    """A sender for an HTTP gateway taking JSON: POSTs ``{"phone", "sign_name", "text",
    "request_id", "key_id", "timestamp"}`` to `LIANQI_SMS_GATEWAY_URL` with the body's
    HMAC-SHA256 under `LIANQI_SMS_GATEWAY_KEY_SECRET` in the `X-Signature` header, and treats
    anything but a 2xx answer whose JSON says ``"code": "OK"`` as a failure. Gateways differ in
    field names and signing: override `payload()` and `signature()` for another one. Errors
    name the number masked and never the text."""

    timeout = 10.0

    @staticmethod
    def setting(name: str) -> str:
        # Read at each send, so that a changed setting takes effect without a restart.
        return str(getattr(settings, f"LIANQI_SMS_GATEWAY_{name}", "") or "")

    def payload(self, phone: str, message: Any) -> dict[str, Any]:
        return {
            "phone": phone,
            "sign_name": self.setting("SIGN_NAME"),
            "text": sms_text(message),
            "request_id": uuid.uuid4().hex,
            "key_id": self.setting("KEY_ID"),
            "timestamp": int(time.time()),
        }

    def signature(self, body: bytes) -> str:
        return hmac.new(self.setting("KEY_SECRET").encode(), body, hashlib.sha256).hexdigest()

    def send(self, message: Any) -> None:
        phone = _phone_or_undeliverable(message)
        url = self.setting("URL")
        if not url:
            raise ConnectionError("LIANQI_SMS_GATEWAY_URL is not set")
        body = json.dumps(self.payload(phone, message), ensure_ascii=False).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "X-Signature": self.signature(body)},
        )
        masked = mask_phone(phone)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise ConnectionError(f"SMS gateway answered {exc.code} for {masked}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ConnectionError(f"SMS gateway unreachable for {masked}: {type(exc).__name__}") from None
        if answer.get("code") != "OK":
            raise ConnectionError(f"SMS gateway refused {masked}: {str(answer.get('code'))[:40]}")


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


def shown_on_screen(phone: str) -> str:
    """The last text sent to `phone` when the configured sender is the demo's on-screen one;
    "" with any real sender."""
    sender = configured_sender()
    return sender.last_text(phone) if isinstance(sender, ScreenSmsSender) else ""
