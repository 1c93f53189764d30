"""The home page: one dashboard per role, for later modules to fill."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from lianqi.core.calendar_store import warning_context
from lianqi.core.dashboards import dashboard_for
from lianqi.core.roles import STAFF_ROLES, has_role


class HomeView(LoginRequiredMixin, TemplateView):
    """`/`: the dashboard of every role the user holds."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["dashboard"] = dashboard_for(self.request.user)
        # Deadlines are counted on the holiday table: staff are warned when a year is missing.
        if has_role(self.request.user, STAFF_ROLES):
            context.update(warning_context(at=timezone.localdate(), user=self.request.user))
        return context
