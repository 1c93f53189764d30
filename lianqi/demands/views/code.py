"""The enterprise's own demand pages under its code (营商码), without an account: its demands
and their progress, filing a new one, following one, rating the reply, withdrawing, adding
files. Every page needs a phone confirmed by a one-time code in this browser session (or a
logged-in user of the enterprise): the enterprise's registered phones see all its demands,
any other confirmed phone only those filed from it (`CodeAccess.FILER`). Steps are taken as the
enterprise (``actor=None, enterprise=…``). Nothing here shows a staff member's name or phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from lianqi.core.forms import add_action_errors
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises.views.code import CodeAccess, CodeTokenMixin, CodeViewer

from .. import actions, dispatch, queries
from ..choices import Channel, DemandAction, DemandState
from ..forms.code import AttachForm, DemandCodeForm, RatingForm, WithdrawForm
from ..models import Demand, DemandEvent
from ..permissions import access_enterprise_demand
from ..workflow import WORKFLOW

#: The five stages an enterprise follows, and the stage each state belongs to.
STAGES = (
    gettext_lazy("受理"),
    gettext_lazy("交办"),
    gettext_lazy("办理"),
    gettext_lazy("答复"),
    gettext_lazy("办结"),
)
_STAGE_OF = {
    DemandState.RECEIVED: 0,
    DemandState.ASSIGNED: 1,
    DemandState.SENT_BACK: 1,
    DemandState.ESCALATED: 1,
    DemandState.SIGNED: 2,
    DemandState.HANDLING: 2,
    DemandState.REPLIED: 3,
    DemandState.CLOSED: 4,
}

#: Steps whose note the enterprise may read (the answer it got); other notes (supervision,
#: reasons for sending back, internal instructions) stay with the staff.
_PUBLIC_NOTES = {
    DemandAction.REPLY,
    DemandAction.SOLVE_ON_SPOT,
    DemandAction.CLOSE,
    DemandAction.DECIDE_CLOSE,
    DemandAction.MERGE,
}


def stages(demand: Demand) -> list[dict[str, Any]]:
    current = _STAGE_OF.get(DemandState(demand.state), 0)
    return [{"label": label, "done": i < current, "current": i == current} for i, label in enumerate(STAGES)]


def public_events(demand: Demand) -> list[DemandEvent]:
    """The history as the enterprise may read it, for the shared timeline in its public mode
    (which names departments, never staff): staff-only notes are blanked on these in-memory
    rows, which are never saved."""
    events = queries.history(demand)
    for event in events:
        if not (event.by_enterprise or event.action in _PUBLIC_NOTES):
            event.note = ""
    return events


class _CodeDemandMixin(CodeTokenMixin):
    """The enterprise behind the token, who this browser is for it, and the demands they may
    follow: all of the enterprise's for a member, those filed from the confirmed phone for
    anyone else (another's demand answers 404)."""

    access = CodeAccess.FILER

    def viewer(self) -> CodeViewer:
        viewer = self.contact()
        assert viewer is not None  # `CodeAccess.FILER` let no one else in
        return viewer

    def filed_from(self) -> str | None:
        viewer = self.viewer()
        return None if viewer.member else viewer.phone

    def demands(self) -> QuerySet[Demand]:
        return queries.enterprise_demands(self.enterprise, filed_from=self.filed_from())

    def demand(self, pk: int) -> Demand:
        return access_enterprise_demand(self.enterprise, pk, filed_from=self.filed_from())


class CodeDemandListView(_CodeDemandMixin):
    """`/c/<token>/demands/`: every demand of the enterprise, those awaiting its rating first,
    then the open and the closed ones, each newest first, with its stage, department and
    deadline."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        demands = list(queries.awaited_first(self.demands()))
        context = {
            **self.base_context(),
            "rows": [{"demand": d, "stages": stages(d)} for d in demands],
            "open_count": sum(d.state != DemandState.CLOSED for d in demands),
        }
        return render(request, "demands/code_list.html", context)


class CodeDemandCreateView(_CodeDemandMixin):
    """`/c/<token>/demands/new/`: category, description and files; likely duplicates of an
    open demand are shown first and must be confirmed with “仍然提交”."""

    def show(self, form: DemandCodeForm, **extra: Any) -> HttpResponse:
        return render(self.request, "demands/code_new.html", {**self.base_context(), "form": form, **extra})

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.show(DemandCodeForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        contact = self.viewer()
        form = DemandCodeForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        data = form.cleaned_data
        if not data["confirm_duplicates"]:
            duplicates = queries.likely_duplicates(
                enterprise_id=self.enterprise.pk,
                category_id=data["category"].pk,
                description=data["description"],
                filed_from=self.filed_from(),
            )
            if duplicates:
                return self.show(
                    form, duplicates=[d for d, _score in duplicates], files_dropped=bool(data["attachments"])
                )
        try:
            demand = actions.submit_demand(
                enterprise=self.enterprise,
                category=data["category"],
                channel=Channel.ENTERPRISE_ACCOUNT if contact.account else Channel.ENTERPRISE_CODE,
                description=data["description"],
                actor=contact.account,
                contact_name=contact.name,
                contact_phone=contact.phone,
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            return self.show(form)
        return redirect("codes:demand_submitted", token=self.token, pk=demand.pk)


class CodeDemandSubmittedView(_CodeDemandMixin):
    """`/c/<token>/demands/<pk>/submitted/`: the demand's number and where to follow it."""

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        return render(
            request, "demands/code_submitted.html", {**self.base_context(), "demand": self.demand(pk)}
        )


class CodeDemandDetailView(_CodeDemandMixin):
    """`/c/<token>/demands/<pk>/`: the demand's progress, public history and reply, and the
    steps the enterprise may take now (rate, withdraw, add files)."""

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        return self.show(self.demand(pk))

    def show(self, demand: Demand, *, status: int = 200, **forms: Form) -> HttpResponse:
        allowed = WORKFLOW.allowed_actions(demand, None, enterprise=self.enterprise)
        context = {
            **self.base_context(),
            "demand": demand,
            "stages": stages(demand),
            "events": public_events(demand),
            "public": True,
            "attachments": list(demand.attachments.all()),
            "can_rate": DemandAction.RATE in allowed,
            "can_withdraw": DemandAction.WITHDRAW in allowed,
            "can_attach": demand.state != DemandState.CLOSED,
            "rating_form": forms.get("rating_form") or RatingForm(initial={"version": demand.version}),
            "withdraw_form": forms.get("withdraw_form") or WithdrawForm(initial={"version": demand.version}),
            "attach_form": forms.get("attach_form") or AttachForm(),
        }
        return render(self.request, "demands/code_detail.html", context, status=status)


class _CodeDemandStepView(CodeDemandDetailView):
    """A POST that takes one step on the demand as the enterprise. Without a confirmed phone
    the filer is sent to confirm one first; bad input re-shows the page with the message next
    to the field; a step no longer allowed, or made on a page that is out of date, is explained
    above the page instead of failing."""

    form_class: type[Form]
    form_name: str
    done_message: Any

    def get(self, request: HttpRequest, token: str, pk: int) -> HttpResponse:
        return redirect("codes:demand_detail", token=self.token, pk=pk)

    def take(self, demand: Demand, form: Form, contact: CodeViewer) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
        demand = self.demand(pk)
        detail = reverse("codes:demand_detail", args=[self.token, demand.pk])
        contact = self.viewer()
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(demand, status=400, **{self.form_name: form})
        try:
            self.take(demand, form, contact)
        except (StaleVersion, TransitionNotAllowed) as exc:
            messages.error(request, exc.message)
            return redirect(detail)
        except ValidationError as exc:
            add_action_errors(form, exc)
            return self.show(demand, status=400, **{self.form_name: form})
        messages.success(request, self.done_message)
        return redirect(detail)


class CodeDemandRateView(_CodeDemandStepView):
    """Rate a reply: 不满意 or "not solved" sends it back to the department (RATE_REDO)."""

    form_class = RatingForm
    form_name = "rating_form"
    done_message = gettext_lazy("感谢评价")

    def take(self, demand: Demand, form: Form, contact: CodeViewer) -> None:
        data = form.cleaned_data
        dispatch.perform(
            demand=demand,
            action=DemandAction.RATE,
            actor=None,
            expected_version=data["version"],
            data={
                "contacted": data["contacted"],
                "solved": data["solved"],
                "satisfaction": data["satisfaction"],
                "note": data["note"],
            },
            enterprise=self.enterprise,
        )


class CodeDemandWithdrawView(_CodeDemandStepView):
    """Withdraw an open demand, with the reason."""

    form_class = WithdrawForm
    form_name = "withdraw_form"
    done_message = gettext_lazy("诉求已撤回")

    def take(self, demand: Demand, form: Form, contact: CodeViewer) -> None:
        dispatch.perform(
            demand=demand,
            action=DemandAction.WITHDRAW,
            actor=None,
            expected_version=form.cleaned_data["version"],
            data={"note": form.cleaned_data["note"]},
            enterprise=self.enterprise,
        )


class CodeDemandAttachView(_CodeDemandStepView):
    """Add files to an open demand."""

    form_class = AttachForm
    form_name = "attach_form"
    done_message = gettext_lazy("附件已上传")

    def take(self, demand: Demand, form: Form, contact: CodeViewer) -> None:
        actions.add_attachments(
            demand=demand, uploads=form.cleaned_data["attachments"], actor=None, enterprise=self.enterprise
        )
