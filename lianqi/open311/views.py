"""The Open311 GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2/) under
/open311/v2/. The service list and definitions are public; every request endpoint needs an
`api_key` (see docs/open311.md for why, and for how an enterprise is named on a new request).
Errors take the specification's shape in the requested format."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from lianqi.core.workdays import SHANGHAI
from lianqi.demands.actions import submit_demand
from lianqi.demands.choices import Channel
from lianqi.enterprises import creditcode
from lianqi.enterprises.models import Enterprise

from . import actions, permissions, queries, renderers
from .models import Open311Key

#: The longest window `requests` answers for, and the default one (the specification's 90 days).
MAX_WINDOW = dt.timedelta(days=90)
#: The most requests one answer lists, newest first.
MAX_RESULTS = 1000
#: The longest description the specification allows.
MAX_DESCRIPTION = 4000


class Open311Error(Exception):
    """An answer in the specification's error format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _key_from_request(request: HttpRequest) -> str:
    """The `api_key` parameter, or the user name of HTTP Basic authentication (for clients that
    send a key only with POST: the key goes in the endpoint URL, `https://KEY:@host/…`)."""
    raw = request.POST.get("api_key") or request.GET.get("api_key") or ""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not raw and header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        raw = decoded.split(":", 1)[0]
    return raw.strip()


def _contact_name(first: str, last: str) -> str:
    """The contact's name as it is written: a Chinese name family name first (王伟), others
    given name first (John Smith)."""
    first, last = first.strip(), last.strip()
    if first and last and all("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return last + first
    return " ".join(p for p in (first, last) if p)


def _ids(raw: str, name: str) -> list[int]:
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values or not all(v.isdigit() and len(v) < 19 for v in values):
        raise Open311Error(400, _("%(name)s 应为逗号分隔的数字") % {"name": name})
    return [int(v) for v in values]


def _moment(raw: str, name: str) -> dt.datetime:
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(
            400, _("%(name)s 不是有效的时间，应为 W3C 格式，如 2025-03-01T00:00:00+08:00") % {"name": name}
        )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=SHANGHAI)


