"""Builders for the visits' tests: a questionnaire with a condition, a photo and two demand
mappings, campaigns placed directly in any state, and the answers a liaison gives."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.org.models import Department, Staff
from lianqi.testing.world import Side, World

from ..choices import CampaignState
from ..models import Campaign, Questionnaire, QuestionnaireVersion

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
_keys = itertools.count(1)

DEFINITION: dict[str, Any] = {
    "sections": [
        {
            "title": "经营情况",
            "questions": [
                {
                    "key": "state",
                    "type": "single",
                    "text": "企业经营状况",
                    "required": True,
                    "options": ["良好", "一般", "困难"],
                },
                {
                    "key": "needs",
                    "type": "multiple",
                    "text": "当前主要困难",
                    "options": ["资金", "用工", "用地"],
                    "raises": [{"answer": "用工", "category": "用工招聘"}],
                },
            ],
        },
        {
            "title": "融资情况",
            "questions": [
                {
                    "key": "finance",
                    "type": "yes_no",
                    "text": "是否有融资需求",
                    "required": True,
                    "raises": [{"answer": "是", "category": "融资困难"}],
                },
                {
                    "key": "amount",
                    "type": "number",
                    "text": "融资金额",
                    "unit": "万元",
                    "min": 0,
                    "max": 100000,
                    "required": True,
                    "show_if": {"question": "finance", "equals": "是"},
                },
                {"key": "photo", "type": "file", "text": "现场照片"},
            ],
        },
    ]
}

#: Answers that raise nothing.
QUIET: dict[str, Any] = {"state": "良好", "finance": "否"}
#: Answers that raise a 融资困难 and a 用工招聘 demand.
NEEDY: dict[str, Any] = {"state": "困难", "needs": ["资金", "用工"], "finance": "是", "amount": "300"}


def key() -> str:
    """A fresh idempotency key, as the visit form makes one when it is opened."""
    return f"test-visit-{next(_keys)}"


def make_questionnaire(
    side: Side, definition: dict[str, Any] | None = None, title: str = "助企纾困问卷"
) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(jurisdiction=side.park, title=title)
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        definition=definition or DEFINITION,
        created_at=AT,
        updated_at=AT,
    )
    return questionnaire


def make_campaign(
    world: World, state: str = CampaignState.OPEN, side: Side | None = None, **fields: Any
) -> Campaign:
    """A campaign of a park (the home park's unless `side` says otherwise) over all its
    enterprises, placed directly in `state` (its questionnaire's version pinned once published)."""
    side = side or world.home
    questionnaire = fields.pop("questionnaire", None) or make_questionnaire(side)
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "title": "2025年第一轮助企纾困大走访",
        "theme": "助企纾困",
        "starts_on": dt.date(2025, 3, 1),
        "ends_on": dt.date(2025, 4, 30),
        "questionnaire": questionnaire,
        "state": state,
    }
    if state != CampaignState.DRAFT:
        values["questionnaire_version"] = questionnaire.latest_version()
    values.update(fields)
    return Campaign.objects.create(**values)


def handler(side: Side, department: Department | None = None) -> User:
    """The side's department handler, bound to a staff row of `department` (its own by default)."""
    user = side.users[Role.DEPARTMENT_HANDLER]
    Staff.objects.update_or_create(
        user=user,
        defaults={
            "jurisdiction": side.park,
            "name": "部门经办人",
            "department": department or side.department,
        },
    )
    user.refresh_from_db()
    return user
