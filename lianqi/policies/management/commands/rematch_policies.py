"""`manage.py rematch_policies`: match every active policy against its enterprises again —
after a bulk import of enterprises or figures, at the turn of a year (when `Y-1` moves), or
nightly from cron. Re-matching is idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lianqi.policies import actions
from lianqi.policies.models import Policy


class Command(BaseCommand):
    help = "Re-match every active policy against the enterprises of its jurisdiction."

    def handle(self, *args: Any, **options: Any) -> None:
        entered = left = 0
        for policy in Policy.objects.filter(is_active=True).order_by("pk"):
            change = actions.rematch_policy(policy=policy)
            entered += len(change.entered)
            left += len(change.left)
        self.stdout.write(f"re-matched: {entered} new eligible pairs, {left} pairs no longer matching")
