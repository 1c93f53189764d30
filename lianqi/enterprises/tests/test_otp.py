"""The one-time code that confirms the phone of someone using an enterprise's code: only a keyed
hash is stored, codes expire, wrong guesses are limited, resends back off per code and phone
and are limited per phone and per client address (never per code, which a stranger could use
up), the code reaches the SMS sender at once and never a log. Time is passed explicitly
throughout."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from lianqi.core.sms import ScreenSmsSender
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises import actions, otp
from lianqi.enterprises.models import Enterprise, PhoneCode
from lianqi.notifications.channels import sms_phone
from lianqi.testing.world import World

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
PHONE = "13912345678"


class RecordingSmsSender:
    """A real SMS sender for tests, in the place of a gateway: keeps each message it is given
    (number, text) so a test reads the code the way the filer would."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, notification: Any) -> None:
        self.outbox.append((sms_phone(notification), notification.subject))


class BrokenSmsSender:
    """A gateway that is down."""

    def send(self, notification: Any) -> None:
        raise ConnectionError("gateway unreachable")


def last_code(phone: str = PHONE) -> str:
    """The code in the last SMS sent to `phone`."""
    text = next(text for number, text in reversed(RecordingSmsSender.outbox) if number == phone)
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)


@pytest.fixture
def sms() -> Iterator[type[RecordingSmsSender]]:
    RecordingSmsSender.outbox.clear()
    with override_settings(LIANQI_SMS_SENDER=f"{__name__}.RecordingSmsSender"):
        yield RecordingSmsSender
    RecordingSmsSender.outbox.clear()


def send(enterprise: Enterprise, at: dt.datetime, phone: str = PHONE, name: str = "张经理") -> PhoneCode:
    return actions.send_phone_code(enterprise=enterprise, name=name, phone=phone, at=at)


def verify(enterprise: Enterprise, code: str, at: dt.datetime, phone: str = PHONE) -> PhoneCode:
    return actions.verify_phone_code(enterprise=enterprise, phone=phone, code=code, at=at)


