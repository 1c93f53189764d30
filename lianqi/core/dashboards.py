"""What each role sees first. Each app contributes cards; a role sees the cards it may open."""

from __future__ import annotations

from typing import Any


def dashboard_for(user: Any) -> dict[str, Any]:
    return {"cards": []}
