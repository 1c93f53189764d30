"""The demo park's year of visits (seed 001: 开展八轮走访活动，收集电子问卷1298份): one campaign per
visit round of last year (`demands.ROUNDS`), each with its theme template's questionnaire and a
scope of its own (the above-size firms, the smaller ones, the factories, every enterprise …, see
`ROUND_SCOPES`), published through the visits' actions, with the forms collected in it — the
liaisons' visits and some of the enterprises' own electronic forms.

The visits whose answers raise a demand are last year's on-the-spot demands: the demand builder
records each through `visits.actions.record_visit` (`VisitBuilder.raise_demand`), so the demand
is filed through the demands' intake action with the liaison's words and its timeline names the
visit; the liaison solved it there and then. The other forms raise nothing and are written in
bulk (their answers drawn for the questionnaire and checked by the questionnaire engine, as the
action would), so that each round collects its share of the year's forms. Every campaign is
closed once its round is over.

Deterministic: the same seed, scale and `today` give the same campaigns, forms and answers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lianqi.accounts.models import User
from lianqi.core import calendar_store, workdays
from lianqi.core.roles import Role, has_role
from lianqi.demands.models import Demand
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction
from lianqi.visits import actions
from lianqi.visits.actions.recording import raised_key
from lianqi.visits.choices import ScopeKind, VisitChannel
from lianqi.visits.models import Campaign, Visit
from lianqi.visits.queries import campaign_targets
from lianqi.visits.questionnaire import Question, Questionnaire, QuestionType, check, parse
from lianqi.visits.questionnaire.definition import NO, YES
from lianqi.visits.themes import BY_KEY

from .log import CHINESE, Say

SHANGHAI = workdays.SHANGHAI

#: Forms collected over the year at scale 1 (seed 001: 电子问卷1298份).
YEAR_FORMS = 1298
#: Of them, the enterprises' own electronic forms.
ELECTRONIC_SHARE = 0.18
#: The theme template each of last year's rounds (`demands.ROUNDS`, by position) follows.
ROUND_TEMPLATES = ("relief", "relief", "business", "safety", "loans", "epidemic", "business", "relief")
#: Whom each round sets out to visit (`ScopeKind`, value): the spring round and the factor
#: supply round the above-size firms, relief and loans the smaller ones, safety the factories
#: (section C), the two broad rounds every enterprise — so that coverage means something.
ROUND_SCOPES: tuple[tuple[str, str], ...] = (
    (ScopeKind.KIND, EnterpriseKind.ABOVE_SIZE),
    (ScopeKind.KIND, EnterpriseKind.BELOW_SIZE),
    (ScopeKind.ALL, ""),
    (ScopeKind.INDUSTRY, "C"),
    (ScopeKind.KIND, EnterpriseKind.BELOW_SIZE),
    (ScopeKind.ALL, ""),
    (ScopeKind.TAG, "规上工业"),
    (ScopeKind.KIND, EnterpriseKind.ABOVE_SIZE),
)

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


@dataclass
class Round:
    """One of last year's campaigns as the demo fills it: its questionnaire, the answers that
    raise a demand (question key, answer, category), the enterprises in its scope, its days,
    how many forms it collects in all and how many of them raised a demand."""

    index: int
    campaign: Campaign
    questionnaire: Questionnaire
    questions: list[Question]
    mappings: list[tuple[str, str, str]]
    targets: list[Enterprise]
    starts: dt.date
    length: int
    forms: int
    raised: int = 0

    @property
    def categories(self) -> set[str]:
        return {category for _key, _answer, category in self.mappings}


class VisitBuilder:
    """Builds the campaigns and forms of `park` for the year `year`: `open_rounds` publishes
    the campaigns, `raise_demand` records a liaison's visit whose answer raises a demand (the
    demand builder calls it for the year's on-the-spot demands), `finish` fills each round up
    to its forms with visits that raise nothing and closes it."""

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
        forms: int = YEAR_FORMS,
        stream: str = "",
    ) -> None:
        """`forms`: the forms the rounds collect at scale 1; `stream`: the name of the random
        stream, so that a second builder (another year) draws apart from the first."""
        self.park, self.scale, self.year, self.rounds = park, scale, year, rounds
        self.office, self.liaison_user = office, liaison_user
        self.forms = forms
        self.rng = random.Random(stream or f"visits-{seed}")
        self.seed = seed
        self.figures = VisitFigures()
        self.opened: list[Round] = []

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

    def open_rounds(self) -> list[Round]:
        """Create and publish one campaign per round, each from its theme's template and with
        its scope, through the visits' actions."""
        total = round(self.forms * self.scale)
        weights = [r[3] for r in self.rounds]
        per_round = [round(total * w / sum(weights)) for w in weights]
        per_round[-1] += total - sum(per_round)
        for index, ((title, (month, day), length, _share, _bias), forms) in enumerate(
            zip(self.rounds, per_round, strict=True)
        ):
            self.opened.append(self._open(index, title, dt.date(self.year, month, day), length, forms))
        return self.opened

    def _open(self, index: int, title: str, starts: dt.date, length: int, forms: int) -> Round:
        at = dt.datetime.combine(starts, dt.time(8, 30), SHANGHAI)
        template = BY_KEY[ROUND_TEMPLATES[index % len(ROUND_TEMPLATES)]]
        scope_kind, scope_value = ROUND_SCOPES[index % len(ROUND_SCOPES)]
        drafted = at - dt.timedelta(days=3)
        # As `start_from_template` does, with the round's own scope.
        version = actions.save_questionnaire(
            questionnaire=None,
            jurisdiction=self.park,
            title=template.title,
            description=template.description,
            definition=template.definition,
            actor=self.office,
            at=drafted,
        )
        campaign = actions.create_campaign(
            jurisdiction=self.park,
            title=f"{self.year}年{title}大走访",
            theme=template.theme,
            starts_on=starts,
            # The round's working days (holidays and 调休 counted) and a weekend to write up.
            ends_on=workdays.add_workdays(starts, length, calendar_store.get_calendar()).day
            + dt.timedelta(days=2),
            questionnaire=version.questionnaire,
            scope_kind=scope_kind,
            scope_value=scope_value,
            actor=self.office,
            at=drafted,
        )
        campaign = actions.publish_campaign(
            campaign=campaign, actor=self.office, expected_version=campaign.version, at=at
        )
        self.figures.campaigns += 1
        pinned = campaign.questionnaire_version
        assert pinned is not None
        questionnaire = parse(pinned.definition)
        questions = list(questionnaire.questions())
        return Round(
            index=index,
            campaign=campaign,
            questionnaire=questionnaire,
            questions=questions,
            mappings=[(q.key, r.answer, r.category) for q in questions for r in q.raises],
            targets=list(campaign_targets(campaign).select_related("liaison").order_by("pk")),
            starts=starts,
            length=length,
            forms=forms,
        )

    def raise_demand(
        self,
        round_: Round,
        enterprise: Enterprise,
        category: str,
        *,
        at: dt.datetime,
        detail: str,
        solved: str,
    ) -> Demand:
        """A liaison's visit to `enterprise` in `round_` whose answer raises a demand of
        `category` with the liaison's `detail`, solved there and then (`solved`, the note);
        recorded through `visits.actions.record_visit`, so the demand's timeline names it."""
        key, answer, _category = self.rng.choice([m for m in round_.mappings if m[2] == category])
        user = self.liaison_user(enterprise)
        actor = user if user is not None and has_role(user, (Role.LIAISON,)) else self.office
        round_.raised += 1
        visit = actions.record_visit(
            enterprise=enterprise,
            actor=actor,
            idempotency_key=f"demo-{self.seed}-{self.year}-{round_.index}-raised-{round_.raised}",
            campaign=round_.campaign,
            answers=draw_answers(round_.questions, self.rng, (key, answer)),
            checked_in_at=at,
            details={raised_key(key, answer): detail},
            solved={raised_key(key, answer): solved},
            at=at,
        )
        raised = list(visit.raised.select_related("demand"))
        self.figures.raised += len(raised)
        self.figures.forms += 1
        return raised[0].demand

    def finish(self) -> VisitFigures:
        """Fill every round up to its forms with visits and electronic forms that raise
        nothing, written in bulk, and close it once its days are over."""
        for round_ in self.opened:
            self._fill(round_)
        return self.figures

    def _fill(self, round_: Round) -> None:
        campaign, questionnaire, questions = round_.campaign, round_.questionnaire, round_.questions
        forms = max(0, round_.forms - round_.raised)
        targets = round_.targets
        chosen = self.rng.sample(targets, min(forms, len(targets)))
        # A small park (or a small-scale demo) visits some firms twice in a round.
        chosen += [self.rng.choice(targets) for _ in range(forms - len(chosen))]
        times = self._times(round_.starts, round_.length, forms)
        rows = []
        for number, (enterprise, checked_in) in enumerate(zip(chosen, times, strict=True)):
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
                    idempotency_key=f"demo-{self.seed}-{self.year}-{round_.index}-{number}",
                    questionnaire_version=campaign.questionnaire_version,
                    answers=checked.values,
                    recorded_by=None if electronic else self.liaison_user(enterprise) or self.office,
                )
            )
            self.figures.electronic += electronic
        Visit.objects.bulk_create(rows, batch_size=500)
        self.figures.forms += forms
        campaign.refresh_from_db()
        actions.close_campaign(
            campaign=campaign,
            actor=self.office,
            expected_version=campaign.version,
            at=dt.datetime.combine(campaign.ends_on, dt.time(18), SHANGHAI),
        )
