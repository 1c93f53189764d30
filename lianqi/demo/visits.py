"""The demo park's year of visits (seed 001: 开展八轮走访活动，收集电子问卷1298份): one campaign per
visit round of last year (`demands.ROUNDS`), each started from the theme template it follows and
published through the visits' actions, with the forms collected in it — the liaisons' visits
and some of the enterprises' own electronic forms.

Most forms raise nothing and are written in bulk (their answers drawn for the questionnaire and
checked by the questionnaire engine, as the action would). The few whose answers raise a demand
are recorded through `visits.actions.record_visit`, so the demand is filed through the demands'
intake action and its timeline names the visit; the liaison solved each on the spot. They are
part of last year's demands: the demand builder files that many fewer on-the-spot demands of its
own (`DemandBuilder.last_year`). Every campaign is closed once its round is over.

Deterministic: the same seed, scale and `today` give the same campaigns, forms and answers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lianqi.accounts.models import User
from lianqi.core import workdays
from lianqi.core.roles import Role, has_role
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction
from lianqi.visits import actions
from lianqi.visits.actions.recording import raised_key
from lianqi.visits.choices import VisitChannel
from lianqi.visits.models import Campaign, Visit
from lianqi.visits.queries import campaign_targets
from lianqi.visits.questionnaire import Question, QuestionType, check, parse
from lianqi.visits.questionnaire.definition import NO, YES

from .log import CHINESE, Say

SHANGHAI = workdays.SHANGHAI

#: Forms collected over the year at scale 1 (seed 001: 电子问卷1298份).
YEAR_FORMS = 1298
#: Of them, the enterprises' own electronic forms.
ELECTRONIC_SHARE = 0.18
#: Forms whose answers raised a demand, at scale 1 (each solved on the spot by the liaison).
RAISING_FORMS = 36

#: The theme template each of last year's rounds (`demands.ROUNDS`, by position) follows.
ROUND_TEMPLATES = ("relief", "relief", "business", "safety", "loans", "epidemic", "business", "relief")

#: How the liaison says they solved a raised demand there and then.
ON_SPOT_NOTES = (
    "现场讲解相关政策并协助企业准备申报材料，企业表示清楚。",
    "当场联系相关部门负责人，约定本周内上门对接，企业认可。",
    "现场协调解决，已向企业反馈处理结果。",
    "将企业需求推送至合作机构，对接人员已与企业联系。",
)
TEXTS = ("", "", "", "希望继续加强政策宣传。", "希望园区多组织对接活动。", "总体满意，无其他意见。")


@dataclass
class VisitFigures:
    """What the visits' demo made, printed after the build and checked by the tests."""

    campaigns: int = 0
    forms: int = 0
    electronic: int = 0
    raised: int = 0

    def lines(self, say: Say = CHINESE) -> list[str]:
        return [
            say(
                f"  走访：{self.campaigns} 轮，问卷 {self.forms} 份（企业自填 {self.electronic} 份），"
                f"由走访提出诉求 {self.raised} 条",
                f"  Visits: {self.campaigns} campaigns, {self.forms} forms "
                f"({self.electronic} by the enterprises themselves), {self.raised} demands raised",
            )
        ]


def raising_forms(scale: float) -> int:
    """How many of the year's forms raise a demand at `scale` (the demand builder files that
    many fewer on-the-spot demands itself)."""
    return round(RAISING_FORMS * scale)


def _shown(question: Question, answers: dict[str, Any]) -> bool:
    if question.show_if is None:
        return True
    given = answers.get(question.show_if.question)
    picked = given if isinstance(given, list) else [given]
    return any(v in question.show_if.values for v in picked)


