"""What every database benchmark shares: Django set up on PostgreSQL only, and percentiles."""

from __future__ import annotations

import os
import sys


def setup_django(database: str) -> None:
    """Set Django up against `DATABASE_URL`, refusing anything but PostgreSQL (SQLite is the
    embedded trial store, not what a park's production runs on); `database` is the name the
    message suggests."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "This benchmark runs on PostgreSQL only (SQLite is the embedded trial store, not what a\n"
            f"park's production runs on). Set DATABASE_URL=postgres://USER@HOST:PORT/{database}"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("LIANQI_DEBUG", "false")
    import django

    django.setup()


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile `pct` (0–100) of `values`."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
