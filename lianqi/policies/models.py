"""Policies (政策) as versioned eligibility rules (申报条件) with a benefit (兑现事项), their
stored matches to enterprises, and the fulfilment ledger that follows every promised yuan to
its disbursement (兑付). Writes go through `actions.py`; the rules are evaluated by the plain
engine in `lianqi.rules`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel, UploadedDocument
from lianqi.core.search import normalise_search_text
from lianqi.core.uploads import stored_name
from lianqi.core.workflow import WorkflowEvent

from .choices import FulfilmentState, MatchVerdict, PolicyKind, PolicyLevel, VersionState


def leveled_title(title: str, level: str) -> str:
    """A policy's title with its level (高新技术企业奖励（市级）): what `Policy.title_with_level`
    shows, for rows read as values."""
    return gettext("%(title)s（%(level)s）") % {"title": title, "level": PolicyLevel(level).label}


class Policy(ScopedModel):
    """One policy as the supermarket lists it: who issued it, at which level, what kind of
    benefit, and whether enterprises apply for it or receive it without applying (免申即享).
    Its eligibility and amount live in its versions; the version valid on a date applies."""

    code = models.CharField(_("政策编号"), max_length=40, unique=True)
    title = models.CharField(_("政策名称"), max_length=200)
    level = models.CharField(_("政策层级"), max_length=20, choices=PolicyLevel.choices)
    kind = models.CharField(_("政策类型"), max_length=20, choices=PolicyKind.choices)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("主管部门"),
    )
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    summary = models.TextField(_("政策摘要"), blank=True)
    source_url = models.URLField(_("原文链接"), blank=True)
    needs_application = models.BooleanField(_("需企业申报"), default=True)
    no_application = models.BooleanField(
        _("免申即享"),
        default=False,
        help_text=_("符合条件的企业无需申报，经审核批准后直接兑现；仅限条件全部可由平台数据核验的政策"),
    )
    is_active = models.BooleanField(_("上架"), default=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title_with_level(self) -> str:
        """The title with its level, as every list, export and notice names the policy: a city
        and a park often publish policies of the same title."""
        return leveled_title(self.title, self.level)

    def fill_derived_fields(self) -> None:
        super().fill_derived_fields()
        self.search_text = normalise_search_text(
            self.code, self.title, self.issuer, self.document_number, self.summary
        )


class PolicyVersion(TimeStampedModel):
    """One wording of a policy's rule, valid from `valid_from` to `valid_to` (inclusive, open
    when empty). `rule` is the rule file's data (`lianqi.rules.rules_to_data`) holding exactly
    one rule, whose code is the policy's, with its parameters and test cases. Published
    versions of one policy never overlap; a draft is edited freely and checked on publishing."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("政策")
    )
    number = models.PositiveIntegerField(_("版本号"))
    state = models.CharField(
        _("状态"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    rule = models.JSONField(_("申报条件"))
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policies_version_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="policies_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.number}"


class PolicyMatch(models.Model):
    """The current verdict of one (policy, enterprise) pair that is eligible or may be
    (unknown); pairs that do not match are not stored. Rewritten by re-matching whenever the
    enterprise's data or the policy changes."""

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="matches", verbose_name=_("政策")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="policy_matches",
        verbose_name=_("企业"),
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("版本")
    )
    verdict = models.CharField(_("匹配结论"), max_length=20, choices=MatchVerdict.choices)
    amount = models.DecimalField(_("测算金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, db_index=True)
    matched_at = models.DateTimeField(_("匹配时间"))

    class Meta:
        verbose_name = _("政策匹配")
        verbose_name_plural = _("政策匹配")
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_match_unique"),
        ]
        indexes = [models.Index(fields=["enterprise", "verdict"])]

    def __str__(self) -> str:
        return f"{self.policy_id} × {self.enterprise_id}: {self.verdict}"


class Fulfilment(ScopedModel):
    """One promised benefit in the ledger (承诺兑现台账): a policy's benefit to one enterprise
    for one period (year), from the match to the disbursement with its amount, date and
    voucher number, or to a rejection with its reason. Each step has a working-day deadline
    (`due_on`); `version` guards against two people acting on a stale page."""

    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("政策")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("企业")
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本")
    )
    period = models.PositiveSmallIntegerField(_("兑现年度"))
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=FulfilmentState.choices,
        default=FulfilmentState.MATCHED,
        db_index=True,
    )
    no_application = models.BooleanField(_("免申即享"), default=False)
    promised_amount = models.DecimalField(
        _("测算金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    approved_amount = models.DecimalField(
        _("批准金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    disbursed_amount = models.DecimalField(
        _("兑付金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    disbursed_on = models.DateField(_("兑付日期"), null=True, blank=True)
    voucher_number = models.CharField(_("凭证号"), max_length=60, blank=True)
    reject_reason = models.CharField(_("不予通过理由"), max_length=200, blank=True)
    application_text = models.TextField(_("申报说明"), blank=True)
    applicant_name = models.CharField(_("申报联系人"), max_length=40, blank=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    due_on = models.DateField(_("本环节办理期限"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_changed_at = models.DateTimeField(_("最后操作时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("兑现台账")
        verbose_name_plural = _("兑现台账")
        ordering = ["-period", "policy", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "enterprise", "period"], name="policies_fulfilment_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=FulfilmentState.values), name="policies_fulfilment_state_valid"
            ),
            # A disbursement always says how much, when and on which voucher.
            models.CheckConstraint(
                condition=~Q(state=FulfilmentState.DISBURSED)
                | (Q(disbursed_amount__isnull=False) & Q(disbursed_on__isnull=False) & ~Q(voucher_number="")),
                name="policies_fulfilment_disbursed_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state=FulfilmentState.REJECTED) | ~Q(reject_reason=""),
                name="policies_fulfilment_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.enterprise} · {self.period}"


class FulfilmentEvent(WorkflowEvent):
    """One step of a ledger entry (`lianqi.core.workflow.WorkflowEvent`): who, when, from which
    state to which, with what note, and the amount and deadline the step set. Never edited or
    deleted."""

    fulfilment = models.ForeignKey(
        Fulfilment, on_delete=models.PROTECT, related_name="events", verbose_name=_("兑现台账")
    )
    # The states with their labels (the history shows them); the rest is the kit's row.
    from_state = models.CharField(_("原状态"), max_length=20, choices=FulfilmentState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=FulfilmentState.choices)
    by_enterprise = models.BooleanField(_("企业操作"), default=False)
    amount = models.DecimalField(_("金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("兑现记录")
        verbose_name_plural = _("兑现记录")

    def __str__(self) -> str:
        return f"{self.fulfilment_id}: {self.action} {self.from_state} → {self.to_state}"


def materials_path(instance: FulfilmentMaterial, filename: str) -> str:
    return stored_name("policies", filename, instance.at)


class FulfilmentMaterial(UploadedDocument):
    """A document an enterprise hands in with its application (申报材料): checked for type,
    content and size when it is stored (`lianqi.core.uploads`)."""

    fulfilment = models.ForeignKey(
        Fulfilment, on_delete=models.PROTECT, related_name="materials", verbose_name=_("兑现台账")
    )
    file = models.FileField(_("文件"), upload_to=materials_path, max_length=200)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name
