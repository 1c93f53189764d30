"""The statuses, steps and categories of the park's credit work (信用 + 园区) as `TextChoices`:
the workflow table, the pages, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """What kind of dishonesty record an outside authority published."""

    BLACKLIST = "blacklist", _("失信名单")
    PENALTY = "penalty", _("行政处罚")
    ABNORMAL = "abnormal", _("经营异常名录")


class RecordSource(models.TextChoices):
    ENTERED = "entered", _("手工录入")
    IMPORTED = "imported", _("Excel导入")


class RepairState(models.TextChoices):
    """Where a dishonesty record stands on its way to credit repair (信用修复)."""

    IN_FORCE = "in_force", _("未修复")
    APPLIED = "applied", _("已申请修复")
    MATERIALS = "materials", _("材料已提交")
    REVIEWED = "reviewed", _("审核通过")
    REPAIRED = "repaired", _("已修复")


class RepairAction(models.TextChoices):
    # Entering a record is an event of its history but no step of the table.
    CREATE = "create", _("录入")
    APPLY = "apply", _("申请修复")
    SUBMIT_MATERIALS = "submit_materials", _("提交修复材料")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回补正")
    REPAIR = "repair", _("确认修复")


class BenefitKind(models.TextChoices):
    """The kinds of credit-based conveniences (信易+)."""

    RENT = "rent", _("信用租")
    APPROVAL = "approval", _("信易+审批")
    LEGAL_AID = "legal_aid", _("信易+法律援助")
    FINANCE = "finance", _("信易贷")
    OTHER = "other", _("其他")


class CreditClass(models.TextChoices):
    """The credit classes a scoring rule assigns, best first."""

    A = "A", _("A级（诚信）")
    B = "B", _("B级（良好）")
    C = "C", _("C级（警示）")
    D = "D", _("D级（失信）")


#: The states of a record whose repair is under way (the repairs' list).
REPAIR_STATES = (RepairState.APPLIED, RepairState.MATERIALS, RepairState.REVIEWED, RepairState.REPAIRED)
#: The states in which a record still counts against its enterprise.
OPEN_STATES = (RepairState.IN_FORCE, RepairState.APPLIED, RepairState.MATERIALS, RepairState.REVIEWED)
