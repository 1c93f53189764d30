"""Every write of visits, by subject: `campaigns` (questionnaires and their versions, creating a
campaign and one action per step of its table) and `recording` (recording a visit, which files
the demands its answers raise through the demands' intake action) and `reminders` (reminding
the liaisons who are behind). Each action is
keyword-only and typed, runs in one transaction and locks what it changes."""

from __future__ import annotations

from .campaigns import STEPS, close_campaign, create_campaign, publish_campaign, save_questionnaire
from .recording import record_visit
from .reminders import remind_liaisons
from .themes import start_from_template

__all__ = [
    "STEPS",
    "close_campaign",
    "create_campaign",
    "publish_campaign",
    "record_visit",
    "remind_liaisons",
    "save_questionnaire",
    "start_from_template",
]
