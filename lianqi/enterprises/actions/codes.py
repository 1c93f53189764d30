"""The enterprise's code (营商码): replacing it, and the one-time codes that confirm the phone of
someone filing through it without an account."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.privacy import mask_phone
from lianqi.core.sms import SmsMessage, send_sms
from lianqi.org.validators import normalise_mobile, validate_mobile

from .. import otp
from ..models import Enterprise, PhoneCode, RetiredCodeToken, new_code_token

logger = logging.getLogger("lianqi.enterprises")


def rotate_code_token(*, enterprise: Enterprise, actor: Actor | None) -> Enterprise:
    """Issue a new code token; the old one keeps answering with a page that says it was
    replaced, so a printed code that was withdrawn is not mistaken for a fake one."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        RetiredCodeToken.objects.create(token=locked.code_token, enterprise=locked, retired_by=actor)
        locked.code_token = new_code_token()
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save(update_fields=["code_token", "updated_at"])
    return locked


def send_phone_code(
    *,
    enterprise: Enterprise,
    name: str,
    phone: str,
    client_address: str = "",
    at: dt.datetime | None = None,
) -> PhoneCode:
    """Send a one-time code to `phone` for someone filing through `enterprise`'s code (no
    account), after checking the number and the resend limits (`otp`: per code and phone with
    backoff, per phone, per `client_address`). The code goes out at
    once through the configured SMS sender, not the notification outbox: the filer is waiting
    for it. Only its hash is stored. A sender that fails undoes the row, so a code that never
    arrived neither counts against the limits nor can be guessed."""
    at = at or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写联系人姓名")})
    phone = normalise_mobile(phone)
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    with transaction.atomic():
        # Locking the enterprise serialises its requests, so two quick clicks cannot both pass
        # the limits below.
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        _check_code_limits(token=locked.code_token, phone=phone, client_address=client_address, at=at)
        code = otp.new_code()
        salt = otp.new_salt()
        row = PhoneCode.objects.create(
            enterprise=locked,
            token=locked.code_token,
            phone=phone,
            name=name[:40],
            salt=salt,
            code_hash=otp.hash_code(salt, code),
            created_at=at,
            expires_at=at + otp.CODE_LIFETIME,
            client_address=client_address or None,
        )
        _deliver_code(phone=phone, code=code)
    return row


def _check_code_limits(*, token: str, phone: str, client_address: str, at: dt.datetime) -> None:
    hour = PhoneCode.objects.filter(created_at__gt=at - dt.timedelta(hours=1))
    here = hour.filter(token=token, phone=phone)
    sent = here.count()
    last = here.order_by("-created_at").first()
    if last is not None:
        wait = otp.resend_wait(sent) - (at - last.created_at)
        if wait > dt.timedelta(0):
            raise ValidationError(
                {
                    "phone": _("验证码已发送，请%(seconds)s秒后再重新获取")
                    % {"seconds": math.ceil(wait.total_seconds())}
                }
            )
    if (
        sent >= otp.MAX_PER_TOKEN_PHONE_PER_HOUR
        or hour.filter(phone=phone).count() >= otp.MAX_PER_PHONE_PER_HOUR
    ):
        raise ValidationError({"phone": _("该手机号获取验证码次数过多，请一小时后再试")})
    if client_address and hour.filter(client_address=client_address).count() >= otp.MAX_PER_ADDRESS_PER_HOUR:
        raise ValidationError({"phone": _("当前网络获取验证码过于频繁，请一小时后再试")})


def _deliver_code(*, phone: str, code: str) -> None:
    minutes = int(otp.CODE_LIFETIME.total_seconds() // 60)
    text = _("【联企】您的验证码为 %(code)s，%(minutes)s分钟内有效，仅用于营商码填报诉求，请勿告诉他人。") % {
        "code": code,
        "minutes": minutes,
    }
    # Sent straight through the configured sender, never through the outbox: a one-time code
    # must not sit in a table where it could be read back.
    try:
        send_sms(SmsMessage(address=phone, subject=text, secret=code))
    except Exception as exc:  # any gateway failure; the filer can simply ask again
        # The exception's class only: a gateway's message might quote the text, code and all.
        logger.error("one-time code to %s not sent: %s", mask_phone(phone), type(exc).__name__)
        raise ValidationError({"phone": _("短信发送失败，请稍后重试")}) from exc


_CODE_RE = re.compile(rf"^\d{{{otp.CODE_DIGITS}}}$")


def verify_phone_code(
    *, enterprise: Enterprise, phone: str, code: str, at: dt.datetime | None = None
) -> PhoneCode:
    """Check `code` against the latest code sent to `phone` under the enterprise's current code
    token; a newer code replaces older ones. A wrong guess is counted (and committed) before
    the error is raised; after `otp.MAX_ATTEMPTS` wrong guesses the code is dead."""
    at = at or timezone.now()
    phone = normalise_mobile(phone)
    code = (code or "").strip()
    if not _CODE_RE.match(code):
        raise ValidationError({"code": _("请输入%(n)s位数字验证码") % {"n": otp.CODE_DIGITS}})
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(token=enterprise.code_token, phone=phone)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.confirmed_at is not None:
            error = _("请先获取验证码")
        elif row.expires_at <= at:
            error = _("验证码已过期，请重新获取")
        elif row.attempts >= otp.MAX_ATTEMPTS:
            error = _("验证码错误次数过多，已失效，请重新获取")
        elif otp.code_matches(row.salt, row.code_hash, code):
            row.confirmed_at = at
            row.save(update_fields=["confirmed_at"])
            return row
        else:
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = otp.MAX_ATTEMPTS - row.attempts
            if left:
                error = _("验证码错误，还可尝试%(n)s次") % {"n": left}
            else:
                error = _("验证码错误次数过多，已失效，请重新获取")
    # Raised outside the transaction so that the counted attempt stays counted.
    raise ValidationError({"code": error})
