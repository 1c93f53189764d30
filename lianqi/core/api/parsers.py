"""The API's JSON parser: DRF's, with a nesting limit, so that a body nested a thousand levels
deep is a 400 naming the limit instead of a recursion error in the decoder or later in the code
that walks it."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: No request the API documents nests deeper than a few levels; rule files are the deepest.
DEFAULT_MAX_DEPTH = 32


def _too_deep(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` levels (checked without
    recursion, so the check itself cannot overflow the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


class LimitedJSONParser(JSONParser):
    """JSON with at most `LIANQI_API_MAX_JSON_DEPTH` levels of nesting."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = getattr(settings, "LIANQI_API_MAX_JSON_DEPTH", DEFAULT_MAX_DEPTH)
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        # The "JSON parse error - " prefix is DRF's; the error handler shows what follows it.
        too_deep = "JSON parse error - " + _("嵌套超过 %(limit)s 层") % {"limit": limit}
        try:
            data = json.loads(raw.decode(encoding), parse_constant=self._refuse_constant)
        except RecursionError as error:
            # The decoder recurses once per level: nesting near the interpreter's limit.
            raise ParseError(too_deep) from error
        except ValueError as error:  # includes UnicodeDecodeError
            raise ParseError(f"JSON parse error - {error}") from error
        if _too_deep(data, limit):
            raise ParseError(too_deep)
        return data

    @staticmethod
    def _refuse_constant(name: str) -> Any:
        # NaN and Infinity are not JSON; DRF's own parser refuses them too (strict mode).
        raise ValueError(f"{name} is not valid JSON")
