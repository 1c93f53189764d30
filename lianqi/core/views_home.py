"""The home page: one dashboard per role, for later modules to fill."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        from .dashboards import dashboard_for

        context["dashboard"] = dashboard_for(self.request.user)
        return context
