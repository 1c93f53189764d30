"""The matching engine's reasons in plain words (`matching.Reason` codes → sentences in the
user's language), as pages show them and introductions keep them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .matching import Reason


def reason_text(reason: Reason) -> str:
    """One reason as a sentence, with the points it added when it added any."""
    words = {
        "industry_4": _("行业小类相同（%(detail)s）"),
        "industry_3": _("行业中类相同（%(detail)s）"),
        "industry_2": _("行业大类相同（%(detail)s）"),
        "industry_section": _("同属行业门类 %(detail)s"),
        "keywords": _("关键词相近：%(detail)s"),
        "capacity_covers": _("年产能 %(detail)s 可满足采购量"),
        "capacity_short": _("年产能 %(detail)s 不足采购量"),
        "certifications_held": _("具备所需认证：%(detail)s"),
        "certifications_missing": _("缺少认证：%(detail)s"),
        "distance_park": _("同一园区"),
        "distance_city": _("同城"),
        "distance_province": _("同省"),
        "distance_elsewhere": _("省外"),
        "nearer_than_current": _("比现供应商更近，可就近配套"),
    }
    text = words.get(reason.code, reason.code) % {"detail": reason.detail}
    if reason.points:
        text = _("%(text)s（+%(points)s分）") % {"text": text, "points": reason.points}
    return text


def reasons_text(reasons: Iterable[Reason]) -> str:
    """The reasons of one candidate, one sentence per line."""
    return "\n".join(reason_text(reason) for reason in reasons)
