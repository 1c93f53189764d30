"""How GeoReport v2 answers look, in both of its formats. A response is built once as plain
Python (a list of dicts, or one dict) and rendered to JSON or to the XML of the specification
(`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lianqi.core.workdays import SHANGHAI
from lianqi.demands.choices import DemandState
from lianqi.demands.models import Category, Demand

FORMATS = ("json", "xml")
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def timestamp(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset, in Shanghai time (the specification's w3 format)."""
    if moment is None:
        return None
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def end_of_day(day: dt.date | None) -> str | None:
    """A reply deadline is a day; it ends at midnight in Shanghai."""
    if day is None:
        return None
    return timestamp(dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI))


def service(category: Category) -> dict[str, Any]:
    """A category as an Open311 service. No service takes extra attributes (metadata false)."""
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": _("企业诉求：%(name)s；答复时限 %(days)s 个工作日")
        % {"name": category.name, "days": category.deadline_workdays},
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": _("企业诉求"),
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": str(category.pk), "attributes": []}


def status_notes(demand: Demand) -> str:
    """What an enterprise would want to read next to the status: the reply and, once closed,
    how it ended; before any reply, where the demand stands."""
    parts = []
    if demand.state == DemandState.CLOSED and demand.outcome:
        parts.append(str(demand.get_outcome_display()))
    if demand.reply:
        parts.append(demand.reply)
    if not parts:
        parts.append(str(demand.get_state_display()))
    return "：".join(parts)


def service_request(demand: Demand) -> dict[str, Any]:
    """A demand as an Open311 service request. There is no location on a demand: the
    enterprise's registered address stands for it, and lat/long are left out."""
    return {
        "service_request_id": str(demand.pk),
        "status": "closed" if demand.state == DemandState.CLOSED else "open",
        "status_notes": status_notes(demand),
        "service_name": demand.category.name,
        "service_code": str(demand.category_id),
        "description": demand.description,
        "agency_responsible": demand.lead_department.name if demand.lead_department else None,
        "service_notice": None,
        "requested_datetime": timestamp(demand.received_at),
        "updated_datetime": timestamp(demand.last_changed_at or demand.received_at),
        "expected_datetime": end_of_day(demand.due_on),
        "address": demand.enterprise.address or None,
        "address_id": None,
        "zipcode": None,
        "media_url": None,
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, fields: dict[str, Any]) -> ET.Element:
    node = ET.Element(tag)
    for name, value in fields.items():
        child = ET.SubElement(node, name)
        if isinstance(value, list):
            # Only a definition's attributes are lists here, and they are always empty.
            continue
        text = _text(value)
        if text is not None:
            child.text = text
    return node


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """`data` as the specification's XML: a list becomes `<root><item>…</item>…</root>`, a dict
    becomes `<root>…</root>`."""
    if item is None:
        tree = _element(root, data)
    else:
        tree = ET.Element(root)
        for row in data:
            tree.append(_element(item, row))
    return ET.tostring(tree, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, data: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type=XML_CONTENT_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error answer: `[{"code": 404, "description": "…"}]` or
    `<errors><error><code>404</code><description>…</description></error></errors>`."""
    return respond(
        fmt, [{"code": status, "description": description}], root="errors", item="error", status=status
    )
