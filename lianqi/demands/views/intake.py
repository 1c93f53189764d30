"""How demands come in (M3, intake): the liaison's phone view of their enterprises and recent
demands, and the one intake form used by liaisons, the service office and enterprise users,
with the likely duplicates shown before anything is submitted. Who may file for which
enterprise is `permissions`' business, the reads are `queries`'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import OFFICE_ROLES, Role
from lianqi.core.views import RoleRequiredMixin, search_query
from lianqi.core.workflow import TransitionNotAllowed
from lianqi.enterprises.models import Enterprise

from .. import actions, queries
from ..choices import DemandState
from ..forms.intake import DemandIntakeForm
from ..models import Demand
from ..permissions import (
    IntakeMode,
    access_intake_enterprise,
    intake_enterprises,
    intake_mode,
)

#: Tabler badge colour of each state, so a liaison sees at a glance what is still open.
STATE_BADGES = {
    DemandState.RECEIVED: "bg-blue-lt",
    DemandState.ASSIGNED: "bg-azure-lt",
    DemandState.SIGNED: "bg-azure-lt",
    DemandState.HANDLING: "bg-yellow-lt",
    DemandState.SENT_BACK: "bg-orange-lt",
    DemandState.REPLIED: "bg-teal-lt",
    DemandState.ESCALATED: "bg-purple-lt",
    DemandState.CLOSED: "bg-green-lt",
}
INTAKE_ROLES = (Role.LIAISON, *OFFICE_ROLES, Role.ENTERPRISE)


def with_badges(demands: Any) -> list[Demand]:
    """The demands, each carrying its state's badge class for the template."""
    rows = list(demands)
    for demand in rows:
        demand.badge = STATE_BADGES.get(demand.state, "bg-secondary-lt")  # type: ignore[attr-defined]
    return rows


class LiaisonHomeView(RoleRequiredMixin, View):
    """`/demands/mine/`. For a liaison, the phone view (我的企业诉求): the enterprises they serve,
    each with its open demands and a button to raise one, and below them the demands they
    recently dealt with. For an enterprise's user, its own demands (我的诉求): the pages under
    the enterprise's code, where the account is proof enough and no SMS code is asked."""

    allowed_roles = (Role.LIAISON, Role.ENTERPRISE)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        user = acting_user(request)
        enterprise = getattr(user, "enterprise", None)
        if getattr(user, "staff", None) is None and enterprise is not None:
            return redirect("codes:demand_list", token=enterprise.code_token)
        staff = getattr(user, "staff", None)
        query = search_query(request)
        enterprises: QuerySet[Enterprise] = Enterprise.objects.none()
        recent: list[Demand] = []
        if staff is not None:
            enterprises = queries.liaison_enterprises(user, staff, query)
            recent = with_badges(queries.liaison_recent(user, staff))
        context = {"staff": staff, "enterprises": enterprises, "recent": recent, "q": query}
        return render(request, "demands/liaison_home.html", context)


