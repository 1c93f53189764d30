from django.db import models
from django.utils.translation import gettext_lazy as _


class JurisdictionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    PARK = "park", _("园区")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇街道")
    VILLAGE = "village", _("村社区")
    GROUP = "group", _("村民小组")


#: Which levels may sit directly below which: the tree of M10's county–township–village–group
#: grid and of the city's parks.
ALLOWED_CHILD_LEVELS: dict[str, tuple[str, ...]] = {
    JurisdictionLevel.PROVINCE: (JurisdictionLevel.CITY,),
    JurisdictionLevel.CITY: (JurisdictionLevel.PARK, JurisdictionLevel.COUNTY),
    JurisdictionLevel.PARK: (JurisdictionLevel.TOWNSHIP,),
    JurisdictionLevel.COUNTY: (JurisdictionLevel.PARK, JurisdictionLevel.TOWNSHIP),
    JurisdictionLevel.TOWNSHIP: (JurisdictionLevel.VILLAGE,),
    JurisdictionLevel.VILLAGE: (JurisdictionLevel.GROUP,),
    JurisdictionLevel.GROUP: (),
}


class StaffTier(models.TextChoices):
    """Where a cadre stands in the liaison layout (分层级排布): leaders take the largest firms."""

    LEADER = "leader", _("园区领导")
    MIDDLE = "middle", _("中层干部")
    STAFF = "staff", _("一般干部")
