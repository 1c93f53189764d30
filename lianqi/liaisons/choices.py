from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentMethod(models.TextChoices):
    """How a liaison came to be assigned: kept on every change for the record."""

    RULE = "rule", _("按规则分配")
    MANUAL = "manual", _("手工指定")
    BULK = "bulk", _("批量分配")
    EXCEL = "excel", _("Excel 导入")
    HANDOVER = "handover", _("离岗移交")
    CREATED = "created", _("建档时指定")
