"""The supermarket under the enterprise's code (`/c/<token>/finance/`): the products serving the
enterprise with its verdict and the reasons. Its own data: the code's default access
(`CodeAccess.MEMBER`) asks for one of its registered phones, confirmed, or its account first.
Applying needs the enterprise's account (the institution reviews a named applicant)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lianqi.enterprises.views.code import CodeTokenMixin

from .products import for_me_context


class CodeProductsView(CodeTokenMixin):
    """`/c/<token>/finance/`: 为我推荐 for the enterprise behind the code."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context = {**self.base_context(), **for_me_context(request, self.enterprise), "on_code": True}
        return render(request, "finance/code_for_me.html", context)
