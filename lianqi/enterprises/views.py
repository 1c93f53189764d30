"""Pages of the enterprise register: the list with its filters and Excel export, the detail page
with history, figures and contacts, create and edit, and the enterprise's code (营商码) images.
Views stay thin: reads go through `queries`, writes through `actions`."""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from lianqi.core import registry
from lianqi.core.roles import has_role
from lianqi.core.scoping import get_object_or_404_scoped
from lianqi.core.views import RoleRequiredMixin, paginate, url_if_allowed, xlsx_download
from lianqi.org.models import Jurisdiction, Staff

from . import actions, exporting, permissions, qr
from .choices import EnterpriseKind, EnterpriseStatus
from .filters import EnterpriseFilter
from .forms import ContactForm, EnterpriseForm, YearFigureForm, jurisdictions_for, staff_for
from .models import Contact, Enterprise, Tag
from .queries import enterprise_list

SORT_LABELS = {
    "name": gettext_lazy("名称 ↑"),
    "-name": gettext_lazy("名称 ↓"),
    "founded": gettext_lazy("成立日期 ↑"),
    "-founded": gettext_lazy("成立日期 ↓"),
    "capital": gettext_lazy("注册资本 ↑"),
    "-capital": gettext_lazy("注册资本 ↓"),
    "employees": gettext_lazy("从业人数 ↑"),
    "-employees": gettext_lazy("从业人数 ↓"),
    "updated": gettext_lazy("更新时间 ↑"),
    "-updated": gettext_lazy("更新时间 ↓"),
}

#: Query parameters of the list that are not filters.
_PAGING_PARAMS = ("page", "size")


def filtered_enterprises(request: HttpRequest) -> tuple[EnterpriseFilter, QuerySet[Enterprise], list[str]]:
    """The list's rows for the request's filters. A filter with a bad value is dropped with a
    message naming it, and the other filters still apply, so a mistyped link never empties the
    page or fails."""
    params: QueryDict = request.GET.copy()
    for name in _PAGING_PARAMS:
        params.pop(name, None)
    filterset, queryset = enterprise_list(request.user, params)
    problems: list[str] = []
    if not filterset.is_valid():
        for name, errors in filterset.errors.items():
            field = filterset.form.fields.get(name)
            label = field.label if field is not None else name
            problems.append(
                _("筛选条件“%(label)s”无效，已忽略：%(error)s") % {"label": label, "error": errors[0]}
            )
            params.pop(name, None)
        filterset, queryset = enterprise_list(request.user, params)
    return filterset, queryset, problems


