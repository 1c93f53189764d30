"""The register's writes from its pages: filing an enterprise (建档), changing it, and the forms
of its file's own sections (yearly figures, contacts). A refused form comes back with its errors
next to its fields and what was typed (the file page again, for the sections' forms)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.views import RoleRequiredMixin

from .. import actions, permissions
from ..forms import ContactForm, EnterpriseForm, YearFigureForm
from ..models import Contact, Enterprise
from ..permissions import access_contact, access_enterprise
from .detail import detail_page


def back_to(enterprise: Enterprise, anchor: str) -> HttpResponseRedirect:
    """The enterprise's file, at one of its cards."""
    return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]) + f"#{anchor}")


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
                    actor=acting_user(request),
                    credit_code=form.cleaned_data["credit_code"],
                    jurisdiction=form.cleaned_data["jurisdiction"],
                    values=form.values(),
                    tags=form.cleaned_data["tags"],
                    liaison=form.cleaned_data.get("liaison"),
                )
            except ValidationError as error:
                add_action_errors(form, error)
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
        enterprise = access_enterprise(request.user, pk)
        form = EnterpriseForm(user=request.user, instance=enterprise)
        return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = EnterpriseForm(request.POST, user=request.user, instance=enterprise)
        if form.is_valid():
            try:
                actions.update_enterprise(
                    enterprise=enterprise,
                    actor=acting_user(request),
                    values=form.values(),
                    tags=form.cleaned_data["tags"],
                    jurisdiction=form.cleaned_data["jurisdiction"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(reverse("enterprises:detail", args=[enterprise.pk]))
        return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise})


class YearFigureSaveView(RoleRequiredMixin, View):
    """Add a year's figures or correct them (the year picks the row)."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = YearFigureForm(request.POST, auto_id="id_newyear_%s")
        if form.is_valid():
            try:
                actions.save_year_figure(
                    enterprise=enterprise,
                    actor=acting_user(request),
                    year=form.cleaned_data["year"],
                    values=form.values(),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已保存 %(year)d 年度数据") % {"year": form.cleaned_data["year"]})
                return back_to(enterprise, "figures")
        return detail_page(request, enterprise, status=400, year_form=form, open_form="year")


class ContactSaveView(RoleRequiredMixin, View):
    """Add a contact (no `contact_pk`) or change one."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        contact: Contact | None = None
        if contact_pk is not None:
            contact = access_contact(request.user, enterprise, contact_pk)
        form = ContactForm(request.POST, auto_id="id_newcontact_%s")
        if form.is_valid():
            try:
                actions.save_contact(
                    enterprise=enterprise, actor=acting_user(request), values=form.values(), contact=contact
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已保存联系人 %(name)s") % {"name": form.cleaned_data["name"]})
                return back_to(enterprise, "contacts")
        if contact is not None:
            form.auto_id = f"id_contact{contact.pk}_%s"
            return detail_page(request, enterprise, status=400, contact_edit=(contact.pk, form))
        return detail_page(request, enterprise, status=400, contact_form=form, open_form="contact")


class ContactDeleteView(RoleRequiredMixin, View):
    """Remove a contact; the removal is noted in the enterprise's history."""

    allowed_roles = permissions.EDIT_ROLES

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        contact = access_contact(request.user, enterprise, contact_pk)
        actions.delete_contact(contact=contact, actor=acting_user(request))
        messages.success(request, _("已删除联系人 %(name)s") % {"name": contact.name})
        return back_to(enterprise, "contacts")
