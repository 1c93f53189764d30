"""Serializer pieces shared by every app's API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from lianqi.core.validators import MAX_INTEGER, MIN_INTEGER


class StrictInputMixin:
    """Refuses body keys the serializer does not accept, so a misspelt or read-only field is an
    error the client sees rather than a change silently not made."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            _("未知或不可修改的字段；可提交的字段：%(known)s")
                            % {"known": "、".join(sorted(writable))}
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


def request_user(serializer: serializers.BaseSerializer) -> Any:
    """The user of the request the serializer was given in its context (None without one)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class BoundedIntegerField(serializers.IntegerField):
    """A whole number within `MIN_INTEGER`..`MAX_INTEGER` unless narrower bounds are given:
    the one integer field of every serializer that takes numbers, so that 2**64 in a body is a
    400 naming the field rather than an overflow in the database. The bounds are published in
    the schema."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("min_value") is None:
            kwargs["min_value"] = MIN_INTEGER
        if kwargs.get("max_value") is None:
            kwargs["max_value"] = MAX_INTEGER
        super().__init__(*args, **kwargs)


def blank_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A read-only choice that is "" while not yet set (a demand's outcome before it is closed):
    the schema then lists "" among its values, as the answer gives it."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, **kwargs)


class NamedRefSerializer(serializers.Serializer):
    """A reference to another object: its id and its name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by integer id. DRF's own field would take 1.5 or "1.0" for object 1; an id
    that is not a whole number is an error here."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.strip().isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class CodeField(serializers.SlugRelatedField):
    """A reference by code (an industry's GB/T 4754 code, a jurisdiction's division code). Only
    short plain strings reach the database: PostgreSQL refuses NUL characters outright."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data or len(data) > 64:
            self.fail("invalid")
        return super().to_internal_value(data.strip())
