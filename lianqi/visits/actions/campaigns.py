"""Questionnaires and campaigns: saving a questionnaire (a new version once the current one is
in use), creating a campaign, and its steps on core's `take_step` — publishing, which refuses
a questionnaire that cannot be answered and pins the version visits will answer, and closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import OFFICE_ROLES, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.demands.models import Category
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.org.models import Department, Jurisdiction, Staff

from ..choices import CampaignAction, ScopeKind
from ..models import Campaign, Questionnaire, QuestionnaireVersion
from ..queries import version_in_use
from ..questionnaire import parse, problems
from ..scopes import check_rule
from ..texts import render_all
from ..workflow import workflow


def _check_office(actor: Actor, path: str, field: str = "jurisdiction") -> None:
    # Questionnaires and campaigns are the service office's, inside its own jurisdiction.
    if not has_role(actor, OFFICE_ROLES) or not path_visible(actor, path):
        raise ValidationError({field: _("只有本辖区营商办可以管理走访活动和问卷")})


def save_questionnaire(
    *,
    questionnaire: Questionnaire | None,
    title: str,
    definition: Any,
    actor: Actor,
    jurisdiction: Jurisdiction | None = None,
    description: str = "",
    at: dt.datetime | None = None,
) -> QuestionnaireVersion:
    """Create a questionnaire (in `jurisdiction`) or edit one, returning the version now
    current. Editing changes the newest version in place while nothing uses it; once a
    published campaign or a visit uses it, the edit becomes the next version and the answers
    given keep theirs. A definition that cannot be answered may be saved (the builder keeps
    work in progress); publishing a campaign on it is refused with the reasons."""
    at = at or timezone.now()
    title = required_text(title, "title", _("请填写问卷名称"))
    if not isinstance(definition, Mapping) or not isinstance(definition.get("sections"), list):
        raise ValidationError({"definition": _("问卷定义格式不正确")})
    with transaction.atomic():
        if questionnaire is None:
            if jurisdiction is None:
                raise ValidationError({"jurisdiction": _("请选择辖区")})
            _check_office(actor, jurisdiction.path)
            questionnaire = Questionnaire.objects.create(
                jurisdiction=jurisdiction, title=title, description=description.strip()
            )
            return QuestionnaireVersion.objects.create(
                questionnaire=questionnaire,
                number=1,
                definition=dict(definition),
                created_by=actor,
                created_at=at,
                updated_at=at,
            )
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        _check_office(actor, locked.jurisdiction_path)
        locked.title, locked.description = title, description.strip()
        locked.save(update_fields=["title", "description", "updated_at"])
        current = locked.latest_version()
        if version_in_use(current):
            return QuestionnaireVersion.objects.create(
                questionnaire=locked,
                number=current.number + 1,
                definition=dict(definition),
                created_by=actor,
                created_at=at,
                updated_at=at,
            )
        current.definition, current.created_by, current.updated_at = dict(definition), actor, at
        current.save(update_fields=["definition", "created_by", "updated_at"])
        return current


def _check_scope(kind: str, value: str, picked: Iterable[Enterprise], path: str) -> str:
    """The scope's value as stored, once the scope is one the campaign can use (the rule of a
    rule scope is checked by `scopes.check_rule`)."""
    value = (value or "").strip()
    if kind not in ScopeKind.values:
        raise ValidationError({"scope_kind": _("请选择走访范围")})
    if kind == ScopeKind.KIND and value not in EnterpriseKind.values:
        raise ValidationError({"scope_value": _("请选择主体类型")})
    if kind == ScopeKind.INDUSTRY and not (value.isalnum() and len(value) <= 5):
        raise ValidationError({"scope_value": _("请填写行业代码（门类字母或数字代码的开头）")})
    if kind == ScopeKind.TAG and not Tag.objects.filter(name=value).exists():
        raise ValidationError({"scope_value": _("没有这个标签")})
    if kind == ScopeKind.LIST:
        chosen = list(picked)
        if not chosen:
            raise ValidationError({"enterprises": _("请至少指定一家企业")})
        if any(not e.jurisdiction_path.startswith(path) for e in chosen):
            raise ValidationError({"enterprises": _("指定的企业须在活动所在辖区内")})
    return value if kind in (ScopeKind.KIND, ScopeKind.INDUSTRY, ScopeKind.TAG) else ""


def create_campaign(
    *,
    jurisdiction: Jurisdiction,
    title: str,
    theme: str,
    starts_on: dt.date,
    ends_on: dt.date,
    questionnaire: Questionnaire,
    actor: Actor,
    target_coverage: int = 100,
    scope_kind: str = ScopeKind.ALL,
    scope_value: str = "",
    scope_rule: Mapping[str, Any] | None = None,
    enterprises: Iterable[Enterprise] = (),
    departments: Iterable[Department] = (),
    liaisons: Iterable[Staff] = (),
    at: dt.datetime | None = None,
) -> Campaign:
    """Create a campaign as a draft in `jurisdiction`, with the first event of its history.
    Its questionnaire, departments, liaisons and hand-picked enterprises must lie inside that
    jurisdiction's reach (the questionnaire may be the jurisdiction's or one above it). A rule
    scope takes `scope_rule` in the rule engine's format (a rule file of one rule, one rule, or
    only its conditions; see `scopes.check_rule`), stored as a rule file."""
    at = at or timezone.now()
    _check_office(actor, jurisdiction.path)
    title = required_text(title, "title", _("请填写活动名称"))
    theme = required_text(theme, "theme", _("请填写走访主题"))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    if isinstance(target_coverage, bool) or not 1 <= int(target_coverage) <= 100:
        raise ValidationError({"target_coverage": _("目标走访率须在 1% 至 100% 之间")})
    if not jurisdiction.path.startswith(questionnaire.jurisdiction_path) or not path_visible(
        actor, questionnaire.jurisdiction_path
    ):
        raise ValidationError({"questionnaire": _("请选择本辖区的问卷")})
    departments, liaisons = list(departments), list(liaisons)
    if any(not d.jurisdiction_path.startswith(jurisdiction.path) for d in departments):
        raise ValidationError({"departments": _("参与部门须在活动所在辖区内")})
    if any(not s.jurisdiction_path.startswith(jurisdiction.path) for s in liaisons):
        raise ValidationError({"liaisons": _("参与干部须在活动所在辖区内")})
    picked = list(enterprises)
    scope_value = _check_scope(scope_kind, scope_value, picked, jurisdiction.path)
    rule = check_rule(scope_rule) if scope_kind == ScopeKind.RULE else {}
    with transaction.atomic():
        campaign = Campaign.objects.create(
            jurisdiction=jurisdiction,
            title=title,
            theme=theme,
            starts_on=starts_on,
            ends_on=ends_on,
            scope_kind=scope_kind,
            scope_value=scope_value,
            scope_rule=rule,
            target_coverage=int(target_coverage),
            questionnaire=questionnaire,
            last_actor=actor,
            last_changed_at=at,
        )
        campaign.departments.set(departments)
        campaign.liaisons.set(liaisons)
        if scope_kind == ScopeKind.LIST:
            campaign.enterprises.set(picked)
        workflow.record(campaign, action=CampaignAction.CREATE, from_state="", actor=actor, at=at)
    return campaign


def active_categories() -> set[str]:
    """The names of the demand categories an answer may raise now."""
    return set(Category.objects.filter(is_active=True).values_list("name", flat=True))


def publish_campaign(
    *, campaign: Campaign, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Campaign:
    """Open a draft for visits: its questionnaire's newest version is pinned (every visit of
    the campaign answers it), after checking it can be answered — a refusal lists every
    reason, each naming its question."""

    def change(step: Step[Campaign]) -> None:
        version = step.row.questionnaire.latest_version()
        found = problems(parse(version.definition), active_categories())
        if found:
            raise ValidationError({"questionnaire": render_all(found)})
        step.row.questionnaire_version = version
        step.note = _("问卷第 %(number)s 版") % {"number": version.number}

    return take_step(
        workflow,
        row=campaign,
        action=CampaignAction.PUBLISH,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def close_campaign(
    *, campaign: Campaign, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Campaign:
    """End a campaign: no more visits are recorded in it; its coverage stays as it was."""
    return take_step(
        workflow,
        row=campaign,
        action=CampaignAction.CLOSE,
        actor=actor,
        expected_version=expected_version,
        at=at,
    )


#: The action of each step by the table's name for it (the step page and the API call it).
STEPS: dict[str, Callable[..., Campaign]] = {
    CampaignAction.PUBLISH: publish_campaign,
    CampaignAction.CLOSE: close_campaign,
}