def draw_answers(
    questions: Sequence[Question], rng: random.Random, raise_: tuple[str, str] | None
) -> dict[str, Any]:
    """Answers to `questions` that raise nothing, except the answer `raise_` (question key,
    answer) when given; hidden questions are left out, as the form leaves them out."""
    answers: dict[str, Any] = {}
    for q in questions:
        if not _shown(q, answers):
            continue
        raising = {r.answer for r in q.raises}
        wanted = raise_[1] if raise_ is not None and raise_[0] == q.key else None
        if q.type == QuestionType.YES_NO:
            answers[q.key] = wanted or (NO if raising or rng.random() < 0.4 else YES)
        elif q.type == QuestionType.SINGLE:
            quiet = [o for o in q.options if o not in raising]
            answers[q.key] = wanted or quiet[min(int(rng.expovariate(1.2)), len(quiet) - 1)]
        elif q.type == QuestionType.MULTIPLE:
            quiet = [o for o in q.options if o not in raising]
            picked = rng.sample(quiet, rng.randint(0 if not q.required else 1, min(2, len(quiet))))
            answers[q.key] = sorted({*picked, *([wanted] if wanted else [])}, key=q.options.index)
        elif q.type == QuestionType.NUMBER:
            low = int(q.min or 0)
            high = min(int(q.max if q.max is not None else 1000), low + 500)
            answers[q.key] = str(rng.randint(low, high))
        elif q.type == QuestionType.DATE:
            if q.required or rng.random() < 0.6:
                answers[q.key] = f"{dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000)):%Y-%m-%d}"
        elif q.type == QuestionType.MATRIX:
            answers[q.key] = {
                row: rng.choices(q.columns, weights=[6, 3, 1][: len(q.columns)])[0] for row in q.rows
            }
        elif q.type == QuestionType.TEXT:
            text = rng.choice(TEXTS)
            if text or q.required:
                answers[q.key] = text or "无"
    return answers