@method_decorator(csrf_exempt, name="dispatch")
class Open311View(View):
    """Base of every endpoint: the format suffix, the key, and errors in the requested format."""

    http_method_names = ["get", "head"]
    needs_key = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = kwargs.pop("fmt", "json")
        if fmt not in renderers.FORMATS:
            return renderers.error("json", 404, _("不支持的格式：%(fmt)s；可用 json 或 xml") % {"fmt": fmt})
        self.fmt = fmt
        try:
            if request.method.lower() not in self.http_method_names:  # type: ignore[union-attr]
                raise Open311Error(405, _("不支持的请求方法：%(method)s") % {"method": request.method})
            self.key = self._authenticate(request) if self.needs_key else None
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as exc:
            return renderers.error(fmt, exc.status, exc.description)

    def _authenticate(self, request: HttpRequest) -> Open311Key:
        raw = _key_from_request(request)
        if not raw:
            raise Open311Error(403, _("缺少 api_key：查询和提交诉求都需要接口密钥"))
        key = actions.authenticate(raw)
        if key is None:
            raise Open311Error(403, _("api_key 无效或已停用"))
        code = (request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()
        if code and code != key.jurisdiction.code:
            raise Open311Error(403, _("该 api_key 不属于辖区 %(code)s") % {"code": code})
        return key

    def respond(self, data: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
        return renderers.respond(self.fmt, data, root=root, item=item, status=status)


class ServiceListView(Open311View):
    """GET services: the demand categories in use."""

    needs_key = False

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = [renderers.service(c) for c in queries.services()]
        return self.respond(rows, root="services", item="service")


class ServiceDefinitionView(Open311View):
    """GET services/{code}: no service has attributes, so every definition is empty."""

    needs_key = False

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        category = queries.service(code)
        if category is None:
            raise Open311Error(404, _("没有这个服务：%(code)s") % {"code": code})
        return self.respond(renderers.service_definition(category), root="service_definition", item=None)


class RequestsView(Open311View):
    """GET requests: the key's demands, filtered as the specification says. POST requests: file
    a new demand."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        assert self.key is not None
        params = request.GET
        if params.get("service_request_id"):
            # The specification: a list of ids overrides every other filter.
            found = queries.requests_by_id(self.key, _ids(params["service_request_id"], "service_request_id"))
        else:
            found = queries.requests_matching(self.key, **self._filters(params))
        rows = [renderers.service_request(d) for d in queries.newest(found, MAX_RESULTS)]
        return self.respond(rows, root="service_requests", item="request")

    def _filters(self, params: Any) -> dict[str, Any]:
        """The list's filters as `queries.requests_matching` takes them; a bad one is a 400."""
        filters: dict[str, Any] = {}
        if params.get("service_code"):
            filters["service_codes"] = _ids(params["service_code"], "service_code")
        if params.get("status"):
            statuses = {s.strip() for s in params["status"].split(",") if s.strip()}
            if not statuses or statuses - {"open", "closed"}:
                raise Open311Error(400, _("status 只能是 open 或 closed"))
            if len(statuses) == 1:
                filters["closed"] = statuses == {"closed"}
        start, end = self._window(params)
        if end < start:
            raise Open311Error(400, _("end_date 不能早于 start_date"))
        if end - start > MAX_WINDOW:
            raise Open311Error(400, _("start_date 与 end_date 相隔不能超过 90 天"))
        return {**filters, "start": start, "end": end}

    @staticmethod
    def _window(params: Any) -> tuple[dt.datetime, dt.datetime]:
        """`start_date`/`end_date`; a missing end is 90 days after the start, a missing start
        90 days before the end, and both missing mean the last 90 days."""
        start = _moment(params["start_date"], "start_date") if params.get("start_date") else None
        end = _moment(params["end_date"], "end_date") if params.get("end_date") else None
        if start is None:
            end = end or timezone.now()
            return end - MAX_WINDOW, end
        return start, end or start + MAX_WINDOW

    def post(self, request: HttpRequest) -> HttpResponse:
        assert self.key is not None
        data = request.POST
        code = (data.get("service_code") or "").strip()
        category = queries.service(code)
        if category is None:
            raise Open311Error(400, _("service_code 无效：%(code)s") % {"code": code})
        enterprise = self._enterprise(data)
        description = data.get("description", "")
        if len(description) > MAX_DESCRIPTION:
            raise Open311Error(400, _("description 不能超过 %(max)s 个字符") % {"max": MAX_DESCRIPTION})
        name = _contact_name(data.get("first_name", ""), data.get("last_name", ""))
        try:
            demand = submit_demand(
                enterprise=enterprise,
                category=category,
                channel=Channel.API,
                description=description,
                actor=None,
                contact_name=name,
                contact_phone=data.get("phone", ""),
            )
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            # The model's field names, in the names an Open311 client sent.
            rename = {"contact_phone": "phone", "category": "service_code", "enterprise": "account_id"}
            text = "；".join(
                f"{rename.get(f, f)}: {'、'.join(m)}" if f else "、".join(m) for f, m in messages.items()
            )
            raise Open311Error(400, text) from exc
        row = {
            "service_request_id": str(demand.pk),
            "service_notice": _("诉求已受理，将按时限交办答复"),
            "account_id": enterprise.credit_code,
        }
        return self.respond([row], root="service_requests", item="request", status=201)

    def _enterprise(self, data: Any) -> Enterprise:
        """The enterprise the new demand is of: the key's own enterprise, or the one whose
        unified social credit code is in `attribute[credit_code]` (or `account_id`)."""
        assert self.key is not None
        raw = (data.get("attribute[credit_code]") or data.get("account_id") or "").strip()
        code = creditcode.normalise(raw) if raw else ""
        if self.key.enterprise is not None:
            if code and code != self.key.enterprise.credit_code:
                raise Open311Error(403, _("该 api_key 只能为所属企业提交诉求"))
            return self.key.enterprise
        if not code:
            raise Open311Error(
                400, _("请在 attribute[credit_code] 或 account_id 中填写企业的统一社会信用代码")
            )
        enterprise = queries.enterprise_in_scope(self.key, code)
        if enterprise is None:
            raise Open311Error(400, _("本辖区没有统一社会信用代码为 %(code)s 的企业") % {"code": code})
        return enterprise


class RequestView(Open311View):
    """GET requests/{id}: one demand, as a list of one (as the specification has it)."""

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        assert self.key is not None
        try:
            demand = permissions.access_service_request(self.key, pk)
        except Http404:
            raise Open311Error(404, _("没有这个诉求：%(id)s") % {"id": pk}) from None
        return self.respond([renderers.service_request(demand)], root="service_requests", item="request")


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other address under /open311/v2/: 404 in the specification's format."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return renderers.error(fmt, 404, _("没有这个接口：%(path)s") % {"path": request.path})