class DemandCreateView(RoleRequiredMixin, View):
    """File a new demand (提诉求). A liaison files for their enterprises on a visit, the service
    office registers what came by hotline, roundtable, dispatch meeting or letter for any
    enterprise of its jurisdiction, an enterprise user files for its own enterprise. Likely
    duplicates are shown before submitting; the user may still submit after ticking 仍然提交."""

    allowed_roles = INTAKE_ROLES

    def _setup(self, request: HttpRequest) -> tuple[str, QuerySet[Enterprise]]:
        mode = intake_mode(request.user)
        if mode is None:
            raise PermissionDenied
        return mode, intake_enterprises(request.user, mode)

    def _render(self, request: HttpRequest, form: DemandIntakeForm, **extra: Any) -> HttpResponse:
        if form.mode == IntakeMode.ENTERPRISE and extra.get("enterprise") is None:
            # The enterprise user's form names its own enterprise even after a tampered post.
            extra["enterprise"] = form.fields["enterprise"].queryset.first()  # type: ignore[attr-defined]
        context = {
            "form": form,
            "mode": form.mode,
            "is_office": form.mode == IntakeMode.OFFICE,
            # Browsers cannot be handed back a chosen file: say so rather than lose it silently.
            "files_dropped": request.method == "POST" and bool(request.FILES.getlist("attachments")),
            **extra,
        }
        return render(request, "demands/intake_form.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        mode, enterprises = self._setup(request)
        initial: dict[str, Any] = {}
        chosen = request.GET.get("enterprise")
        if chosen:
            # Another park's (or another liaison's) enterprise is not even acknowledged.
            initial["enterprise"] = access_intake_enterprise(request.user, chosen)
        elif mode == IntakeMode.ENTERPRISE:
            initial["enterprise"] = enterprises.first()
        form = DemandIntakeForm(mode=mode, enterprises=enterprises, initial=initial)
        return self._render(request, form, enterprise=initial.get("enterprise"))

    def post(self, request: HttpRequest) -> HttpResponse:
        mode, enterprises = self._setup(request)
        form = DemandIntakeForm(request.POST, request.FILES, mode=mode, enterprises=enterprises)
        if not form.is_valid():
            return self._render(request, form, enterprise=form.cleaned_data.get("enterprise"))
        data = form.cleaned_data
        enterprise, category = data["enterprise"], data["category"]
        if not data["confirm_duplicate"]:
            duplicates = queries.likely_duplicates(
                enterprise_id=enterprise.pk, category_id=category.pk, description=data["description"]
            )
            if duplicates:
                return self._render(request, form, enterprise=enterprise, duplicates=duplicates, confirm=True)
        try:
            demand = actions.submit_demand(
                enterprise=enterprise,
                category=category,
                channel=form.channel_value(),  # type: ignore[arg-type]
                description=data["description"],
                actor=acting_user(request),
                attachments=data["attachments"],
                solved_on_spot_note=data.get("solved_on_spot_note", ""),
            )
        except ValidationError as exc:
            add_action_errors(form, exc, {"note": "solved_on_spot_note"})
            return self._render(request, form, enterprise=enterprise)
        except TransitionNotAllowed as exc:
            form.add_error("solved_on_spot" if "solved_on_spot" in form.fields else None, exc.message)
            return self._render(request, form, enterprise=enterprise)
        if demand.state == DemandState.CLOSED:
            messages.success(request, _("诉求已登记并当即解决办结"))
        else:
            messages.success(request, _("诉求已提交"))
        if mode == IntakeMode.LIAISON:
            return redirect("demands:liaison_home")
        return redirect("demands:detail", demand.pk)


class DuplicatesView(RoleRequiredMixin, View):
    """The open demands of the same enterprise and category whose text is alike (htmx, while
    the form is being filled in). An enterprise the user may not file for answers 404."""

    allowed_roles = INTAKE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        duplicates: list[Any] = []
        enterprise_pk = request.GET.get("enterprise", "")
        if enterprise_pk:
            enterprise = access_intake_enterprise(request.user, enterprise_pk)
            category = queries.category_or_none(request.GET.get("category", ""))
            description = request.GET.get("description", "").replace("\x00", "").strip()
            if category is not None and description:
                duplicates = queries.likely_duplicates(
                    enterprise_id=enterprise.pk, category_id=category.pk, description=description
                )
        return render(request, "demands/_duplicates.html", {"duplicates": duplicates})


class EnterpriseOptionsView(RoleRequiredMixin, View):
    """The office picker's options for a search text (htmx): the jurisdiction's enterprises
    whose name, credit code or address match, a screenful at a time."""

    allowed_roles = OFFICE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        query = search_query(request, "enterprise_q")
        options = queries.intake_picker(request.user, query)
        return render(request, "demands/intake_enterprise_options.html", {"options": options, "q": query})
