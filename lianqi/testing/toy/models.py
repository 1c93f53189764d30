"""The toy table's row and its events. Labels are plain strings, not gettext: nothing here is
ever shown to a user, and the English catalogue should not carry test-only words."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lianqi.core.workflow import WorkflowEvent


class ToyState(models.TextChoices):
    NEW = "new", "新建"
    OPEN = "open", "进行中"
    DONE = "done", "已完成"


class ToyAction(models.TextChoices):
    START = "start", "开始"
    POKE = "poke", "提醒"
    FINISH = "finish", "完成"
    REOPEN = "reopen", "重开"


class Toy(models.Model):
    """A row that runs the toy lifecycle: a state, a version, who changed it last and when,
    and a jurisdiction path for its events. `size` is what a step's change sets; `locked` is
    what the reopen step's guard reads."""

    name = models.CharField(max_length=40, blank=True)
    size = models.IntegerField(default=0)
    locked = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=ToyState.choices, default=ToyState.NEW)
    version = models.PositiveIntegerField(default=1)
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_changed_at = models.DateTimeField(null=True, blank=True)
    jurisdiction_path = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.name or f"toy {self.pk}"


class ToyEvent(WorkflowEvent):
    """One step of a toy's history, with one column of its own (`size`, set through
    ``step.event``)."""

    toy = models.ForeignKey(Toy, on_delete=models.CASCADE, related_name="events")
    size = models.IntegerField(null=True, blank=True)