class VisitBuilder:
    """Builds the campaigns and forms of `park` for the year `year`."""

    def __init__(
        self,
        *,
        park: Jurisdiction,
        seed: int,
        scale: float,
        year: int,
        rounds: Sequence[tuple[str, tuple[int, int], int, float, tuple[str, ...]]],
        office: User,
        liaison_user: Callable[[Enterprise], User | None],
    ) -> None:
        self.park, self.scale, self.year, self.rounds = park, scale, year, rounds
        self.office, self.liaison_user = office, liaison_user
        self.rng = random.Random(f"visits-{seed}")
        self.seed = seed
        self.figures = VisitFigures()

    def _times(self, first: dt.date, length: int, count: int) -> list[dt.datetime]:
        """`count` check-in times on the round's first `length` working days (9:00–17:30)."""
        days: list[dt.date] = []
        day = first
        while len(days) < length:
            if day.weekday() < 5:
                days.append(day)
            day += dt.timedelta(days=1)
        return sorted(
            dt.datetime.combine(self.rng.choice(days), dt.time(9), SHANGHAI)
            + dt.timedelta(minutes=self.rng.randrange(510))
            for _ in range(count)
        )

    def build(self) -> VisitFigures:
        total = round(YEAR_FORMS * self.scale)
        weights = [r[3] for r in self.rounds]
        per_round = [round(total * w / sum(weights)) for w in weights]
        per_round[-1] += total - sum(per_round)
        raising = raising_forms(self.scale)
        raising_per_round = [raising * i // len(self.rounds) for i in range(len(self.rounds) + 1)]
        for index, ((title, (month, day), length, _share, _bias), forms) in enumerate(
            zip(self.rounds, per_round, strict=True)
        ):
            starts = dt.date(self.year, month, day)
            count_raising = raising_per_round[index + 1] - raising_per_round[index]
            self._round(index, title, starts, length, forms, count_raising)
        return self.figures

    def _round(self, index: int, title: str, starts: dt.date, length: int, forms: int, raising: int) -> None:
        at = dt.datetime.combine(starts, dt.time(8, 30), SHANGHAI)
        ends = starts + dt.timedelta(days=length * 7 // 5 + 2)
        campaign = actions.start_from_template(
            template=ROUND_TEMPLATES[index % len(ROUND_TEMPLATES)],
            jurisdiction=self.park,
            actor=self.office,
            starts_on=starts,
            ends_on=ends,
            title=f"{self.year}年{title}大走访",
            at=at - dt.timedelta(days=3),
        )
        campaign = actions.publish_campaign(
            campaign=campaign, actor=self.office, expected_version=campaign.version, at=at
        )
        self.figures.campaigns += 1
        version = campaign.questionnaire_version
        assert version is not None
        questionnaire = parse(version.definition)
        questions = list(questionnaire.questions())
        mappings = [(q.key, r.answer) for q in questions for r in q.raises]
        targets = list(campaign_targets(campaign).select_related("liaison").order_by("pk"))
        chosen = self.rng.sample(targets, min(forms, len(targets)))
        # A small park (or a small-scale demo) visits some firms twice in a round.
        chosen += [self.rng.choice(targets) for _ in range(forms - len(chosen))]
        times = self._times(starts, length, forms)
        rows = []
        for number, (enterprise, checked_in) in enumerate(zip(chosen, times, strict=True)):
            key = f"demo-{self.seed}-{index}-{number}"
            if number < raising:
                self._raising(campaign, enterprise, checked_in, key, questions, self.rng.choice(mappings))
                continue
            checked = check(questionnaire, draw_answers(questions, self.rng, None))
            if checked.errors:
                raise RuntimeError(f"demo answers do not fit {campaign.title}: {checked.errors}")
            electronic = self.rng.random() < ELECTRONIC_SHARE
            contacts = list(enterprise.contacts.all()[:1]) if electronic else []
            rows.append(
                Visit(
                    jurisdiction_id=enterprise.jurisdiction_id,
                    jurisdiction_path=enterprise.jurisdiction_path,
                    enterprise=enterprise,
                    campaign=campaign,
                    liaison_id=enterprise.liaison_id,
                    channel=VisitChannel.ELECTRONIC if electronic else VisitChannel.LIAISON,
                    checked_in_at=checked_in,
                    people_met=contacts[0].name if contacts else "",
                    idempotency_key=key,
                    questionnaire_version=version,
                    answers=checked.values,
                    recorded_by=None if electronic else self.liaison_user(enterprise) or self.office,
                )
            )
            self.figures.electronic += electronic
        Visit.objects.bulk_create(rows, batch_size=500)
        self.figures.forms += forms
        actions.close_campaign(
            campaign=campaign,
            actor=self.office,
            expected_version=campaign.version,
            at=dt.datetime.combine(campaign.ends_on, dt.time(18), SHANGHAI),
        )

    def _raising(
        self,
        campaign: Campaign,
        enterprise: Enterprise,
        at: dt.datetime,
        key: str,
        questions: list[Question],
        mapping: tuple[str, str],
    ) -> None:
        """One liaison's visit whose answer raises a demand, solved there and then."""
        user = self.liaison_user(enterprise)
        actor = user if user is not None and has_role(user, (Role.LIAISON,)) else self.office
        visit = actions.record_visit(
            enterprise=enterprise,
            actor=actor,
            idempotency_key=key,
            campaign=campaign,
            answers=draw_answers(questions, self.rng, mapping),
            checked_in_at=at,
            solved={raised_key(*mapping): self.rng.choice(ON_SPOT_NOTES)},
            at=at,
        )
        self.figures.raised += visit.raised.count()


def build_visits(
    *,
    park: Jurisdiction,
    seed: int,
    scale: float,
    year: int,
    rounds: Sequence[tuple[str, tuple[int, int], int, float, tuple[str, ...]]],
    office: User,
    liaison_user: Callable[[Enterprise], User | None],
) -> VisitFigures:
    """The campaigns and forms of `park`'s year `year` (see the module's docstring)."""
    return VisitBuilder(
        park=park, seed=seed, scale=scale, year=year, rounds=rounds, office=office, liaison_user=liaison_user
    ).build()
