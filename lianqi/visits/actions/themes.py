"""Starting a campaign from one of the shipped theme templates (`lianqi.visits.themes`): the
template's questionnaire is copied into a new questionnaire of the office's jurisdiction and a
draft campaign on the theme is created with it, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.org.models import Jurisdiction

from ..models import Campaign
from ..themes import BY_KEY
from .campaigns import create_campaign, save_questionnaire

#: How long a campaign started from a template runs unless the office says otherwise.
DEFAULT_DAYS = 30


def start_from_template(
    *,
    template: str,
    jurisdiction: Jurisdiction,
    actor: Actor,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    title: str = "",
    at: dt.datetime | None = None,
) -> Campaign:
    """Create a draft campaign on the theme of `template` (a key of `themes.BY_KEY`) with a
    copy of its questionnaire, in `jurisdiction`; the period defaults to the next 30 days from
    today and the title to the theme with its month. The office edits both before publishing."""
    found = BY_KEY.get(template)
    if found is None:
        raise ValidationError({"template": _("没有这个问卷模板")})
    at = at or timezone.now()
    starts_on = starts_on or timezone.localdate(at)
    ends_on = ends_on or starts_on + dt.timedelta(days=DEFAULT_DAYS)
    # The title is the campaign's data, in the park's language like the template's questions.
    title = title.strip() or f"{starts_on.year}年{starts_on.month}月{found.theme}走访"
    with transaction.atomic():
        version = save_questionnaire(
            questionnaire=None,
            jurisdiction=jurisdiction,
            title=found.title,
            description=found.description,
            definition=found.definition,
            actor=actor,
            at=at,
        )
        return create_campaign(
            jurisdiction=jurisdiction,
            title=title,
            theme=found.theme,
            starts_on=starts_on,
            ends_on=ends_on,
            questionnaire=version.questionnaire,
            actor=actor,
            at=at,
        )
