"""The supermarket under the enterprise's code (`/c/<token>/finance/`): the products serving the
enterprise with its verdict and the reasons. Its own data: the code's default access
(`CodeAccess.MEMBER`) asks for one of its registered phones, confirmed, or its account first.
Applying needs the enterprise's account (the institution reviews a named applicant)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lianqi.enterprises.views.code import CodeTokenMixin

from .. import matching, queries


class CodeProductsView(CodeTokenMixin):
    """`/c/<token>/finance/`: 为我推荐 for the enterprise behind the code."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        products = list(queries.shelf_for_enterprise(self.enterprise))
        fits = matching.fits_for(self.enterprise, products, day=timezone.localdate())
        context = {
            **self.base_context(),
            "eligible": [fit for fit in fits if fit.verdict.value == "eligible"],
            "unknown": [fit for fit in fits if fit.verdict.value == "unknown"],
            "ineligible": [fit for fit in fits if fit.verdict.value == "ineligible"],
            "on_code": True,
        }
        return render(request, "finance/code_for_me.html", context)
