"""The one-time code that confirms the phone of someone filing through an enterprise's code:
only a keyed hash is stored, codes expire, wrong guesses are limited, resends are throttled
per phone and per code token, and the code reaches the SMS sender at once. Time is passed
explicitly throughout."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

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


def test_the_log_sender_masks_the_number_but_keeps_the_code_readable(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lianqi.notifications")
    with override_settings(LIANQI_SMS_SENDER="lianqi.notifications.channels.LogSmsSender"):
        send(world.home.enterprise, AT)
    [record] = [r for r in caplog.records if r.name == "lianqi.notifications"]
    text = record.getMessage()
    assert "139****5678" in text and PHONE not in text
    assert re.search(r"验证码为 \d{6}", text)


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


def test_at_most_five_codes_per_phone_in_an_hour(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    for i in range(otp.MAX_PER_PHONE_PER_HOUR):
        send(enterprise, AT + dt.timedelta(minutes=2 * i))
    with pytest.raises(ValidationError) as exc:
        send(enterprise, AT + dt.timedelta(minutes=30))
    assert "该手机号获取验证码次数过多" in error_of(exc, "phone")
    # The limit follows the phone to another enterprise's code too.
    with pytest.raises(ValidationError):
        send(world.other.enterprise, AT + dt.timedelta(minutes=31))
    send(enterprise, AT + dt.timedelta(minutes=60, seconds=1))  # the first has left the hour
    assert len(sms.outbox) == otp.MAX_PER_PHONE_PER_HOUR + 1


def test_at_most_ten_codes_per_code_token_in_an_hour(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    for i in range(otp.MAX_PER_TOKEN_PER_HOUR):
        send(enterprise, AT + dt.timedelta(minutes=i), phone=f"1390000{i:04d}")
    with pytest.raises(ValidationError) as exc:
        send(enterprise, AT + dt.timedelta(minutes=20), phone="13700000000")
    assert "本企业获取验证码过于频繁" in error_of(exc, "phone")
    # Another enterprise's code is not affected.
    send(world.other.enterprise, AT + dt.timedelta(minutes=20), phone="13700000000")


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
