"""The campaign list and the questionnaire list as Excel, through core's logged export (every
file is written down in the export log), with the phone of whoever last acted on a row shown
as the one phone rule allows (`core.privacy`, through `org.permissions.staff_phone`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianqi.core.actors import acting_user
from lianqi.core.excel import Column
from lianqi.core.privacy import PhonePolicy
from lianqi.core.views import RoleRequiredMixin, export_xlsx
from lianqi.org.models import Staff
from lianqi.org.permissions import staff_phone, staff_phones

from .. import queries
from ..choices import CampaignState, ScopeKind
from ..models import Campaign
from ..permissions import BUILDERS, READERS
from ..questionnaire import parse
from ..scopes import rule_lines


def _staff(user: Any) -> Staff | None:
    return getattr(user, "staff", None) if user is not None else None


def _person(viewer: Any, user: Any, phones: PhonePolicy) -> tuple[str, str]:
    """Who acted (their staff name, else their account's) and their phone as `viewer` may see it."""
    if user is None:
        return "", ""
    staff = _staff(user)
    if staff is None:
        return str(user), ""
    return staff.name, staff_phone(viewer, staff, phones)


def scope_text(campaign: Campaign) -> str:
    """A campaign's scope in one cell: its kind, and its value, list size or rule's conditions."""
    kind = str(campaign.get_scope_kind_display())
    if campaign.scope_kind == ScopeKind.RULE:
        return f"{kind}：" + "；".join(line.text for line in rule_lines(campaign.scope_rule))
    if campaign.scope_kind == ScopeKind.LIST:
        return _("%(kind)s（%(count)s 家）") % {"kind": kind, "count": campaign.enterprises.count()}
    return f"{kind}：{campaign.scope_value}" if campaign.scope_value else kind


class CampaignListExportView(RoleRequiredMixin, View):
    """The campaigns the user may see (filtered by state like the list) as Excel: period, state,
    scope, target and coverage reached, forms collected, and who acted last with their phone."""

    allowed_roles = READERS

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        phones = staff_phones(user)
        columns = [
            Column("title", _("活动名称")),
            Column("theme", _("主题")),
            Column("jurisdiction", _("所属辖区")),
            Column("starts_on", _("开始日期")),
            Column("ends_on", _("结束日期")),
            Column("state", _("状态")),
            Column("scope", _("走访范围")),
            Column("questionnaire", _("问卷")),
            Column("target", _("目标走访率（%）")),
            Column("targets", _("应走访企业")),
            Column("visited", _("已走访企业")),
            Column("rate", _("走访率（%）")),
            Column("forms", _("已收问卷")),
            Column("actor", _("最后操作人")),
            Column("actor_phone", _("操作人手机号")),
        ]

        def rows() -> Iterator[list[Any]]:
            for campaign in queries.campaign_export(user, request.GET.get("state", "")).iterator(
                chunk_size=200
            ):
                # A draft has no visits yet: its coverage is left empty rather than shown as 0%.
                total = queries.coverage_total(campaign) if campaign.state != CampaignState.DRAFT else None
                actor, phone = _person(user, campaign.last_actor, phones)
                yield [
                    campaign.title,
                    campaign.theme,
                    campaign.jurisdiction.name,
                    campaign.starts_on,
                    campaign.ends_on,
                    str(campaign.get_state_display()),
                    scope_text(campaign),
                    campaign.questionnaire.title,
                    campaign.target_coverage,
                    total.targets if total else None,
                    total.visited if total else None,
                    total.rate if total else None,
                    getattr(campaign, "forms", 0),  # annotated by the query
                    actor,
                    phone,
                ]

        return export_xlsx(
            request,
            export="visits.campaigns",
            title=_("走访活动"),
            columns=columns,
            rows=rows(),
            masked={"actor_phone"} if phones.masks_column else (),
        )


class QuestionnaireListExportView(RoleRequiredMixin, View):
    """The questionnaires of the user's jurisdiction as Excel: versions, questions of the newest,
    campaigns using it, and who edited the newest version last with their phone."""

    allowed_roles = BUILDERS

    def get(self, request: HttpRequest) -> HttpResponse:
        user = acting_user(request)
        phones = staff_phones(user)
        columns = [
            Column("title", _("问卷名称")),
            Column("jurisdiction", _("所属辖区")),
            Column("versions", _("版本数")),
            Column("latest", _("最新版本")),
            Column("questions", _("题目数")),
            Column("campaigns", _("使用该问卷的活动")),
            Column("updated_at", _("最后修改时间")),
            Column("editor", _("最后编辑人")),
            Column("editor_phone", _("编辑人手机号")),
        ]

        def rows() -> Iterator[list[Any]]:
            for row in queries.questionnaire_list(user):
                latest = max(row.versions.all(), key=lambda version: version.number)
                # The engine reads a definition still being built as far as it can.
                questions = sum(1 for _question in parse(latest.definition).questions())
                editor, phone = _person(user, latest.created_by, phones)
                yield [
                    row.title,
                    row.jurisdiction.name,
                    getattr(row, "version_count", 0),  # annotated by the query
                    latest.number,
                    questions,
                    getattr(row, "campaign_count", 0),
                    timezone.localtime(latest.updated_at).replace(tzinfo=None),
                    editor,
                    phone,
                ]

        return export_xlsx(
            request,
            export="visits.questionnaires",
            title=_("问卷"),
            columns=columns,
            rows=rows(),
            masked={"editor_phone"} if phones.masks_column else (),
        )