def error_of(exc: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return " ".join(exc.value.message_dict[field])


def test_the_code_is_sent_at_once_and_only_its_hash_is_stored(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    row = send(enterprise, AT, phone="139 1234 5678")
    code = last_code()
    assert sms.outbox[-1][0] == PHONE  # normalised before sending
    assert row.phone == PHONE and row.name == "张经理"
    assert row.expires_at == AT + dt.timedelta(minutes=10)
    stored = PhoneCode.objects.values().get(pk=row.pk)
    assert all(code not in str(value) for value in stored.values())
    assert otp.code_matches(row.salt, row.code_hash, code)
    assert not otp.code_matches(row.salt, row.code_hash, f"{(int(code) + 1) % 10**6:06d}")


class LeakyBrokenSmsSender:
    """A gateway that fails and quotes the message it was given in its error."""

    def send(self, notification: Any) -> None:
        raise ConnectionError(f"gateway refused: {notification.subject}")


def test_no_code_reaches_a_log_in_clear(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with override_settings(LIANQI_SMS_SENDER="lianqi.core.sms.ScreenSmsSender"):
        send(world.home.enterprise, AT)
        text = ScreenSmsSender.last_text(PHONE)
    code = re.search(r"验证码为 (\d{6})", text)
    assert code is not None, text
    logged = caplog.text
    assert "139****5678" in logged and PHONE not in logged
    assert "验证码为 ******" in logged and code.group(1) not in logged
    # A failing gateway that quotes the text in its error does not carry the code into the log.
    caplog.clear()
    with (
        override_settings(LIANQI_SMS_SENDER=f"{__name__}.LeakyBrokenSmsSender"),
        pytest.raises(ValidationError),
    ):
        send(world.home.enterprise, AT + dt.timedelta(minutes=5), phone="13812345678")
    assert "138****5678" in caplog.text and "ConnectionError" in caplog.text
    assert "验证码为" not in caplog.text


def test_a_bad_number_or_a_missing_name_is_refused_before_anything_is_sent(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    with pytest.raises(ValidationError) as exc:
        send(enterprise, AT, phone="12345")
    assert "请输入11位中国大陆手机号码" in error_of(exc, "phone")
    with pytest.raises(ValidationError) as exc:
        send(enterprise, AT, name="  ")
    assert "请填写联系人姓名" in error_of(exc, "name")
    assert not PhoneCode.objects.exists() and not sms.outbox


def test_the_right_code_confirms_once(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    send(enterprise, AT)
    row = verify(enterprise, last_code(), AT + dt.timedelta(minutes=9))
    assert row.confirmed_at == AT + dt.timedelta(minutes=9)
    with pytest.raises(ValidationError) as exc:
        verify(enterprise, last_code(), AT + dt.timedelta(minutes=9, seconds=30))
    assert "请先获取验证码" in error_of(exc, "code")


def test_a_code_expires_after_ten_minutes(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    send(enterprise, AT)
    with pytest.raises(ValidationError) as exc:
        verify(enterprise, last_code(), AT + dt.timedelta(minutes=10))
    assert "验证码已过期" in error_of(exc, "code")


def test_five_wrong_guesses_kill_the_code(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    row = send(enterprise, AT)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError) as exc:
            verify(enterprise, wrong, AT)
        assert f"验证码错误，还可尝试{left}次" in error_of(exc, "code")
    with pytest.raises(ValidationError) as exc:
        verify(enterprise, wrong, AT)
    assert "错误次数过多" in error_of(exc, "code")
    row.refresh_from_db()
    assert row.attempts == otp.MAX_ATTEMPTS  # each wrong guess was kept despite the error
    with pytest.raises(ValidationError) as exc:
        verify(enterprise, code, AT)  # even the right code no longer works
    assert "错误次数过多" in error_of(exc, "code")
    assert row.confirmed_at is None


def test_a_code_that_is_not_six_digits_is_refused_without_counting(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    row = send(enterprise, AT)
    with pytest.raises(ValidationError) as exc:
        verify(enterprise, "12ab", AT)
    assert "请输入6位数字验证码" in error_of(exc, "code")
    row.refresh_from_db()
    assert row.attempts == 0


def test_resend_waits_sixty_seconds_and_the_new_code_replaces_the_old(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    send(enterprise, AT)
    first = last_code()
    with pytest.raises(ValidationError) as exc:
        send(enterprise, AT + dt.timedelta(seconds=45))
    assert "请15秒后再重新获取" in error_of(exc, "phone")
    assert len(sms.outbox) == 1
    send(enterprise, AT + dt.timedelta(seconds=60))
    second = last_code()
    if first != second:
        with pytest.raises(ValidationError):
            verify(enterprise, first, AT + dt.timedelta(seconds=70))
    assert verify(enterprise, second, AT + dt.timedelta(seconds=80)).confirmed_at is not None


def test_each_resend_waits_twice_as_long_and_five_codes_per_code_and_phone_in_an_hour(
    world: World, sms: Any
) -> None:
    enterprise = world.home.enterprise
    at = AT
    for wait in (60, 120, 240, 480):
        send(enterprise, at)
        with pytest.raises(ValidationError) as exc:
            send(enterprise, at + dt.timedelta(seconds=wait - 1))
        assert "请1秒后再重新获取" in error_of(exc, "phone")
        at += dt.timedelta(seconds=wait)
    send(enterprise, at)  # the fifth, 15 minutes in
    with pytest.raises(ValidationError) as exc:
        send(enterprise, at + dt.timedelta(minutes=30))
    assert "该手机号获取验证码次数过多" in error_of(exc, "phone")
    assert len(sms.outbox) == otp.MAX_PER_TOKEN_PHONE_PER_HOUR
    send(enterprise, AT + dt.timedelta(hours=1, minutes=16))  # the first three have left the hour
    assert len(sms.outbox) == otp.MAX_PER_TOKEN_PHONE_PER_HOUR + 1


def test_one_phone_gets_at_most_eight_codes_an_hour_through_every_code(world: World, sms: Any) -> None:
    home, other = world.home.enterprise, world.other.enterprise
    for step in range(otp.MAX_PER_PHONE_PER_HOUR):  # alternately through two codes
        send(home if step % 2 == 0 else other, AT + dt.timedelta(minutes=5 * step))
    with pytest.raises(ValidationError) as exc:
        send(home, AT + dt.timedelta(minutes=50))
    assert "该手机号获取验证码次数过多" in error_of(exc, "phone")
    assert len(sms.outbox) == otp.MAX_PER_PHONE_PER_HOUR


def test_one_address_gets_at_most_twenty_codes_an_hour(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    for i in range(otp.MAX_PER_ADDRESS_PER_HOUR):
        actions.send_phone_code(
            enterprise=enterprise, name="张三", phone=f"1390000{i:04d}", client_address="203.0.113.7", at=AT
        )
    with pytest.raises(ValidationError) as exc:
        actions.send_phone_code(
            enterprise=enterprise, name="张三", phone="13700000000", client_address="203.0.113.7", at=AT
        )
    assert "当前网络获取验证码过于频繁" in error_of(exc, "phone")
    # The enterprise's own people, on another network, are not held up.
    actions.send_phone_code(
        enterprise=enterprise, name="李经理", phone="13700000000", client_address="198.51.100.9", at=AT
    )


def test_a_stranger_with_the_printed_code_cannot_lock_the_enterprise_out(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    # Forty requests for forty made-up numbers from forty addresses, within one hour …
    for i in range(40):
        actions.send_phone_code(
            enterprise=enterprise,
            name="陌生人",
            phone=f"1370000{i:04d}",
            client_address=f"203.0.113.{i + 1}",
            at=AT + dt.timedelta(seconds=i),
        )
    # … and the enterprise's own contact still gets a code at once.
    actions.send_phone_code(
        enterprise=enterprise,
        name="李经理",
        phone=PHONE,
        client_address="198.51.100.9",
        at=AT + dt.timedelta(minutes=1),
    )
    assert sms.outbox[-1][0] == PHONE


def test_a_failing_gateway_leaves_no_code_behind(world: World) -> None:
    with (
        override_settings(LIANQI_SMS_SENDER=f"{__name__}.BrokenSmsSender"),
        pytest.raises(ValidationError) as exc,
    ):
        send(world.home.enterprise, AT)
    assert "短信发送失败" in error_of(exc, "phone")
    assert not PhoneCode.objects.exists()


def test_a_code_sent_under_a_replaced_token_does_not_confirm_the_new_one(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    send(enterprise, AT)
    rotated = actions.rotate_code_token(enterprise=enterprise, actor=None)
    with pytest.raises(ValidationError) as exc:
        verify(rotated, last_code(), AT + dt.timedelta(minutes=1))
    assert "请先获取验证码" in error_of(exc, "code")


def test_the_session_remembers_a_confirmed_phone_for_two_hours() -> None:
    session: dict[str, Any] = {}
    otp.remember(session, token="abc", name="张经理", phone=PHONE, at=AT)
    found = otp.confirmed_phone(session, token="abc", at=AT + dt.timedelta(hours=1, minutes=59))
    assert found is not None and found.phone == PHONE and found.name == "张经理"
    assert otp.confirmed_phone(session, token="abc", at=AT + dt.timedelta(hours=2)) is None
    assert otp.confirmed_phone(session, token="other", at=AT) is None
    otp.forget(session, token="abc")
    assert otp.confirmed_phone(session, token="abc", at=AT) is None


def test_codes_are_six_digits_with_leading_zeros_kept() -> None:
    codes = {otp.new_code() for _ in range(200)}
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) > 150
    assert any(c.startswith("0") for c in codes)  # 1 in 10 does; missing in 200 is ~1e-9
