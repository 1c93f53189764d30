"""The market's pages: offers and needs (lists, one row with its matches, recording one for an
enterprise), introductions followed to a deal, matching events, the market's section of the
enterprise's file and the enterprise's open needs under its code. Thin: objects come through the
`access_*` loaders, reads from `queries`, and every write is an action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import Role, has_role
from lianqi.core.views import RoleRequiredMixin, export_xlsx, paginate
from lianqi.core.views.steps import take_step
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.enterprises.views.code import CodeTokenMixin
from lianqi.policies.subjects import parsed_condition
from lianqi.rules.errors import RuleError

from .. import actions, queries
from ..choices import IntroductionAction, IntroductionState, ListingState
from ..forms import (
    FairDealForm,
    FairForm,
    IntroduceForm,
    NeedEditForm,
    NeedForm,
    OfferEditForm,
    OfferForm,
    ParticipantForm,
    StepForm,
    WithdrawForm,
    step_form,
)
from ..models import Introduction, MatchingFair, Need, Offer
from ..permissions import (
    INTRODUCERS,
    ORGANISERS,
    READERS,
    STAFF,
    access_enterprise,
    access_fair,
    access_introduction,
    access_need,
    access_offer,
)
from ..workflow import introduction_workflow, need_workflow, offer_workflow

#: The actions' names for the fields the forms call otherwise.
RENAMES = {"industry": "industry_code"}


def _own_enterprise_url(request: HttpRequest, name: str) -> str | None:
    enterprise_id = getattr(request.user, "enterprise_id", None)
    return reverse(name, args=[enterprise_id]) if enterprise_id else None


class OfferListView(RoleRequiredMixin, View):
    """The offers the user may see, searched and filtered, newest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.offer_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context.update(
            filter_form=found.form,
            kind="offers",
            export_url=reverse("market:offers_export") + "?" + request.GET.urlencode(),
            create_url=_own_enterprise_url(request, "market:offer_create"),
        )
        return render(request, "market/offer_list.html", context)


class NeedListView(RoleRequiredMixin, View):
    """The needs the user may see, searched and filtered, newest first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        found = queries.need_list(request.user, request.GET)
        context = paginate(request, found.qs)
        context.update(
            filter_form=found.form,
            kind="needs",
            export_url=reverse("market:needs_export") + "?" + request.GET.urlencode(),
            create_url=_own_enterprise_url(request, "market:need_create"),
        )
        return render(request, "market/need_list.html", context)


class ListingExportView(RoleRequiredMixin, View):
    """The offers or the needs the user may see, as filtered on their list, as an Excel file
    (recorded in the export log)."""

    allowed_roles = READERS
    kind = "needs"

    def get(self, request: HttpRequest) -> HttpResponse:
        common = [Column("enterprise", _("企业")), Column("industry", _("行业小类"))]
        tail = [
            Column("keywords", _("关键词")),
            Column("state", _("状态")),
            Column("visibility", _("公开范围")),
        ]
        if self.kind == "offers":
            offers = queries.offer_list(request.user, request.GET).qs
            columns = [
                *common,
                Column("product", _("产品")),
                Column("capacity", _("年产能")),
                Column("unit", _("计量单位")),
                Column("price_band", _("价格区间")),
                Column("certifications", _("资质认证")),
                *tail,
            ]
            rows: Iterable[list[Any]] = (
                [
                    o.enterprise.name,
                    str(o.industry),
                    o.product,
                    o.capacity,
                    o.unit,
                    o.price_band,
                    o.certifications,
                    o.keywords,
                    o.get_state_display(),
                    o.get_visibility_display(),
                ]
                for o in offers
            )
            return export_xlsx(request, export="market.offers", title=_("供应"), columns=columns, rows=rows)
        needs = queries.need_list(request.user, request.GET).qs
        columns = [
            *common,
            Column("item", _("采购品")),
            Column("quantity", _("数量")),
            Column("unit", _("计量单位")),
            Column("budget", _("预算（元）")),
            Column("wanted_by", _("需求日期")),
            Column("valid_until", _("有效期至")),
            *tail,
        ]
        rows = (
            [
                n.enterprise.name,
                str(n.industry),
                n.item,
                n.quantity,
                n.unit,
                n.budget,
                n.wanted_by,
                n.valid_until,
                n.keywords,
                n.get_state_display(),
                n.get_visibility_display(),
            ]
            for n in needs
        )
        return export_xlsx(request, export="market.needs", title=_("需求"), columns=columns, rows=rows)


def _withdraw_form(request: HttpRequest, row: Offer | Need) -> WithdrawForm | None:
    workflow = offer_workflow if isinstance(row, Offer) else need_workflow
    if not workflow.allowed_actions(row, acting_user(request)):  # type: ignore[arg-type]
        return None
    return WithdrawForm(initial={"expected_version": row.version})


def _may_introduce(request: HttpRequest) -> bool:
    return has_role(request.user, INTRODUCERS)


def _edit_url(request: HttpRequest, row: Offer | Need, name: str) -> str | None:
    """The edit page's address for one who may correct this open listing, else None."""
    if row.state != ListingState.OPEN or not has_role(request.user, (*INTRODUCERS, Role.ENTERPRISE)):
        return None
    return (
        reverse(name, args=[row.pk]) if actions.may_record_for(acting_user(request), row.enterprise) else None
    )


