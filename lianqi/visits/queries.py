"""Every read of visits that matters: the enterprises a campaign sets out to visit, the lists
and the coverage figures of the pages, an enterprise's visits, and the measures."""

from __future__ import annotations

from django.db.models import QuerySet

from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise

from .choices import ScopeKind
from .models import Campaign


def campaign_targets(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises `campaign` sets out to visit: those in the park (not moved out or closed)
    inside its jurisdiction that its scope selects."""
    enterprises = Enterprise.objects.filter(
        jurisdiction_path__startswith=campaign.jurisdiction_path, status=EnterpriseStatus.ACTIVE
    )
    kind, value = campaign.scope_kind, campaign.scope_value
    if kind == ScopeKind.KIND:
        return enterprises.filter(kind=value)
    if kind == ScopeKind.INDUSTRY:
        # A section is a letter (C 制造业); below it the codes are digits (38, 383, 3831).
        if value.isalpha():
            return enterprises.filter(industry__section=value.upper())
        return enterprises.filter(industry_id__startswith=value)
    if kind == ScopeKind.TAG:
        return enterprises.filter(tags__name=value).distinct()
    if kind == ScopeKind.LIST:
        return enterprises.filter(pk__in=campaign.enterprises.values("pk"))
    return enterprises
