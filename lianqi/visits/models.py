"""Visit campaigns (走访活动) and their questionnaires (问卷), and the visits (走访记录) that
answer them. A questionnaire keeps every version of its definition: a version that a
published campaign or a visit uses is never changed again, so every answer can be read with
the questions it was given on. Every write goes through `actions.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, UploadedDocument
from lianqi.core.workflow import WorkflowEvent

from .choices import CampaignState, ScopeKind, VisitChannel


class Questionnaire(ScopedModel):
    """A questionnaire of a jurisdiction (its office builds it; campaigns below it may use
    it). Its questions live in its versions; the newest is the one being edited."""

    title = models.CharField(_("问卷名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> QuestionnaireVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "a questionnaire is saved with its first version"
        return version


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire's definition (the JSON the questionnaire engine reads,
    `lianqi.visits.questionnaire`). Once a published campaign or a visit uses it, editing the
    questionnaire creates the next version instead of changing this one."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions", verbose_name=_("问卷")
    )
    number = models.PositiveIntegerField(_("版本号"))
    definition = models.JSONField(_("问卷定义"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("编辑人"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="visits_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"


class Campaign(ScopedModel):
    """A themed round of visits (大走访) in a jurisdiction: its period, which enterprises it
    sets out to visit (`scope_kind` with `scope_value`, a hand-picked or imported list, or an
    eligibility rule in `scope_rule`), the coverage it
    aims at, its questionnaire, and the departments and liaisons taking part. It runs the
    lifecycle of `workflow.py` (draft → open → closed); publishing pins the questionnaire's
    version every visit of the campaign answers."""

    title = models.CharField(_("活动名称"), max_length=100)
    theme = models.CharField(_("主题"), max_length=40)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    scope_kind = models.CharField(
        _("走访范围"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.ALL
    )
    # The kind's code, the industry code's prefix or the tag's name, as `scope_kind` says.
    scope_value = models.CharField(_("范围条件"), max_length=100, blank=True)
    # The rule file's data (`lianqi.rules.rules_to_data`) holding exactly one rule, read by the
    # same engine and over the same enterprise records as the policies' matching.
    scope_rule = models.JSONField(_("范围规则"), default=dict, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", blank=True, related_name="+", verbose_name=_("指定企业")
    )
    target_coverage = models.PositiveSmallIntegerField(_("目标走访率（%）"), default=100)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("问卷")
    )
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("问卷版本"),
    )
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name=_("参与部门")
    )
    liaisons = models.ManyToManyField("org.Staff", blank=True, related_name="+", verbose_name=_("参与干部"))
    state = models.CharField(
        _("状态"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后操作人"),
    )
    last_changed_at = models.DateTimeField(_("最后操作时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访活动")
        verbose_name_plural = _("走访活动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="visits_campaign_period"),
            models.CheckConstraint(
                condition=Q(target_coverage__gte=1, target_coverage__lte=100), name="visits_campaign_target"
            ),
            # A rule scope always has its rule.
            models.CheckConstraint(
                condition=~Q(scope_kind=ScopeKind.RULE) | ~Q(scope_rule={}), name="visits_campaign_rule"
            ),
            # A published campaign answers one fixed version of its questionnaire.
            models.CheckConstraint(
                condition=Q(state=CampaignState.DRAFT) | Q(questionnaire_version__isnull=False),
                name="visits_campaign_pinned",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:campaign_detail", args=[self.pk])


class CampaignEvent(WorkflowEvent):
    """One step of a campaign's history (`WorkflowEvent`); never edited or deleted."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="events", verbose_name=_("走访活动")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=CampaignState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=CampaignState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("走访活动记录")
        verbose_name_plural = _("走访活动记录")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.action} {self.from_state} → {self.to_state}"


class Visit(ScopedModel):
    """One visit to an enterprise (or one electronic form it filled itself): in a campaign or,
    without one, a routine visit; when and where the liaison checked in, whom they met, and the
    answers with the questionnaire version they were given on. `idempotency_key` is made by the
    form when it is opened, so a submission retried on a poor network finds the first visit
    instead of recording a second one."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="visits", verbose_name=_("企业")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("走访活动"),
    )
    liaison = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("走访干部"),
    )
    channel = models.CharField(_("采集方式"), max_length=20, choices=VisitChannel.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), db_index=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(_("签到地点"), max_length=200, blank=True)
    people_met = models.CharField(_("接待人员"), max_length=200, blank=True)
    summary = models.TextField(_("走访情况"), blank=True)
    idempotency_key = models.CharField(_("提交标识"), max_length=64, unique=True)
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("问卷版本"),
    )
    answers = models.JSONField(_("问卷答案"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-checked_in_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "enterprise"], name="visits_campaign_enterprise_idx")]
        constraints = [
            # Answers are only ever kept with the version they were given on.
            models.CheckConstraint(
                condition=Q(questionnaire_version__isnull=False) | Q(answers={}),
                name="visits_answers_have_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.checked_in_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])


class VisitFile(UploadedDocument):
    """A photo or file given as the answer to a question of a visit (`question`)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="files", verbose_name=_("走访记录")
    )
    question = models.CharField(_("题目编号"), max_length=40)
    file = models.FileField(_("文件"), upload_to="visits/%Y/%m/", max_length=255)

    class Meta:
        verbose_name = _("走访附件")
        verbose_name_plural = _("走访附件")
        ordering = ["visit", "question", "pk"]

    def __str__(self) -> str:
        return self.name


class RaisedDemand(models.Model):
    """A demand an answer of a visit raised: which question and which answer, and the demand
    filed through the demands' intake action (solved on the spot or not)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="raised", verbose_name=_("走访记录")
    )
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.PROTECT, related_name="raised_by_visit", verbose_name=_("诉求")
    )
    question = models.CharField(_("题目编号"), max_length=40)
    answer = models.CharField(_("答案"), max_length=200)

    class Meta:
        verbose_name = _("走访提出的诉求")
        verbose_name_plural = _("走访提出的诉求")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.demand_id}"
