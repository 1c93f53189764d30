"""The park's product brochure (企业产品宣传手册): the catalogue by chain and industry, each
firm with its products and its contact's title, as a public page and as a Word document and a PDF, each with a
table of contents. Public means what could be printed on a factory gate: names, products,
address and a contact's title; never a person's phone number."""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.views import document_download
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from .. import queries
from ..documents import brochure_document, brochure_pdf
from ..models import Chain


def _sections(park: Jurisdiction) -> list[dict[str, object]]:
    chains = Chain.objects.filter(jurisdiction_path__startswith=park.path) | Chain.objects.filter(
        home_park=park
    )
    firms = Enterprise.objects.filter(jurisdiction_path__startswith=park.path, status=EnterpriseStatus.ACTIVE)
    return queries.brochure(chains.distinct(), firms)


def _park(code: str) -> Jurisdiction:
    park = Jurisdiction.objects.filter(code=code).first()
    if park is None or park.level not in ("park", "county"):
        raise Http404
    return park


class BrochureView(View):
    """`/market/brochure/<park code>/`: the park's product brochure, public."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        park = _park(code)
        context = {"park": park, "sections": _sections(park)}
        return render(request, "market/brochure.html", context)


class BrochureDocumentView(View):
    """The same brochure as a Word document with a table of contents, public."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        park = _park(code)
        title = _("%(park)s企业产品宣传手册") % {"park": park.name}
        document = brochure_document(title, _sections(park), today=timezone.localdate())
        buffer = io.BytesIO()
        document.save(buffer)
        return document_download(buffer.getvalue(), f"{title}.docx")


class BrochurePdfView(View):
    """The same brochure as a printable PDF (cover, contents with pages), public."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        park = _park(code)
        title = _("%(park)s企业产品宣传手册") % {"park": park.name}
        data = brochure_pdf(title, _sections(park), today=timezone.localdate(), author=park.name)
        return document_download(data, f"{title}.pdf")