def options_html(choices: Any, selected: str | None) -> str:
    """`<option>` tags for a filter select, built in one pass: a park's list of 500 liaisons
    rendered through the template language costs more than the query behind it."""
    # The standard library's escape (what Django's wraps, lazily): `format_html` per option
    # costs several times as much, and a liaison select has hundreds.
    return mark_safe(
        "".join(
            f'<option value="{html.escape(str(value))}"{" selected" if str(value) == selected else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )


class EnterpriseListView(RoleRequiredMixin, View):
    """The register: search, filters, sorting and pages. An htmx request gets only the table,
    so the filter form refreshes it in place; without JavaScript the form submits normally."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset, problems = filtered_enterprises(request)
        context = paginate(request, queryset)
        rows = list(context["object_list"])
        prefetch_related_objects(rows, Prefetch("tags", queryset=Tag.objects.order_by("order", "name")))
        context.update(
            rows=rows,
            problems=problems,
            params=request.GET,
            export_query=context["query_string"],
            can_edit=permissions.can_edit(request.user),
        )
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            response = render(request, "enterprises/list_table.html", context)
        else:
            get = request.GET.get
            jurisdictions = jurisdictions_for(request.user).values_list("code", "name")
            staff = staff_for(request.user).select_related(None).values_list("pk", "name")
            context.update(
                kind_options=options_html(EnterpriseKind.choices, get("kind")),
                status_options=options_html(EnterpriseStatus.choices, get("status")),
                tag_options=options_html(
                    Tag.objects.order_by("order", "name").values_list("pk", "name"), get("tag")
                ),
                jurisdiction_options=options_html(jurisdictions, get("jurisdiction")),
                liaison_options=options_html(staff, get("liaison")),
                sort_options=options_html(SORT_LABELS.items(), get("sort")),
            )
            response = render(request, "enterprises/list.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class EnterpriseExportView(RoleRequiredMixin, View):
    """The filtered list as an .xlsx file in the import columns."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        _filterset, queryset, _problems = filtered_enterprises(request)
        content = exporting.export_workbook(queryset)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_download(content, f"{_('企业名录')}-{stamp}.xlsx")


def _scoped(request: HttpRequest, pk: Any) -> Enterprise:
    return get_object_or_404_scoped(
        permissions.visible(request.user).select_related(
            "industry", "jurisdiction", "liaison", "liaison__department"
        ),
        pk=pk,
    )


def _display_value(field_name: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return "—"
    choices = getattr(Enterprise._meta.get_field(field_name), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if field_name in names:
        return names[field_name].get(value, str(value))
    return str(value)


def history_entries(enterprise: Enterprise, limit: int = 50) -> list[dict[str, Any]]:
    """The enterprise's field history, newest first: who, when, and each field's old and new
    value (from django-simple-history's `diff_against`)."""
    records = list(
        enterprise.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries: list[dict[str, Any]] = []
    pending: list[tuple[dict[str, Any], list[Any]]] = []
    ids: dict[str, set[Any]] = {"jurisdiction": set(), "liaison": set()}
    for index, record in enumerate(records[:limit]):
        entry: dict[str, Any] = {
            "at": record.history_date,
            "user": record.history_user,
            "type": record.history_type,
            "reason": record.history_change_reason or "",
            "changes": [],
        }
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None and record.history_type == "~":
            changes = record.diff_against(older).changes
            # diff_against skips non-editable fields; the code token is one a reader should
            # still see change (shown as "the code was replaced", never the tokens).
            if record.code_token != older.code_token:
                entry["changes"].append({"label": _("营商码"), "old": _("旧码"), "new": _("已更换")})
            for change in changes:
                if change.field in ids:
                    ids[change.field].update(v for v in (change.old, change.new) if v is not None)
            pending.append((entry, changes))
        entries.append(entry)
    names: dict[str, dict[Any, str]] = {
        "jurisdiction": dict(
            Jurisdiction.objects.filter(pk__in=ids["jurisdiction"]).values_list("pk", "name")
        ),
        "liaison": dict(Staff.objects.filter(pk__in=ids["liaison"]).values_list("pk", "name")),
    }
    for entry, changes in pending:
        for change in changes:
            label = str(getattr(Enterprise._meta.get_field(change.field), "verbose_name", change.field))
            entry["changes"].append(
                {
                    "label": label,
                    "old": _display_value(change.field, change.old, names),
                    "new": _display_value(change.field, change.new, names),
                }
            )
    return entries


def file_sections(user: Any, enterprise: Enterprise) -> list[dict[str, Any]]:
    """The sections the apps add to the enterprise's file (一企一档) that this user's roles may
    see, each with the URL its content loads from (lazily, so the page stays fast)."""
    return [
        {"key": section.key, "title": section.title, "url": reverse(section.url_name, args=[enterprise.pk])}
        for section in registry.enterprise_sections()
        if has_role(user, section.roles)
    ]


def detail_context(request: HttpRequest, enterprise: Enterprise, **forms: Any) -> dict[str, Any]:
    """Everything the detail page shows; `forms` replaces a blank form with a bound one that
    failed, so its errors show next to its fields."""
    user = request.user
    can_edit = permissions.can_edit(user)
    contacts = list(enterprise.contacts.all())
    for contact in contacts:
        contact.enterprise = enterprise
        contact.phone_display = (  # type: ignore[attr-defined]
            contact.phone if permissions.can_see_contact_phone(user, contact) else contact.masked_phone
        )
        edited = forms.get("contact_edit")
        if edited is not None and edited[0] == contact.pk:
            contact.form, contact.open = edited[1], True  # type: ignore[attr-defined]
        else:
            contact.form, contact.open = ContactForm.for_contact(contact), False  # type: ignore[attr-defined]
    figures = list(enterprise.year_figures.order_by("-year"))
    for figure in figures:
        figure.form = YearFigureForm.for_figure(figure)  # type: ignore[attr-defined]
    return {
        "enterprise": enterprise,
        "sections": file_sections(user, enterprise),
        "tags": list(enterprise.tags.order_by("order", "name")),
        "figures": figures,
        "contacts": contacts,
        "liaison_changes": list(
            enterprise.liaison_changes.select_related("from_staff", "to_staff", "actor").order_by(
                "-at", "-pk"
            )
        ),
        "history": history_entries(enterprise),
        "public_url": qr.public_url(request, enterprise),
        "can_edit": can_edit,
        "assign_url": url_if_allowed(user, "liaisons:assign", enterprise.pk),
        "year_form": forms.get("year_form") or YearFigureForm(auto_id="id_newyear_%s"),
        "contact_form": forms.get("contact_form") or ContactForm(auto_id="id_newcontact_%s"),
        "open_form": forms.get("open_form", ""),
    }


class EnterpriseDetailView(RoleRequiredMixin, View):
    """One enterprise: its fields, tags, figures, contacts, liaison and history, and its code."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        return render(request, "enterprises/detail.html", detail_context(request, enterprise))


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put an action's validation errors on the form's matching fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class EnterpriseCreateView(RoleRequiredMixin, View):
    """File a new enterprise (建档)."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        jurisdiction = getattr(request.user, "jurisdiction", None)
        if jurisdiction is not None:
            initial["jurisdiction"] = jurisdiction.pk
        form = EnterpriseForm(user=request.user, initial=initial)
        return render(request, "enterprises/form.html", {"form": form, "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EnterpriseForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                enterprise = actions.create_enterprise(
                    actor=request.user,  # type: ignore[arg-type]
                    credit_code=form.cleaned_data["credit_code"],
                    jurisdiction=form.cleaned_data["jurisdiction"],
                    values=form.values(),
                    tags=form.cleaned_data["tags"],
                    liaison=form.cleaned_data.get("liaison"),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except IntegrityError:
                # Two clerks filed the same code at the same moment: the second one hears why.
                form.add_error("credit_code", _("该统一社会信用代码刚刚已被登记，不能重复建档"))
            else:
                messages.success(request, _("已建档：%(name)s") % {"name": enterprise.name})
                return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]))
        return render(request, "enterprises/form.html", {"form": form, "creating": True})


class EnterpriseEditView(RoleRequiredMixin, View):
    """Change an enterprise's fields and tags."""

    allowed_roles = permissions.EDIT_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        form = EnterpriseForm(user=request.user, instance=enterprise)
        return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        form = EnterpriseForm(request.POST, user=request.user, instance=enterprise)
        if form.is_valid():
            try:
                actions.update_enterprise(
                    enterprise=enterprise,
                    actor=request.user,  # type: ignore[arg-type]
                    values=form.values(),
                    tags=form.cleaned_data["tags"],
                    jurisdiction=form.cleaned_data["jurisdiction"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]))
        return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


def _back_to(enterprise: Enterprise, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]) + f"#{anchor}")


class YearFigureSaveView(RoleRequiredMixin, View):
    """Add a year's figures or correct them (the year picks the row)."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        form = YearFigureForm(request.POST, auto_id="id_newyear_%s")
        if form.is_valid():
            try:
                actions.save_year_figure(
                    enterprise=enterprise,
                    actor=request.user,  # type: ignore[arg-type]
                    year=form.cleaned_data["year"],
                    values=form.values(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("已保存 %(year)d 年度数据") % {"year": form.cleaned_data["year"]})
                return _back_to(enterprise, "figures")
        context = detail_context(request, enterprise, year_form=form, open_form="year")
        return render(request, "enterprises/detail.html", context, status=400)


class ContactSaveView(RoleRequiredMixin, View):
    """Add a contact (no `contact_pk`) or change one."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
        enterprise = _scoped(request, pk)
        contact: Contact | None = None
        if contact_pk is not None:
            contact = get_object_or_404_scoped(enterprise.contacts.all(), pk=contact_pk)
        form = ContactForm(request.POST, auto_id="id_newcontact_%s")
        if form.is_valid():
            try:
                actions.save_contact(
                    enterprise=enterprise,
                    actor=request.user,  # type: ignore[arg-type]
                    values=form.values(),
                    contact=contact,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("已保存联系人 %(name)s") % {"name": form.cleaned_data["name"]})
                return _back_to(enterprise, "contacts")
        if contact is not None:
            form.auto_id = f"id_contact{contact.pk}_%s"
            context = detail_context(request, enterprise, contact_edit=(contact.pk, form))
        else:
            context = detail_context(request, enterprise, contact_form=form, open_form="contact")
        return render(request, "enterprises/detail.html", context, status=400)


class ContactDeleteView(RoleRequiredMixin, View):
    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        contact = get_object_or_404_scoped(enterprise.contacts.all(), pk=contact_pk)
        actions.delete_contact(contact=contact, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已删除联系人 %(name)s") % {"name": contact.name})
        return _back_to(enterprise, "contacts")


class QrSvgView(RoleRequiredMixin, View):
    """The enterprise's code as SVG (sharp at any print size)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        response = HttpResponse(
            qr.svg_bytes(qr.public_url(request, enterprise)), content_type="image/svg+xml"
        )
        if request.GET.get("download"):
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=f"{_('营商码')}-{enterprise.name}.svg"
            )
        return response


class QrPngView(RoleRequiredMixin, View):
    """The enterprise's code as PNG (for chat groups and office software)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        response = HttpResponse(qr.png_bytes(qr.public_url(request, enterprise)), content_type="image/png")
        if request.GET.get("download"):
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=f"{_('营商码')}-{enterprise.name}.png"
            )
        return response


class QrPrintView(RoleRequiredMixin, View):
    """A page to print and post at the enterprise: its name, credit code and code."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        url = qr.public_url(request, enterprise)
        context = {
            "enterprise": enterprise,
            "public_url": url,
            # segno's own output: no user text inside, safe to embed.
            "qr_svg": mark_safe(qr.svg_inline(url, scale=10)),
        }
        return render(request, "enterprises/qr_print.html", context)


class RotateCodeView(RoleRequiredMixin, View):
    """Replace the enterprise's code; the old one then answers that it was replaced."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _scoped(request, pk)
        actions.rotate_code_token(enterprise=enterprise, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("营商码已更换，请重新打印并张贴新码；旧码扫码后会提示已更换"))
        return _back_to(enterprise, "code")
