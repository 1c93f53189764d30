"""Campaign pages: the list, one campaign with its coverage and the steps the user may take,
creating a campaign, and taking a step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.forms import add_action_errors
from lianqi.core.roles import has_role
from lianqi.core.scoping import scope_queryset
from lianqi.core.views import RoleRequiredMixin, paginate
from lianqi.core.workflow import StaleVersion, TransitionNotAllowed
from lianqi.enterprises import permissions as enterprise_permissions
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.org.models import Department, Staff

from .. import actions, queries
from ..choices import CampaignAction, CampaignState, ScopeKind
from ..forms.campaigns import CampaignForm, StepForm
from ..models import Campaign, Questionnaire
from ..permissions import BUILDERS, READERS, RECORDERS, access_campaign, may_analyse
from ..questionnaire import publish_problems
from ..scopes import rule_lines
from ..texts import render_all
from ..themes import TEMPLATES
from ..workflow import workflow


class CampaignListView(RoleRequiredMixin, View):
    """The campaigns the user may see, the latest first, filtered by state."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        context = paginate(request, queries.campaign_list(request.user, state))
        context.update({"states": CampaignState.choices, "state": state})
        return render(request, "visits/campaign_list.html", context)


def _detail(request: HttpRequest, campaign: Campaign, errors: list[str] | None = None) -> HttpResponse:
    """One campaign's page: what it is, its coverage, its recent visits, and the steps the user
    may take (a draft also says what stops its questionnaire from being published)."""
    user = acting_user(request)
    steps = [
        {
            "action": action,
            "label": action.label,
            "url": reverse("visits:campaign_step", args=[campaign.pk, action]),
            "form": StepForm(initial={"expected_version": campaign.version}),
        }
        for action in workflow.allowed_actions(campaign, user)
    ]
    problems: list[str] = []
    if campaign.state == CampaignState.DRAFT:
        definition = campaign.questionnaire.latest_version().definition
        problems = render_all(publish_problems(definition, actions.campaigns.active_categories()))
    context = {
        "campaign": campaign,
        "coverage": queries.coverage(campaign) if campaign.state != CampaignState.DRAFT else None,
        # A draft says how many enterprises its scope selects now, so a rule can be checked.
        "draft_targets": queries.campaign_targets(campaign).count()
        if campaign.state == CampaignState.DRAFT
        else None,
        "rule_lines": rule_lines(campaign.scope_rule) if campaign.scope_kind == ScopeKind.RULE else [],
        "visits": queries.visit_list(user, campaign)[:20],
        "steps": steps,
        "problems": problems,
        "errors": errors or [],
        "may_record": campaign.state == CampaignState.OPEN and has_role(user, RECORDERS),
        "may_analyse": may_analyse(user, campaign),
    }
    return render(request, "visits/campaign_detail.html", context)


class CampaignDetailView(RoleRequiredMixin, View):
    """One campaign: its coverage by liaison and department, its forms and demands."""

    allowed_roles = READERS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _detail(request, access_campaign(request.user, pk))


class CampaignStepView(RoleRequiredMixin, View):
    """Publish or close a campaign with the version the page showed. A refused or stale step
    is told above the page; a questionnaire that cannot be answered lists its reasons."""

    allowed_roles = READERS

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        campaign = access_campaign(request.user, pk)
        take = actions.STEPS.get(action)
        if take is None:
            raise Http404
        form = StepForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("页面已过期，请刷新后重试"))
            return redirect(campaign.get_absolute_url())
        try:
            take(
                campaign=campaign,
                actor=acting_user(request),
                expected_version=form.cleaned_data["expected_version"],
            )
        except (TransitionNotAllowed, StaleVersion) as refused:
            messages.error(request, refused.message)
        except ValidationError as invalid:
            return _detail(request, campaign, errors=invalid.messages)
        else:
            messages.success(request, _("已完成：%(step)s") % {"step": CampaignAction(action).label})
        return redirect(campaign.get_absolute_url())


def _campaign_form(request: HttpRequest, data: Any = None, files: Any = None) -> CampaignForm:
    user = request.user
    jurisdiction = getattr(user, "jurisdiction", None)
    return CampaignForm(
        data,
        files,
        questionnaires=scope_queryset(Questionnaire.objects.all(), user).order_by("-created_at"),
        departments=scope_queryset(Department.objects.filter(is_active=True), user).order_by("order", "name"),
        staff=scope_queryset(Staff.objects.filter(is_active=True), user).order_by("name"),
        enterprises=enterprise_permissions.visible(user).filter(status=EnterpriseStatus.ACTIVE),
        jurisdiction_path=jurisdiction.path if jurisdiction is not None else "-",
    )


def _templates() -> dict[str, Any]:
    return {"templates": TEMPLATES}


class CampaignCreateView(RoleRequiredMixin, View):
    """Create a campaign in the user's jurisdiction, as a draft."""

    allowed_roles = BUILDERS

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "visits/campaign_form.html", {"form": _campaign_form(request), **_templates()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = _campaign_form(request, request.POST, request.FILES)
        user = acting_user(request)
        if form.is_valid():
            data = form.cleaned_data
            jurisdiction = getattr(user, "jurisdiction", None)
            try:
                if jurisdiction is None:
                    raise ValidationError(_("您的账号没有所属辖区，不能创建走访活动"))
                campaign = actions.create_campaign(
                    jurisdiction=jurisdiction,
                    title=data["title"],
                    theme=data["theme"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    questionnaire=data["questionnaire"],
                    target_coverage=data["target_coverage"],
                    scope_kind=data["scope_kind"],
                    scope_value=data["scope_value"],
                    scope_rule=data["scope_rule"],
                    enterprises=data["enterprises"] if data["scope_kind"] == ScopeKind.LIST else (),
                    departments=data["departments"],
                    liaisons=data["liaisons"],
                    actor=user,
                )
            except ValidationError as invalid:
                add_action_errors(form, invalid)
            else:
                messages.success(request, _("已创建走访活动：%(title)s") % {"title": campaign.title})
                return redirect(campaign.get_absolute_url())
        return render(request, "visits/campaign_form.html", {"form": form, **_templates()})


class CampaignFromTemplateView(RoleRequiredMixin, View):
    """Start a draft campaign from a theme template (the buttons on the create page): the
    template's questionnaire is copied into the user's jurisdiction, then the campaign opens
    for the office to adjust its period, scope and questions before publishing."""

    allowed_roles = BUILDERS

    def post(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        jurisdiction = getattr(user, "jurisdiction", None)
        try:
            if jurisdiction is None:
                raise ValidationError(_("您的账号没有所属辖区，不能创建走访活动"))
            campaign = actions.start_from_template(
                template=request.POST.get("template", ""), jurisdiction=jurisdiction, actor=user
            )
        except ValidationError as invalid:
            for message in invalid.messages:
                messages.error(request, message)
            return redirect("visits:campaign_create")
        messages.success(request, _("已按模板创建走访活动：%(title)s") % {"title": campaign.title})
        return redirect(campaign.get_absolute_url())
