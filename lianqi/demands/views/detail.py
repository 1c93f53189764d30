"""A demand's own page: its summary, the timeline of every step, its files, and the buttons of
the steps the user may take now; the form of each step; file download and upload. Views stay
thin: steps go through `dispatch.perform`, files through `actions.add_attachments`, reads come
from `queries`, and the demand is loaded only through `permissions.access_demand`, so anyone
else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core import registry
from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.core.views import RoleRequiredMixin, url_if_allowed
from lianqi.core.views.pickers import PickerView
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed

from .. import actions, dispatch, queries
from ..choices import DemandAction as A
from ..forms.steps import AttachmentForm, DemandActionForm, form_action, staff_label
from ..models import Demand
from ..permissions import access_attachment, access_demand, filer_phone
from ..workflow import WORKFLOW

#: Everyone who may have a demand in view: staff (scoped by `permissions.visible`) and
#: enterprise users with an account (their own demands only).
DETAIL_ROLES: tuple[str, ...] = (*STAFF_ROLES, Role.ENTERPRISE)


def action_links(demand: Demand, user: Any) -> list[dict[str, Any]]:
    """The buttons of the steps the user may take now, one per form (a redo rating shares the
    rating's form), in the table's order."""
    links: list[dict[str, Any]] = []
    seen: set[A] = set()
    for step in WORKFLOW.allowed_actions(demand, user):
        shown = form_action(step)
        if shown in seen:
            continue
        seen.add(shown)
        links.append(
            {
                "action": shown.value,
                "label": shown.label,
                "url": reverse("demands:act", args=[demand.pk, shown.value]),
            }
        )
    return links


def detail_context(request: HttpRequest, demand: Demand, **extra: Any) -> dict[str, Any]:
    """Everything the page shows; `extra` replaces a blank upload form with one that failed."""
    user = acting_user(request)
    context: dict[str, Any] = {
        "demand": demand,
        "contact_phone": filer_phone(user, demand),
        "co_departments": queries.co_departments_of(demand),
        "merged_demands": queries.merged_into_it(demand),
        "events": queries.history(demand),
        "attachments": queries.attachments_of(demand),
        "action_links": action_links(demand, user),
        "enterprise_url": url_if_allowed(user, "enterprises:detail", demand.enterprise_id),
        # Where it came from (the visit that raised it), told by the app that made it.
        "origins": registry.origins_of("demands.Demand", user, demand),
        # Whoever holds a role on the demand may add files (the action checks the same).
        "can_attach": bool(WORKFLOW.roles_for(demand, user)),
        "attach_form": AttachmentForm(),
    }
    context.update(extra)
    return context


class DemandDetailView(RoleRequiredMixin, View):
    """One demand: summary, deadline badges, timeline, files and the allowed steps."""

    allowed_roles = DETAIL_ROLES

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        demand = access_demand(request.user, pk)
        return render(request, "demands/detail.html", detail_context(request, demand))


def refused(request: HttpRequest, demand: Demand, message: str) -> HttpResponse:
    """The answer to a step that may not be taken (or does not exist): 409 with what may be
    done instead, as links, so a stale button or a typed address never ends in an error page."""
    context = {
        "demand": demand,
        "message": message,
        "action_links": action_links(demand, acting_user(request)),
    }
    return render(request, "demands/action_refused.html", context, status=409)


class DemandActView(RoleRequiredMixin, View):
    """The form of one step (GET; an htmx request gets the form alone, to open it inside the
    demand's page) and taking it (POST). A refused step answers 409 with the allowed ones; bad
    input, or a colleague's change in between, shows the form again with what was typed."""

    allowed_roles = DETAIL_ROLES

    def _check(self, request: HttpRequest, demand: Demand, action: str) -> HttpResponse | None:
        if action not in A.values:
            return refused(request, demand, _("没有名为“%(action)s”的操作") % {"action": action})
        try:
            WORKFLOW.check(demand, action, acting_user(request))
        except TransitionNotAllowed as error:
            return refused(request, demand, error.message)
        return None

    def _render(
        self, request: HttpRequest, demand: Demand, form: DemandActionForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {
            "demand": demand,
            "contact_phone": filer_phone(request.user, demand),
            "form": form,
            "action": form.action,
            "action_label": form.action.label,
            "action_url": reverse("demands:act", args=[demand.pk, form.action.value]),
            **extra,
        }
        htmx = getattr(request, "htmx", None)
        if htmx and request.method == "GET":
            return render(request, "demands/action_form.html", context, status=status)
        return render(request, "demands/action.html", context, status=status)

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        demand = access_demand(request.user, pk)
        refusal = self._check(request, demand, action)
        if refusal is not None:
            return refusal
        form = DemandActionForm(demand=demand, action=action, user=acting_user(request))
        return self._render(request, demand, form)

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        demand = access_demand(request.user, pk)
        refusal = self._check(request, demand, action)
        if refusal is not None:
            return refusal
        form = DemandActionForm(request.POST, demand=demand, action=action, user=acting_user(request))
        if not form.is_valid():
            return self._render(request, demand, form, status=400)
        try:
            demand = dispatch.perform(
                demand=demand,
                action=action,
                actor=acting_user(request),
                expected_version=form.cleaned_data["expected_version"],
                data=form.step_data(),
            )
        except TransitionNotAllowed as error:
            return refused(request, demand, error.message)
        except StaleVersion as error:
            # Show the demand as it stands now and keep what was typed; the refreshed version
            # lets the user send it again once they have seen the colleague's change.
            current = access_demand(request.user, pk)
            data = request.POST.copy()
            data["expected_version"] = str(error.current_version)
            form = DemandActionForm(data, demand=current, action=action, user=acting_user(request))
            return self._render(request, current, form, status=409, stale=error.message)
        except ValidationError as error:
            add_action_errors(form, error)
            return self._render(request, demand, form, status=400)
        messages.success(
            request,
            _("已完成“%(action)s”，诉求当前状态：%(state)s")
            % {"action": form.action.label, "state": demand.get_state_display()},
        )
        return HttpResponseRedirect(reverse("demands:detail", args=[demand.pk]))


class DemandAttachmentView(RoleRequiredMixin, View):
    """Download one file of a demand, under its original name. The file is looked up through
    the demand, so a file of a demand the user may not see answers 404."""

    allowed_roles = DETAIL_ROLES

    def get(self, request: HttpRequest, pk: int, aid: int) -> FileResponse:
        attachment = access_attachment(request.user, pk, aid)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


class DemandAttachView(RoleRequiredMixin, View):
    """Add files to a demand. A refused file (type, size, count) is named next to the upload
    field on the demand's page and nothing is stored."""

    allowed_roles = DETAIL_ROLES

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        demand = access_demand(request.user, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = actions.add_attachments(
                    demand=demand, uploads=form.cleaned_data["attachments"], actor=acting_user(request)
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("已上传 %(count)s 个附件") % {"count": len(stored)})
                return HttpResponseRedirect(reverse("demands:detail", args=[demand.pk]) + "#attachments")
        context = detail_context(request, demand, attach_form=form)
        return render(request, "demands/detail.html", context, status=400)


class OwnerPickerView(PickerView):
    """`/demands/pick/owners/?demand=<pk>`: the escalation owner picker's answer, the staff who
    may own the coordination of that demand (`queries.owners_for_demand`, scoped to the user)
    by name or department. A demand the user may not see answers 404, like its page."""

    allowed_roles = STAFF_ROLES
    search_fields = ("name", "department__name")
    ordering = ("department__order", "name", "pk")

    def rows(self, request: HttpRequest) -> Any:
        number = request.GET.get("demand", "")
        if not number.isdigit():
            raise Http404
        demand = access_demand(request.user, number)
        return queries.owners_for_demand(demand, request.user)

    def label(self, obj: Any) -> str:
        return staff_label(obj)
