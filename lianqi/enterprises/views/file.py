"""The enterprise's file (一企一档): the sections the apps register for it
(`lianqi.core.registry.EnterpriseSection`), among them the register's own two, its yearly figures
and its contacts (the forms in them post to `views.register`).

The file page shows one card per section the user's roles may see, in the registry's order.
Most load after the page (htmx asks each section's own scoped URL), so the page stays fast
however many apps add to it. A few are drawn into the page's first response instead
(`DRAWN_WITH_THE_PAGE`): the register's own sections, whose forms post back to the page and
must come back with their errors and what was typed, and the liaison with its history, which
the page has always shown at once. A section drawn with the page is still the section's own
fragment: the register renders its own from the same template and context as their fragment
views, and asks any other app's view for its fragment in this process, as htmx would over HTTP.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from lianqi.core import registry
from lianqi.core.roles import has_role
from lianqi.core.views import RoleRequiredMixin

from .. import permissions, queries
from ..forms import ContactForm, YearFigureForm
from ..models import Enterprise

#: Sections drawn into the file page's first response rather than loaded after it.
DRAWN_WITH_THE_PAGE = ("enterprises.figures", "enterprises.contacts", "liaisons.history")

FIGURES_TEMPLATE = "enterprises/sections/figures.html"
CONTACTS_TEMPLATE = "enterprises/sections/contacts.html"


def figures_context(
    request: HttpRequest, enterprise: Enterprise, refused: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What the figures section shows: each year with its correction form, and the form for a
    new year. `refused` may carry a ``year_form`` that was refused (its errors and values show) and
    ``open_form``."""
    refused = refused or {}
    figures = queries.figures_of(enterprise)
    for figure in figures:
        figure.form = YearFigureForm.for_figure(figure)  # type: ignore[attr-defined]
    return {
        "enterprise": enterprise,
        "figures": figures,
        "can_edit": permissions.can_edit(request.user),
        "year_form": refused.get("year_form") or YearFigureForm(auto_id="id_newyear_%s"),
        "open_form": refused.get("open_form", ""),
    }


def contacts_context(
    request: HttpRequest, enterprise: Enterprise, refused: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What the contacts section shows: each contact (its number masked for a user who may not
    see it) with its edit form, and the form for a new contact. `refused` may carry a refused
    form, which comes back open with its errors: ``contact_form`` for a new contact,
    ``contact_edit`` (contact id, form) for one being changed, and ``open_form``."""
    refused = refused or {}
    edited = refused.get("contact_edit")
    contacts = queries.contacts_of(request.user, enterprise)
    for contact in contacts:
        if edited is not None and edited[0] == contact.pk:
            contact.form, contact.open = edited[1], True  # type: ignore[attr-defined]
        else:
            contact.form, contact.open = ContactForm.for_contact(contact), False  # type: ignore[attr-defined]
    return {
        "enterprise": enterprise,
        "contacts": contacts,
        "can_edit": permissions.can_edit(request.user),
        "contact_form": refused.get("contact_form") or ContactForm(auto_id="id_newcontact_%s"),
        "open_form": refused.get("open_form", ""),
    }


#: The register's own sections: how the page draws each (template and context).
OWN_SECTIONS: dict[
    str, tuple[str, Callable[[HttpRequest, Enterprise, Mapping[str, Any]], dict[str, Any]]]
] = {
    "enterprises.figures": (FIGURES_TEMPLATE, figures_context),
    "enterprises.contacts": (CONTACTS_TEMPLATE, contacts_context),
}


def _fragment_of(request: HttpRequest, url: str) -> SafeString | None:
    """Another app's section, asked of its own view in this process as htmx would ask it over
    HTTP (a GET of its URL by this user); None when it does not answer 200."""
    match = resolve(url)
    inner = copy.copy(request)
    inner.method = "GET"
    inner.GET = QueryDict()
    response = match.func(inner, *match.args, **match.kwargs)
    if response.status_code != 200:
        return None
    # The fragment is HTML that the section's own template escaped.
    return mark_safe(response.content.decode())


def file_sections(request: HttpRequest, enterprise: Enterprise, **refused: Any) -> list[dict[str, Any]]:
    """The file's sections this user's roles may see, in order: key, title, the URL its fragment
    loads from, and `html` for a section drawn with the page (None: htmx loads it). `refused`
    passes refused forms on to the register's own sections (see `figures_context`,
    `contacts_context`)."""
    sections = []
    for section in registry.enterprise_sections():
        if not has_role(request.user, section.roles):
            continue
        url = reverse(section.url_name, args=[enterprise.pk])
        html: SafeString | None = None
        if section.key in DRAWN_WITH_THE_PAGE:
            if section.key in OWN_SECTIONS:
                template, build = OWN_SECTIONS[section.key]
                html = mark_safe(
                    render_to_string(template, build(request, enterprise, refused), request=request)
                )
            else:
                html = _fragment_of(request, url)
        sections.append({"key": section.key, "title": section.title, "url": url, "html": html})
    return sections


class FiguresSectionView(RoleRequiredMixin, View):
    """The yearly figures of an enterprise (section ``enterprises.figures`` of its file)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = permissions.access_enterprise(request.user, pk)
        return render(request, FIGURES_TEMPLATE, figures_context(request, enterprise))


class ContactsSectionView(RoleRequiredMixin, View):
    """The contacts of an enterprise (section ``enterprises.contacts`` of its file)."""

    allowed_roles = permissions.REGISTER_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = permissions.access_enterprise(request.user, pk)
        return render(request, CONTACTS_TEMPLATE, contacts_context(request, enterprise))