class OfferDetailView(RoleRequiredMixin, View):
    """One offer: its fields, the needs it could serve (ranked, with reasons), its
    introductions and history."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = access_offer(request.user, pk)
        staff = _may_introduce(request) or offer.enterprise_id == getattr(request.user, "enterprise_id", None)
        context = {
            "row": offer,
            "ranked": queries.needs_for(request.user, offer) if staff else [],
            "introductions": queries.introductions_of_offer(request.user, offer),
            "events": queries.history(offer),
            "withdraw_form": _withdraw_form(request, offer),
            "withdraw_url": reverse("market:offer_withdraw", args=[offer.pk]),
            "edit_url": _edit_url(request, offer, "market:offer_edit"),
        }
        return render(request, "market/offer_detail.html", context)


def _need_page(request: HttpRequest, need: Need, introduce_form: IntroduceForm | None = None) -> HttpResponse:
    own = need.enterprise_id == getattr(request.user, "enterprise_id", None)
    may_introduce = _may_introduce(request)
    context = {
        "row": need,
        "ranked": queries.suppliers_for(request.user, need) if may_introduce or own else [],
        "may_introduce": may_introduce,
        "introduce_form": introduce_form,
        "introduce_url": reverse("market:introduce", args=[need.pk]),
        "introductions": queries.introductions_of_need(request.user, need),
        "events": queries.history(need),
        "expired": need.valid_until < timezone.localdate(),
        "withdraw_form": _withdraw_form(request, need),
        "withdraw_url": reverse("market:need_withdraw", args=[need.pk]),
        "edit_url": _edit_url(request, need, "market:need_edit"),
    }
    return render(request, "market/need_detail.html", context)


class NeedDetailView(RoleRequiredMixin, View):
    """One need: its fields, the suppliers ranked for it with their reasons (for the office,
    the liaisons and the buyer itself), its introductions and history."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _need_page(request, access_need(request.user, pk))


class IntroduceView(RoleRequiredMixin, View):
    """The office or a liaison introduces one ranked supplier to the need."""

    allowed_roles = INTRODUCERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        need = access_need(request.user, pk)
        form = IntroduceForm(request.POST)
        if not form.is_valid():
            return _need_page(request, need, form)
        offer = access_offer(request.user, form.cleaned_data["offer"])
        try:
            row = actions.introduce(need=need, offer=offer, actor=acting_user(request))
        except ValidationError as invalid:
            for message in invalid.messages:
                messages.error(request, message)
            return redirect(need.get_absolute_url())
        messages.success(request, _("已对接：%(supplier)s") % {"supplier": offer.enterprise.name})
        return redirect(row.get_absolute_url())


