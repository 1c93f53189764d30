"""The SMS sender interface: a gateway sender against a fake gateway served over real HTTP on
this machine, the demo's on-screen sender, and what may be logged of a message."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from django.test import RequestFactory, override_settings

from lianqi.core import sms
from lianqi.core.http import client_address

SECRET = "gateway-secret"


class FakeGateway(BaseHTTPRequestHandler):
    """Answers like a domestic SMS gateway: checks the signature and answers ``{"code": …}``."""

    received: ClassVar[list[dict[str, Any]]] = []
    answer: ClassVar[tuple[int, dict[str, Any]]] = (200, {"code": "OK"})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("X-Signature", "")):
            status, answer = 403, {"code": "SignatureDoesNotMatch"}
        else:
            self.received.append(json.loads(body))
            status, answer = self.answer
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGateway.received.clear()
    FakeGateway.answer = (200, {"code": "OK"})
    url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    sms._sender.cache_clear()
    try:
        with override_settings(
            LIANQI_SMS_SENDER="lianqi.core.sms.HttpGatewaySmsSender",
            LIANQI_SMS_GATEWAY_URL=url,
            LIANQI_SMS_GATEWAY_KEY_ID="park-key",
            LIANQI_SMS_GATEWAY_KEY_SECRET=SECRET,
            LIANQI_SMS_GATEWAY_SIGN_NAME="联企",
        ):
            yield url
    finally:
        sms._sender.cache_clear()
        server.shutdown()
        server.server_close()


CODE_MESSAGE = sms.SmsMessage(address="13912345678", subject="【联企】您的验证码为 246810", secret="246810")


def test_the_gateway_sender_posts_the_signed_message(gateway: str) -> None:
    sms.send_sms(CODE_MESSAGE)
    [request] = FakeGateway.received
    assert request["phone"] == "13912345678"
    assert request["text"] == "【联企】您的验证码为 246810"
    assert request["sign_name"] == "联企" and request["key_id"] == "park-key"


@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [(200, {"code": "isv.BUSINESS_LIMIT_CONTROL"}, "refused"), (500, {"code": "Error"}, "answered 500")],
)
def test_a_gateway_failure_raises_without_the_text(
    gateway: str, status: int, answer: dict[str, Any], reason: str
) -> None:
    FakeGateway.answer = (status, answer)
    with pytest.raises(ConnectionError) as exc:
        sms.send_sms(CODE_MESSAGE)
    assert reason in str(exc.value)
    assert "139****5678" in str(exc.value)
    assert "246810" not in str(exc.value) and "13912345678" not in str(exc.value)


def test_an_unreachable_gateway_raises(gateway: str) -> None:
    with (
        override_settings(LIANQI_SMS_GATEWAY_URL="http://127.0.0.1:9/nothing-listens-here"),
        pytest.raises(ConnectionError) as exc,
    ):
        sms.send_sms(CODE_MESSAGE)
    assert "unreachable" in str(exc.value)


def test_a_message_for_the_log_hides_the_number_and_the_secret() -> None:
    assert sms.for_log(CODE_MESSAGE) == "139****5678: 【联企】您的验证码为 ******"
    plain = sms.SmsMessage(
        address="13912345678", subject="您有一条诉求待签收", link="https://lianqi.example.cn/d/1/"
    )
    assert sms.for_log(plain) == "139****5678: 您有一条诉求待签收 https://lianqi.example.cn/d/1/"


def test_the_demo_sender_keeps_the_last_text_for_the_page() -> None:
    with override_settings(LIANQI_SMS_SENDER="lianqi.core.sms.ScreenSmsSender"):
        sms.send_sms(CODE_MESSAGE)
        assert "246810" in sms.shown_on_screen("13912345678")
    with override_settings(LIANQI_SMS_SENDER="lianqi.core.sms.LogSmsSender"):
        assert sms.shown_on_screen("13912345678") == ""


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy: the header is the client's own words
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "203.0.113.66, 198.51.100.1", "198.51.100.1"),  # a forged first entry is skipped
        (2, "198.51.100.1, 172.16.0.5", "198.51.100.1"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    proxies: int, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(LIANQI_PROXY_COUNT=proxies):
        assert client_address(request) == expected