class WithdrawView(RoleRequiredMixin, View):
    """Withdraw an offer or a need with the version the page showed."""

    allowed_roles = READERS
    kind = "offer"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = WithdrawForm(request.POST)
        if self.kind == "offer":
            offer = access_offer(request.user, pk)
            row: Offer | Need = offer
        else:
            row = access_need(request.user, pk)
        if form.is_valid():
            version = form.cleaned_data["expected_version"]
            try:
                if isinstance(row, Offer):
                    actions.withdraw_offer(offer=row, actor=acting_user(request), expected_version=version)
                else:
                    actions.withdraw_need(need=row, actor=acting_user(request), expected_version=version)
            except (TransitionNotAllowed, StaleVersion) as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("已撤回"))
        return redirect(row.get_absolute_url())


class ListingCreateView(RoleRequiredMixin, View):
    """Record an offer or a need for an enterprise: its own account, the liaison serving it
    or the office (the action refuses anyone else, next to the form)."""

    allowed_roles = (*INTRODUCERS, Role.ENTERPRISE)
    kind = "offer"

    def _page(self, request: HttpRequest, enterprise: Enterprise, form: Any) -> HttpResponse:
        title = _("登记供应") if self.kind == "offer" else _("登记需求")
        return render(request, "market/form.html", {"enterprise": enterprise, "form": form, "title": title})

    def _form(self, data: Any = None) -> Any:
        return OfferForm(data) if self.kind == "offer" else NeedForm(data)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(request, access_enterprise(request.user, pk), self._form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        form = self._form(request.POST)
        if form.is_valid():
            create = actions.create_offer if self.kind == "offer" else actions.create_need
            try:
                row = create(enterprise=enterprise, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid, RENAMES)
            else:
                messages.success(request, _("已登记：%(title)s") % {"title": str(row)})
                return redirect(row.get_absolute_url())
        return self._page(request, enterprise, form)


class ListingEditView(RoleRequiredMixin, View):
    """Correct an open offer or need after it was recorded: by its enterprise's account, the
    liaison serving it or the office; a change made meanwhile by someone else is not
    overwritten (the version the page showed must still be current)."""

    allowed_roles = (*INTRODUCERS, Role.ENTERPRISE)
    kind = "offer"

    def _row(self, request: HttpRequest, pk: int) -> Offer | Need:
        return access_offer(request.user, pk) if self.kind == "offer" else access_need(request.user, pk)

    def _page(self, request: HttpRequest, row: Offer | Need, form: Any) -> HttpResponse:
        title = _("修改供应") if self.kind == "offer" else _("修改需求")
        context = {"enterprise": row.enterprise, "form": form, "title": title}
        return render(request, "market/form.html", context)

    def _form(self, data: Any = None, row: Offer | Need | None = None) -> Any:
        form_class = OfferEditForm if self.kind == "offer" else NeedEditForm
        initial = None
        if row is not None:
            initial = {name: getattr(row, name, None) for name in form_class.base_fields}
            initial.update(industry_code=row.industry.code, expected_version=row.version)
        return form_class(data, initial=initial)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self._row(request, pk)
        if not actions.may_record_for(acting_user(request), row.enterprise):
            raise PermissionDenied
        return self._page(request, row, self._form(row=row))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self._row(request, pk)
        form = self._form(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("expected_version")
            try:
                if isinstance(row, Offer):
                    row = actions.update_offer(
                        offer=row, actor=acting_user(request), expected_version=version, **values
                    )
                else:
                    row = actions.update_need(
                        need=row, actor=acting_user(request), expected_version=version, **values
                    )
            except StaleVersion as stale:
                form.add_error(None, stale.message)
            except ValidationError as invalid:
                add_action_errors(form, invalid, RENAMES)
            else:
                messages.success(request, _("已保存：%(title)s") % {"title": str(row)})
                return redirect(row.get_absolute_url())
        return self._page(request, row, form)


class IntroductionListView(RoleRequiredMixin, View):
    """The introductions the user may see, under way first."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        context = paginate(request, queries.introduction_list(request.user, state))
        context.update(states=IntroductionState.choices, state=state)
        return render(request, "market/introduction_list.html", context)


def _introduction_page(
    request: HttpRequest, row: Introduction, failed: StepForm | None = None
) -> HttpResponse:
    steps = []
    for action in introduction_workflow.allowed_actions(row, acting_user(request)):
        form = failed if failed is not None and failed.prefix == action else None
        steps.append(
            {
                "action": action,
                "label": action.label,
                "form": form or step_form(action, version=row.version),
                "url": reverse("market:introduction_step", args=[row.pk, action]),
            }
        )
    context = {"row": row, "events": queries.history(row), "steps": steps}
    return render(request, "market/introduction_detail.html", context)


class IntroductionDetailView(RoleRequiredMixin, View):
    """One introduction: the two parties, the reasons the match gave, its outcome and history,
    and the steps the user may take."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _introduction_page(request, access_introduction(request.user, pk))


class IntroductionStepView(RoleRequiredMixin, View):
    """Take one step of an introduction (a deal with its amount and date, or dropped with a
    reason) with the version the page showed."""

    allowed_roles = INTRODUCERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        row = access_introduction(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        return take_step(
            request,
            row=row,
            subject="introduction",
            take=take,
            form=step_form(action, request.POST),
            label=IntroductionAction(action).label,
            page=lambda failed: _introduction_page(request, row, failed=failed),
        )


class FairListView(RoleRequiredMixin, View):
    """Matching events, newest first, with their figures, and the year's totals."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest) -> HttpResponse:
        context = paginate(request, queries.fair_list(request.user))
        context["year"] = queries.year_figures(request.user, timezone.localdate().year)
        context["may_create"] = _has(request, ORGANISERS)
        return render(request, "market/fair_list.html", context)


def _has(request: HttpRequest, roles: tuple[Any, ...]) -> bool:
    return has_role(request.user, roles)


def _fair_page(request: HttpRequest, fair: MatchingFair, **forms: Any) -> HttpResponse:
    context = {
        "row": fair,
        "figures": queries.fair_figures(fair),
        "participants": fair.participants.select_related("enterprise", "invited_by").order_by(
            "role", "enterprise__name"
        ),
        "deals": fair.deals.select_related("buyer", "supplier"),
        "may_edit": _has(request, ORGANISERS),
        "participant_form": forms.get("participant_form")
        or ParticipantForm(enterprises=_pickable(request.user)),
        "deal_form": forms.get("deal_form") or FairDealForm(enterprises=_pickable(request.user)),
        "targets": queries.chain_targets(fair.chain) if fair.chain_id and fair.chain else [],
        "invitation_rule": forms.get("invitation_rule", ""),
        "invitation_preview": forms.get("invitation_preview"),
        "invitation_error": forms.get("invitation_error", ""),
    }
    return render(request, "market/fair_detail.html", context)


class FairInvitationsView(RoleRequiredMixin, View):
    """Invitations from a condition over the register (the engine's JSON, as on every page that
    takes one; empty: open needs only) and from open needs: "preview" lists who would be
    invited, "send" invites them through the outbox."""

    allowed_roles = ORGANISERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fair = access_fair(request.user, pk)
        text = request.POST.get("rule", "").strip()
        parsed, problems = parsed_condition(text, str(fair))
        if problems:
            error = _("邀请规则无效：%(error)s") % {"error": "；".join(problems)}
            return _fair_page(request, fair, invitation_rule=text, invitation_error=error)
        rule = parsed or None
        try:
            if request.POST.get("send"):
                sent = actions.send_invitations(fair=fair, rule=rule, actor=acting_user(request))
                messages.success(request, _("已邀请 %(count)s 家企业") % {"count": len(sent)})
                return redirect(fair.get_absolute_url())
            preview = actions.invitation_preview(fair, rule, timezone.localdate())
        except ValidationError as invalid:
            error = "；".join(m for ms in invalid.message_dict.values() for m in ms)
            return _fair_page(request, fair, invitation_rule=text, invitation_error=error)
        except RuleError as bad:  # a rule the engine refuses is the user's input
            error = _("邀请规则无效：%(error)s") % {"error": bad}
            return _fair_page(request, fair, invitation_rule=text, invitation_error=error)
        names = dict(
            Enterprise.objects.filter(pk__in=[i.enterprise_id for i in preview]).values_list("pk", "name")
        )
        rows = [(names.get(i.enterprise_id, ""), i) for i in preview]
        return _fair_page(request, fair, invitation_rule=text, invitation_preview=rows)


class FairDetailView(RoleRequiredMixin, View):
    """One matching event: who was invited and came, the deals signed and their amount."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _fair_page(request, access_fair(request.user, pk))


class FairCreateView(RoleRequiredMixin, View):
    """Record a matching event in the office's jurisdiction."""

    allowed_roles = ORGANISERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "market/form.html", {"form": FairForm(), "title": _("登记供需对接会")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FairForm(request.POST)
        if form.is_valid():
            try:
                fair = actions.create_fair(actor=acting_user(request), **form.cleaned_data)
            except ValidationError as invalid:
                add_action_errors(form, invalid, RENAMES)
            else:
                return redirect(fair.get_absolute_url())
        return render(request, "market/form.html", {"form": form, "title": _("登记供需对接会")})


def _pickable(user: Any) -> QuerySet[Enterprise]:
    """The enterprises the event page's pickers choose among: those the user may see."""
    return enterprises_visible(user).order_by("name")


class FairParticipantView(RoleRequiredMixin, View):
    """Invite an enterprise to a matching event, or mark that it came."""

    allowed_roles = ORGANISERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fair = access_fair(request.user, pk)
        form = ParticipantForm(request.POST, enterprises=_pickable(request.user))
        if form.is_valid():
            try:
                actions.invite(
                    fair=fair,
                    enterprise=form.cleaned_data["enterprise"],
                    role=form.cleaned_data["role"],
                    attended=form.cleaned_data["attended"],
                    actor=acting_user(request),
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                return redirect(fair.get_absolute_url())
        return _fair_page(request, fair, participant_form=form)


class FairDealView(RoleRequiredMixin, View):
    """Record a deal signed at a matching event."""

    allowed_roles = ORGANISERS

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fair = access_fair(request.user, pk)
        form = FairDealForm(request.POST, enterprises=_pickable(request.user))
        if form.is_valid():
            try:
                actions.record_fair_deal(
                    fair=fair,
                    buyer=form.cleaned_data["buyer"],
                    supplier=form.cleaned_data["supplier"],
                    subject=form.cleaned_data["subject"],
                    amount=form.cleaned_data["amount"],
                    actor=acting_user(request),
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                return redirect(fair.get_absolute_url())
        return _fair_page(request, fair, deal_form=form)


class MarketEnterpriseSectionView(RoleRequiredMixin, View):
    """The market's section of the enterprise's file (一企一档): its offers, needs and deals
    the user may see, an HTML fragment the file page loads by itself."""

    allowed_roles = STAFF

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = access_enterprise(request.user, pk)
        context = {
            "enterprise": enterprise,
            **queries.for_enterprise(request.user, enterprise),
            "offer_url": reverse("market:offer_create", args=[enterprise.pk]),
            "need_url": reverse("market:need_create", args=[enterprise.pk]),
        }
        return render(request, "market/enterprise_section.html", context)


class MarketCodeListView(CodeTokenMixin):
    """`/c/<token>/market/`: the enterprise's open needs, through its code (its own data: the
    mixin sends whoever holds the code to confirm one of the enterprise's phones first)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        context: dict[str, Any] = {
            **self.base_context(),
            "rows": queries.open_for_enterprise(self.enterprise),
        }
        return render(request, "market/code_list.html", context)
