"""The demo park's year of demands (诉求), as seed 001 tells it, created through the demand
actions so that every demand has its real history.

Two stories, both in the main park and anchored on the build day `today` (the demo's "now":
every event happens before it, so the pages' overdue and due-soon lists are right on the day
the demo is built):

- **Last year** (`today.year - 1`): eight visit rounds, 1,046 demands at scale 1, 71% solved on
  the spot by the liaison, 20% through time-limited assignment, the monthly roundtable and the
  weekly dispatch meeting, 9% legacy problems through expert consultation; all closed by
  31 December, most solved, a few explained or outside the park's remit, rated by the
  enterprise or at the office's return visit (a few 不满意 → redo → closed), with send-backs,
  re-routes, extensions and supervision along the way.
- **The latest half year** (from 1 July when the build day is in September or later, else the
  six months before it): 766 demands split over all 27 departments, every one assigned with a
  deadline; most closed by now, the rest open in every state the pages list (waiting to be
  signed, in hand, a few overdue, some due soon, extension asked, sent back, escalated,
  replied and awaiting the rating), legacy problems among them still being cleared.
  A handful of brand-new demands wait for the office to assign them.

Deterministic: the same seed, scale and `today` give the same demands, texts and times.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Prefetch

from lianqi.accounts.models import User
from lianqi.core import calendar_store, workdays
from lianqi.core.roles import Role
from lianqi.demands import actions, notify, statistics
from lianqi.demands.choices import Channel, DemandState, Outcome, Satisfaction, Venue
from lianqi.demands.models import Category, CategoryRouting, Demand, DemandEvent
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Contact, Enterprise
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff

from . import catalogue
from .catalogue import MANUFACTURING, SERVICE_OFFICE
from .demand_texts import (
    CONTACT_TITLES,
    EXTENSION_REASONS,
    ROUTING,
    SATISFIED_NOTES,
    SEND_BACK_REASONS,
    SUPERVISION_NOTES,
    TOPICS,
    UNSATISFIED_NOTES,
    Topic,
    slots,
)
from .log import CHINESE, Say
from .visits import YEAR_FORMS, Round, VisitBuilder, VisitFigures

SHANGHAI = workdays.SHANGHAI

#: Last year's demands at scale 1 and their split over the resolution ladder (seed 001:
#: 1000余条, 当即解决70%以上, 限时交办/圆桌会/调度会 20%, 专家专项协商 10%).
YEAR_DEMANDS = 1046
ON_SPOT_SHARE = 0.71
EXPERT_SHARE = 0.09
#: Of the assigned share: how many went to the roundtable and to the dispatch meeting.
ROUNDTABLE_SHARE = 0.18
DISPATCH_SHARE = 0.14
#: The latest half year (seed 001: 766条问题、诉求分解到园区27个部门，已全部进行交办).
HALF_YEAR_DEMANDS = 766
#: Brand-new demands the office has not assigned yet.
NEW_DEMANDS = 9

#: Last year's eight visit rounds: (theme, first day as (month, day), working days, share of
#: the year's demands, categories the theme brings up more often).
ROUNDS: tuple[tuple[str, tuple[int, int], int, float, tuple[str, ...]], ...] = (
    ("新春走访·助企开门红", (2, 10), 12, 0.12, ("用工招聘", "融资困难")),
    ("助企纾困", (3, 10), 15, 0.15, ("融资困难", "政策咨询")),
    ("送政策、解难题、优服务", (4, 14), 12, 0.13, ("政策咨询", "培训指导")),
    ("安全生产", (5, 19), 12, 0.11, ("安全环保",)),
    ("贴息贷款", (6, 16), 10, 0.12, ("融资困难",)),
    ("心连心走基层、面对面解难题", (8, 4), 15, 0.13, ("基础设施", "用地需求", "水电气")),
    ("营商环境", (9, 15), 12, 0.12, ("审批服务", "其他")),
    ("要素保障", (11, 3), 10, 0.12, ("用地需求", "水电气", "用工招聘")),
)
#: The latest half year's themed visits (seed 001's second half).
HALF_YEAR_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("助企纾困", ("融资困难", "政策咨询")),
    ("安全生产", ("安全环保",)),
    ("贴息贷款", ("融资困难",)),
    ("稳岗就业", ("用工招聘", "培训指导")),
    ("营商环境", ("审批服务", "基础设施", "其他")),
)

#: Open states of the latest half year at scale 1 (the rest is closed).
OPEN_PLAN: tuple[tuple[str, int], ...] = (
    ("assigned", 18),
    ("assigned_overdue", 4),
    ("signed", 20),
    ("handling", 38),
    ("handling_due_soon", 12),
    ("handling_overdue", 14),
    ("handling_extension", 5),
    ("handling_legacy", 6),
    ("sent_back", 8),
    ("replied", 34),
    ("replied_return_visit", 14),
    ("escalated_roundtable", 6),
    ("escalated_dispatch", 5),
    ("escalated_expert", 6),
)
#: Working days after a reply before the office's return visit replaces the enterprise's rating.
RATING_WINDOW = 5
#: Of the office's return visits, the share that finds the enterprise dissatisfied, so that the
#: demand is redone (seed 003: 回访满意度达97.4%).
RETURN_VISIT_DISSATISFIED = 0.026
#: Of the enterprises' own ratings, the share that is 不满意 (the demand is redone too).
RATING_DISSATISFIED = 0.03
#: Of the replies, the share rated at the office's return visit rather than by the enterprise.
RETURN_VISIT_SHARE = 0.4

#: How a liaison's note begins, and how an ask without a request ends.
OPENINGS = (
    "",
    "",
    "",
    "走访中企业反映：",
    "企业负责人反映，",
    "企业财务负责人表示，",
    "企业提出：",
    "据企业介绍，",
)
CLOSINGS = (
    "",
    "希望园区帮助协调。",
    "希望尽快解决。",
    "恳请相关部门给予支持。",
    "企业对此较为迫切，希望尽快答复。",
)

#: How a department's reply begins and ends, and how a liaison's on-the-spot note ends.
REPLY_OPENINGS = ("", "", "接件后立即安排专人对接，", "经现场核实，", "经与企业当面沟通，", "经部门会商，")
REPLY_CLOSINGS = ("", "", "已电话告知企业负责人。", "企业表示认可。", "后续将持续跟踪服务。")
ON_SPOT_CLOSINGS = (
    "",
    "",
    "企业表示满意。",
    "已留下联系方式，后续跟踪。",
    "企业当场表示认可。",
    "已记入走访台账。",
)

#: The department of the demo's `handler` login.
DEMO_HANDLER_DEPARTMENT = "经济发展局"

#: Working minutes of a day from 08:30.
DAY_MINUTES = 540


@dataclass
class DemandFigures:
    """The demand figures of the demo, printed after the build and checked by the tests."""

    year: int = 0
    year_total: int = 0
    on_spot: int = 0
    assigned: int = 0
    roundtable: int = 0
    dispatch: int = 0
    expert: int = 0
    year_open: int = 0
    #: This year's first half (when the latest half year starts on 1 July): its demands, those
    #: solved on the spot, and its campaigns and forms.
    first_half_total: int = 0
    first_half_on_spot: int = 0
    first_half_visits: VisitFigures | None = None
    half_year_start: dt.date | None = None
    half_year_total: int = 0
    half_year_open: int = 0
    half_year_departments: dict[str, int] = field(default_factory=dict)
    legacy_total: int = 0
    legacy_open: int = 0
    new: int = 0
    events: int = 0
    seconds: float = 0.0
    #: Year → the statistics page's 回访满意率 of the demands received that year (None
    #: without a return visit), for last year and this year.
    return_visit_satisfaction: dict[int, Decimal | None] = field(default_factory=dict)
    #: Last year's demands on the resolution ladder, as the ladder page counts them.
    ladder: statistics.Ladder | None = None
    #: Last year's campaigns and forms (`lianqi.demo.visits`), whose raised demands count here.
    visits: VisitFigures | None = None

    def share(self, part: int) -> float:
        return 100.0 * part / self.year_total if self.year_total else 0.0

    def lines(self, say: Say = CHINESE) -> list[str]:
        ladder = self.assigned + self.roundtable + self.dispatch
        closed = self.year_total - self.year_open
        lines = [
            say(
                f"  {self.year} 年诉求：{self.year_total} 条（已办结 {closed}），"
                f"当即解决 {self.on_spot}（{self.share(self.on_spot):.1f}%），"
                f"交办/圆桌会/调度会 {ladder}（{self.share(ladder):.1f}%：{self.assigned}/{self.roundtable}/"
                f"{self.dispatch}），专家专项协商 {self.expert}（{self.share(self.expert):.1f}%）",
                f"  Demands {self.year}: {self.year_total} (closed {closed}), "
                f"on the spot {self.on_spot} ({self.share(self.on_spot):.1f}%), "
                f"assigned/roundtable/dispatch {ladder} ({self.share(ladder):.1f}%: "
                f"{self.assigned}/{self.roundtable}/{self.dispatch}), "
                f"expert {self.expert} ({self.share(self.expert):.1f}%)",
            ),
            *(
                [
                    say(
                        f"  今年上半年诉求：{self.first_half_total} 条，当即解决 {self.first_half_on_spot} 条",
                        f"  Demands this year to 30 June: {self.first_half_total}, "
                        f"{self.first_half_on_spot} solved on the spot",
                    )
                ]
                if self.first_half_total
                else []
            ),
            say(
                f"  {self.half_year_start} 以来诉求：{self.half_year_total} 条，交办 "
                f"{len(self.half_year_departments)} 个部门，未办结 {self.half_year_open} 条；"
                f"待交办新诉求 {self.new} 条",
                f"  Demands since {self.half_year_start}: {self.half_year_total} assigned over "
                f"{len(self.half_year_departments)} departments, {self.half_year_open} still open; "
                f"{self.new} new awaiting assignment",
            ),
            say(
                f"  遗留问题：{self.legacy_total} 条，未清零 {self.legacy_open} 条；"
                f"诉求办理记录 {self.events} 条，用时 {self.seconds:.1f} 秒",
                f"  Legacy problems: {self.legacy_total}, open {self.legacy_open}; "
                f"{self.events} demand events in {self.seconds:.1f} s",
            ),
        ]
        satisfaction = say.list(
            [
                f"{year} {'—' if rate is None else f'{rate}%'}"
                for year, rate in self.return_visit_satisfaction.items()
            ]
        )
        lines.append(say(f"  回访满意率：{satisfaction}", f"  Satisfaction at return visits: {satisfaction}"))
        if self.ladder is not None:
            names = {
                "assigned": say("限时交办", "assigned"),
                "roundtable": say("圆桌会", "roundtable"),
                "dispatch_meeting": say("调度会", "dispatch meeting"),
            }
            split = say.list(
                [
                    f"{names[step.rung.key]} {step.count} ({step.share_of_escalated}%)"
                    for step in self.ladder.steps
                    if step.rung.escalated
                ]
            )
            escalated, share, total = self.ladder.escalated, self.ladder.escalated_share, self.ladder.total
            lines.append(
                say(
                    f"  {self.year} 年分级化解（按数据统计）：交办、圆桌会、调度会 {escalated} 条"
                    f"（占 {total} 条的 {share}%）：{split}",
                    f"  Ladder {self.year} (counted): escalated {escalated} ({share}% of {total}): {split}",
                )
            )
        by_department = say.list([f"{name} {n}" for name, n in self.half_year_departments.items()])
        lines.append(say(f"  按部门：{by_department}", f"  By department: {by_department}"))
        for visits in (self.visits, self.first_half_visits):
            if visits is not None:
                lines += visits.lines(say)
        return lines


class _Clock:
    """Working days as positions, so that a story advances by working days and a deadline is
    a position too (`add_workdays` from a working day is the n-th next position)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        cal = calendar_store.get_calendar()
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            if workdays.is_workday(day, cal):
                self.days.append(day)
            day += dt.timedelta(days=1)

    def index(self, day: dt.date) -> int:
        """The position of the first working day on or after `day`."""
        low, high = 0, len(self.days)
        while low < high:
            mid = (low + high) // 2
            if self.days[mid] < day:
                low = mid + 1
            else:
                high = mid
        return low

    def moment(self, position: int, minute: int) -> dt.datetime:
        day = self.days[position]
        base = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=SHANGHAI)
        return base + dt.timedelta(minutes=minute)


class _Cursor:
    """Where a demand's story stands in time; never beyond `limit` (a working-day position),
    always strictly later than the step before."""

    def __init__(self, clock: _Clock, rng: random.Random, position: int, limit: int) -> None:
        self.clock, self.rng = clock, rng
        self.limit = limit
        self.position = min(position, limit)
        self.minute = rng.randint(0, 420)

    def now(self) -> dt.datetime:
        return self.clock.moment(self.position, self.minute)

    def later(self, low: int = 0, high: int = 0) -> dt.datetime:
        gap = self.rng.randint(low, high)
        target = min(self.position + gap, self.limit)
        if target > self.position:
            self.position = target
            self.minute = self.rng.randint(0, 480)
        else:
            # Later the same day; past the end of the working day a minute at a time.
            step = self.rng.randint(5, 90)
            self.minute = max(self.minute + 1, min(self.minute + step, DAY_MINUTES))
        return self.now()

    def to(self, position: int) -> dt.datetime:
        """Jump to a given working day (a meeting), unless it is already past."""
        if position > self.position:
            self.position = min(position, self.limit)
            self.minute = self.rng.randint(0, 300)
            return self.now()
        return self.later()


@dataclass
class _People:
    """The accounts that act in the demo's demands."""

    by_staff: dict[int, User]
    office: list[User]
    leaders: list[User]
    leader_staff: list[Staff]
    handlers: dict[int, list[User]]
    heads: dict[int, Staff]
    enterprise_user: User | None


class _Story:
    """One demand's way through the lifecycle, step by step through the actions."""

    def __init__(
        self, build: DemandBuilder, demand: Demand, cursor: _Cursor, topic: Topic, fill: dict[str, Any]
    ):
        self.b, self.d, self.c, self.topic, self.fill = build, demand, cursor, topic, fill
        self.rng = build.rng
        self.department = build.departments[topic.department]

    # --- who acts --------------------------------------------------------------------------
    def office(self) -> User:
        people = self.b.people
        return people.office[0] if self.rng.random() < 0.5 else self.rng.choice(people.office)

    def handler(self, department: Department | None = None) -> User:
        return self.rng.choice(self.b.people.handlers[(department or self.department).pk])

    def leader(self) -> User:
        return self.rng.choice(self.b.people.leaders)

    def text(self, templates: Sequence[str]) -> str:
        return self.rng.choice(templates).format_map(self.fill)

    # --- steps -----------------------------------------------------------------------------
    def assign(self, department: Department | None = None, *, low: int = 0, high: int = 2) -> None:
        department = department or self.department
        co = []
        if self.rng.random() < 0.08:
            co = [self.rng.choice([d for d in self.b.departments.values() if d.pk != department.pk])]
        self.d = actions.assign_demand(
            demand=self.d,
            actor=self.office(),
            expected_version=self.d.version,
            department=department,
            workdays_limit=self.b.deadline(self.topic),
            co_departments=co,
            note=self.rng.choice(("", "请按期办理并答复企业。", "请牵头办理，协办部门配合。")),
            at=self.c.later(low, high),
        )

    def sign_and_start(self) -> None:
        handler = self.handler(self.d.lead_department)
        self.d = actions.sign_demand(
            demand=self.d, actor=handler, expected_version=self.d.version, at=self.c.later(0, 1)
        )
        self.d = actions.start_demand(
            demand=self.d, actor=handler, expected_version=self.d.version, at=self.c.later(0, 2)
        )

    def send_back_and_reroute(self) -> None:
        """First routed to a department that is not the right one; it sends back, the office
        re-routes to the topic's department."""
        self.d = actions.send_back_demand(
            demand=self.d,
            actor=self.handler(self.d.lead_department),
            expected_version=self.d.version,
            reason=self.rng.choice(SEND_BACK_REASONS).format(department=self.department.name),
            at=self.c.later(0, 2),
        )
        self.reroute()

    def reroute(self) -> None:
        self.d = actions.reroute_demand(
            demand=self.d,
            actor=self.office(),
            expected_version=self.d.version,
            department=self.department,
            note=f"改由{self.department.name}牵头办理。",
            at=self.c.later(0, 1),
        )

    def extension(self, *, decide: bool = True) -> None:
        handler = self.handler(self.d.lead_department)
        self.d = actions.request_extension(
            demand=self.d,
            actor=handler,
            expected_version=self.d.version,
            workdays_limit=self.rng.choice((5, 10, 15)),
            reason=self.rng.choice(EXTENSION_REASONS),
            at=self.c.later(1, 4),
        )
        if decide:
            approve = self.rng.random() < 0.8
            self.d = actions.decide_extension(
                demand=self.d,
                actor=self.office(),
                expected_version=self.d.version,
                approve=approve,
                note="同意延期，请在新期限内办结。" if approve else "不同意延期，请按原期限办结。",
                at=self.c.later(0, 1),
            )

    def supervise(self) -> None:
        self.d = actions.supervise_demand(
            demand=self.d,
            actor=self.office(),
            expected_version=self.d.version,
            note=self.rng.choice(SUPERVISION_NOTES),
            at=self.c.later(0, 2),
        )

    def remind(self) -> None:
        self.d = actions.remind_demand(
            demand=self.d,
            actor=self.office(),
            expected_version=self.d.version,
            note="请抓紧办理，按期答复。",
            at=self.c.later(0, 1),
        )

    def reply(self, outcome: Outcome | None = None, *, low: int = 1, high: int = 6) -> None:
        outcome = outcome or self.b.draw_outcome()
        if outcome == Outcome.SOLVED:
            note = self.text(self.topic.replies)
        elif outcome == Outcome.EXPLAINED:
            note = self.text(self.topic.explained or self.b.explained_default)
        else:
            note = self.b.not_remit_text
        if outcome == Outcome.SOLVED:
            note = self.rng.choice(REPLY_OPENINGS) + note
        note += self.rng.choice(REPLY_CLOSINGS)
        self.d = actions.reply_demand(
            demand=self.d,
            actor=self.handler(self.d.lead_department),
            expected_version=self.d.version,
            outcome=outcome,
            note=note,
            at=self.c.later(low, high),
        )

    def rate(self, *, unsatisfied: bool = False, return_visit: bool | None = None) -> None:
        enterprise = self.d.enterprise
        if return_visit is None:
            return_visit = self.rng.random() < RETURN_VISIT_SHARE
        if return_visit:
            self.b.return_visits += 1
            self.b.return_visits_dissatisfied += unsatisfied
        if unsatisfied:
            satisfaction, solved, note = Satisfaction.UNSATISFIED, False, self.rng.choice(UNSATISFIED_NOTES)
        else:
            satisfaction = Satisfaction.SATISFIED if self.rng.random() < 0.88 else Satisfaction.BASICALLY
            note = self.rng.choice(SATISFIED_NOTES)
            # `rate_demand` sends any "not solved" answer back to redo, so an accepted
            # explanation is recorded as settled.
            solved = True
        if return_visit:
            actor: User | None = self.office()
            enterprise_arg = None
        else:
            user = self.b.people.enterprise_user
            actor = user if user is not None and user.enterprise_id == enterprise.pk else None
            enterprise_arg = None if actor is not None else enterprise
        self.d = actions.rate_demand(
            demand=self.d,
            actor=actor,
            enterprise=enterprise_arg,
            expected_version=self.d.version,
            contacted=True,
            solved=solved,
            satisfaction=satisfaction,
            note=note,
            return_visit=return_visit,
            at=self.c.later(1, 5),
        )

    def finish(self) -> None:
        """Reply and rating, by the enterprise or at the office's return visit; for a few,
        不满意 → redo → reply → a return visit. The return visits that find the enterprise
        dissatisfied are kept at `RETURN_VISIT_DISSATISFIED` of all return visits so far, so
        the year's 回访满意率 lands near the seed's whatever the scale."""
        return_visit = self.rng.random() < RETURN_VISIT_SHARE
        if return_visit:
            b = self.b
            # The nearest whole number of dissatisfied visits to the share, visit by visit.
            redo = b.return_visits_dissatisfied + 0.5 <= RETURN_VISIT_DISSATISFIED * (b.return_visits + 1)
        else:
            redo = self.rng.random() < RATING_DISSATISFIED
        if redo:
            self.reply(Outcome.SOLVED)
            self.rate(unsatisfied=True, return_visit=return_visit)
            self.sign_and_start()
            self.reply(Outcome.SOLVED, low=1, high=4)
            # The office goes back to check the redo itself.
            self.rate(return_visit=True)
            return
        self.reply()
        self.rate(return_visit=return_visit)

    def escalate(self, venue: Venue, *, meeting_gap: tuple[int, int], pending: bool = False) -> int:
        """Escalate; returns the meeting's working-day position (within the story's limit
        unless the meeting is `pending`, still to come)."""
        b = self.b
        position = min(
            self.c.position + self.rng.randint(*meeting_gap), self.c.limit + (40 if pending else 0)
        )
        meeting_on = b.clock.days[min(position, len(b.clock.days) - 1)]
        if venue == Venue.ROUNDTABLE:
            meeting = f"{meeting_on.month}月亲商优商企业接待日圆桌会"
            owner = self.rng.choice(b.people.leader_staff)
        elif venue == Venue.DISPATCH_MEETING:
            meeting = f"第{meeting_on.isocalendar().week}周重点项目调度会"
            owner = self.rng.choice(b.people.leader_staff)
        else:
            meeting = f"{self.topic.category}遗留问题专家专项协商会"
            owner = b.people.heads.get(self.department.pk) or self.rng.choice(b.people.leader_staff)
        self.d = actions.escalate_demand(
            demand=self.d,
            actor=self.office(),
            expected_version=self.d.version,
            venue=venue,
            meeting=meeting,
            meeting_on=meeting_on,
            owner=owner,
            note=f"提交{meeting}协调。",
            at=self.c.later(0, 2),
        )
        return position

    def decide(self, meeting: int, *, close: bool) -> None:
        at = self.c.to(meeting)
        if close:
            outcome = Outcome.SOLVED if self.rng.random() < 0.6 else Outcome.EXPLAINED
            note = (
                "会上明确各方责任，当场协调解决。"
                if outcome == Outcome.SOLVED
                else "经会议研究，该事项暂不具备解决条件，已向企业解释说明，纳入后续跟踪。"
            )
            self.d = actions.decide_escalation(
                demand=self.d,
                actor=self.leader(),
                expected_version=self.d.version,
                note=note,
                outcome=outcome,
                at=at,
            )
            return
        limit = (
            self.rng.choice((10, 15, 20, 30))
            if self.d.venue == Venue.EXPERT
            else self.rng.choice((5, 10, 15))
        )
        self.d = actions.decide_escalation(
            demand=self.d,
            actor=self.leader(),
            expected_version=self.d.version,
            note=f"会议明确由{self.department.name}牵头，{limit}个工作日内办结并答复企业。",
            department=self.department,
            workdays_limit=limit,
            at=at,
        )


class DemandBuilder:
    """Builds the demands of the main park (see the module docstring)."""

    def __init__(self, *, park: Jurisdiction, seed: int, scale: float, today: dt.date) -> None:
        self.park = park
        self.seed, self.scale, self.today = seed, scale, today
        self.rng = random.Random(f"{seed}:demands")
        self.year = today.year - 1
        if today >= dt.date(today.year, 9, 1):
            self.half_start = dt.date(today.year, 7, 1)
        else:
            self.half_start = today - dt.timedelta(days=183)
        self.clock = _Clock(dt.date(self.year, 1, 1), today + dt.timedelta(days=200))
        self.now = self.clock.index(today)  # events happen strictly before this position
        self.departments = {d.name: d for d in Department.objects.filter(jurisdiction=park)}
        self.categories = {c.name: c for c in Category.objects.all()}
        self.figures = DemandFigures(year=self.year, half_year_start=self.half_start)
        # The office's return visits so far, and those that found the enterprise dissatisfied.
        self.return_visits = 0
        self.return_visits_dissatisfied = 0
        self.explained_default = ("经研究，该事项目前暂不具备解决条件，已向企业做好解释说明，后续持续跟踪。",)
        self.not_remit_text = (
            "经核实，该事项属于上级部门或司法程序职权范围，不属园区职责，已告知企业办理渠道并协助对接。"
        )
        self.products = {line.code: line.product for line in MANUFACTURING if line.product}
        self.roads = catalogue.MAIN_PARK.roads

    # --- set-up ----------------------------------------------------------------------------
    def routing(self) -> None:
        """Every category of the catalogue routed to one of the park's departments."""
        rows = []
        for name, category in self.categories.items():
            department, days = ROUTING.get(name, (SERVICE_OFFICE, 5))
            rows.append(
                CategoryRouting(
                    jurisdiction=self.park,
                    category=category,
                    department=self.departments[department],
                    deadline_workdays=days,
                )
            )
        for row in rows:
            row.fill_derived_fields()
        CategoryRouting.objects.bulk_create(rows)
        self.deadlines = {name: days for name, (_dept, days) in ROUTING.items()}

    def deadline(self, topic: Topic) -> int:
        return self.deadlines.get(topic.category, 5)

    def accounts(self) -> None:
        """Logins for the cadres who act in the demands: every liaison who serves a firm
        (they record visits on the phone), two handlers per department, the office and the
        leaders. Their passwords are unusable: only the printed demo logins log in."""
        staff = list(Staff.objects.filter(jurisdiction=self.park).select_related("department").order_by("pk"))
        serving = set(Enterprise.objects.filter(liaison__in=staff).values_list("liaison_id", flat=True))
        groups = {g.name: g for g in Group.objects.all()}
        handlers_left: Counter[int] = Counter()
        wanted: list[tuple[Staff, set[str]]] = []
        for member in staff:
            roles: set[str] = set()
            if member.pk in serving:
                roles.add(Role.LIAISON)
            if member.tier == StaffTier.LEADER:
                roles.add(Role.LEADER)
            department = member.department
            if department is not None:
                if department.name == SERVICE_OFFICE:
                    roles.add(Role.SERVICE_OFFICE)
                if member.tier == StaffTier.STAFF and handlers_left[department.pk] < 2:
                    handlers_left[department.pk] += 1
                    roles.add(Role.DEPARTMENT_HANDLER)
            if roles:
                wanted.append((member, roles))
        # A small department (or a small-scale demo) may have no plain staff: its head handles.
        for member in staff:
            if member.department_id is not None and not handlers_left[member.department_id]:
                handlers_left[member.department_id] += 1
                found = next((roles for m, roles in wanted if m.pk == member.pk), None)
                if found is None:
                    wanted.append((member, {Role.DEPARTMENT_HANDLER}))
                else:
                    found.add(Role.DEPARTMENT_HANDLER)
        new_users = []
        for member, _roles in wanted:
            if member.user_id is None:
                new_users.append(
                    User(
                        username=member.phone or f"staff{member.pk}",
                        password=make_password(None),
                        display_name=member.name,
                        phone=member.phone,
                        jurisdiction=self.park,
                    )
                )
        User.objects.bulk_create(new_users, batch_size=500)
        by_username = {
            u.username: u.pk for u in User.objects.filter(username__in=[u.username for u in new_users])
        }
        changed = []
        for member, _roles in wanted:
            if member.user_id is None:
                member.user_id = by_username[member.phone or f"staff{member.pk}"]
                changed.append(member)
        Staff.objects.bulk_update(changed, ["user"], batch_size=500)
        links = []
        existing = set(User.groups.through.objects.values_list("user_id", "group_id"))
        for member, roles in wanted:
            for role in sorted(roles):
                pair = (member.user_id or 0, groups[role].pk)
                if pair not in existing:
                    existing.add(pair)
                    links.append(User.groups.through(user_id=pair[0], group_id=pair[1]))
        User.groups.through.objects.bulk_create(links, batch_size=1000)

        users = {
            u.pk: u
            for u in User.objects.filter(staff__jurisdiction=self.park).select_related(
                "staff", "jurisdiction"
            )
        }
        by_staff = {u.staff.pk: u for u in users.values()}
        roles_of: dict[int, set[str]] = {pk: set() for pk in users}
        for user_id, name in User.groups.through.objects.filter(user__in=users).values_list(
            "user_id", "group__name"
        ):
            roles_of[user_id].add(name)
        office_login = User.objects.filter(username="office").first()
        office = sorted(
            (u for u in users.values() if Role.SERVICE_OFFICE in roles_of[u.pk]),
            key=lambda u: (u.pk != (office_login.pk if office_login else None), u.pk),
        )
        leaders = sorted((u for u in users.values() if Role.LEADER in roles_of[u.pk]), key=lambda u: u.pk)
        handlers: dict[int, list[User]] = {}
        for u in sorted(users.values(), key=lambda u: u.pk):
            if Role.DEPARTMENT_HANDLER in roles_of[u.pk] and u.staff.department_id is not None:
                handlers.setdefault(u.staff.department_id, []).append(u)
        heads: dict[int, Staff] = {}
        for member in staff:
            if member.tier == StaffTier.MIDDLE and member.department_id and member.department_id not in heads:
                heads[member.department_id] = member
        self.people = _People(
            by_staff=by_staff,
            office=office,
            leaders=leaders,
            leader_staff=[s for s in staff if s.tier == StaffTier.LEADER],
            handlers=handlers,
            heads=heads,
            enterprise_user=User.objects.filter(username="enterprise").select_related("enterprise").first(),
        )
        missing = [d.name for d in self.departments.values() if d.pk not in handlers]
        if missing:
            raise RuntimeError(f"departments without a handler: {missing}")

    def enterprises(self) -> None:
        firms = list(
            Enterprise.objects.filter(
                jurisdiction_path__startswith=self.park.path,
                status=EnterpriseStatus.ACTIVE,
                liaison__isnull=False,
            )
            .select_related("jurisdiction")
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.filter(is_primary=True)))
            .order_by("pk")
        )
        self.by_kind: dict[str, list[Enterprise]] = {}
        for firm in firms:
            self.by_kind.setdefault(firm.kind, []).append(firm)
        self.liaison_login = User.objects.filter(username="liaison").select_related("staff").first()

    # --- draws -----------------------------------------------------------------------------
    def draw_outcome(self) -> Outcome:
        roll = self.rng.random()
        return Outcome.SOLVED if roll < 0.86 else Outcome.EXPLAINED if roll < 0.96 else Outcome.NOT_REMIT

    def draw_topic(
        self,
        *,
        category_bias: Sequence[str] = (),
        on_spot: bool | None = None,
        legacy: bool | None = None,
        department: str | None = None,
        within: set[str] | None = None,
    ) -> Topic:
        pool = [
            t
            for t in TOPICS
            if (on_spot is None or bool(t.on_spot) == on_spot)
            and (legacy is None or t.legacy == legacy)
            and (department is None or t.department == department)
            and (within is None or t.category in within)
        ]
        weights = [t.weight * (2.5 if t.category in category_bias else 1.0) for t in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def draw_enterprise(self, topic: Topic, *, prefer_projects: bool = False) -> Enterprise:
        kinds = [k for k in topic.kinds if self.by_kind.get(k)]
        weights: dict[str, float] = {
            EnterpriseKind.ABOVE_SIZE: 3.0,
            EnterpriseKind.BELOW_SIZE: 2.0,
            EnterpriseKind.PROJECT: 6.0 if prefer_projects else 2.5,
            EnterpriseKind.SHOP: 0.6,
            EnterpriseKind.INDIVIDUAL: 0.4,
        }
        kind = self.rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        return self.rng.choice(self.by_kind[kind])

    def product(self, enterprise: Enterprise) -> str:
        code = enterprise.industry_id or ""
        return self.products.get(code) or self.products.get(code[:4]) or "主营产品"

    # --- intake ----------------------------------------------------------------------------
    def word(self, ask: str, channel: str) -> str:
        """The ask as the one who records it words it: the enterprise writes of itself
        (我公司), a liaison notes who said it, and an open ask gets the urgency it was told with."""
        if channel == Channel.ENTERPRISE_CODE:
            ask = "我公司" + ask[2:] if ask.startswith("企业") else ask
        elif channel == Channel.LIAISON:
            opening = self.rng.choice(OPENINGS)
            if opening and ask.startswith("企业"):
                ask = ask[2:]  # the opening already names the enterprise
            ask = opening + ask
        if "希望" not in ask and "请" not in ask:
            ask += self.rng.choice(CLOSINGS)
        return ask

    def submit(
        self,
        topic: Topic,
        enterprise: Enterprise,
        cursor: _Cursor,
        *,
        channel: Channel | None = None,
        on_spot: bool = False,
    ) -> _Story:
        fill = slots(self.rng, product=self.product(enterprise), roads=self.roads)
        description = self.rng.choice(topic.asks).format_map(fill)
        liaison = self.people.by_staff.get(enterprise.liaison_id or 0)
        if channel is None:
            roll = self.rng.random()
            channel = (
                Channel.LIAISON
                if roll < 0.78 or on_spot
                else Channel.ENTERPRISE_CODE
                if roll < 0.94
                else Channel.HOTLINE
            )
        description = self.word(description, channel)
        contact_name = contact_phone = ""
        actor: User | None
        if channel == Channel.ENTERPRISE_CODE:
            actor = None
            contacts = list(enterprise.contacts.all())
            if contacts:
                contact_name, contact_phone = contacts[0].name, contacts[0].phone
            else:
                contact_name, contact_phone = self.rng.choice(CONTACT_TITLES), "13900000000"
        elif channel in (Channel.HOTLINE, Channel.ROUNDTABLE, Channel.DISPATCH_MEETING):
            actor = self.people.office[0]
        else:
            actor = liaison or self.people.office[0]
        at = cursor.now()
        note = ""
        if on_spot:
            note = self.rng.choice(topic.on_spot).format_map(fill) + self.rng.choice(ON_SPOT_CLOSINGS)
        demand = actions.submit_demand(
            enterprise=enterprise,
            category=self.categories[topic.category],
            channel=channel,
            description=description,
            actor=actor,
            contact_name=contact_name,
            contact_phone=contact_phone,
            solved_on_spot_note=note,
            at=at,
        )
        return _Story(self, demand, cursor, topic, fill)

    # --- last year -------------------------------------------------------------------------
    def visits(self) -> None:
        """Open last year's campaigns: the year's on-the-spot demands are raised at their
        visits (`visit_story`), and the rounds are filled up and closed after the year."""
        self.visit_builder = VisitBuilder(
            park=self.park,
            seed=self.seed,
            scale=self.scale,
            year=self.year,
            rounds=ROUNDS,
            office=self.people.office[0],
            liaison_user=lambda enterprise: self.people.by_staff.get(enterprise.liaison_id or 0),
        )
        self.rounds = self.visit_builder.open_rounds()
        self.active_firms = {e.pk for firms in self.by_kind.values() for e in firms}

    def last_year(self) -> None:
        total = max(1, round(YEAR_DEMANDS * self.scale))
        split = self.ladder_year(
            year=self.year, specs=ROUNDS, opened=self.rounds, builder=self.visit_builder, total=total
        )
        self.figures.year_total = total
        self.figures.on_spot = split["on_spot"]
        self.figures.expert = split["expert"]
        self.figures.roundtable = split["roundtable"]
        self.figures.dispatch = split["dispatch"]
        self.figures.assigned = split["assigned"]
        self.figures.visits = self.visit_builder.finish()

    def first_half(self) -> None:
        """This year's first half, when the latest half year starts on 1 July: the rounds of
        last year's calendar that fall before July visited again, with their share of a year's
        demands and forms on the same resolution ladder, all settled by 30 June — so that this
        year's figures (the on-the-spot rate above all) cover the whole year so far."""
        year = self.today.year
        if self.half_start != dt.date(year, 7, 1):
            return
        specs = tuple(r for r in ROUNDS if r[1][0] < 7)
        share = sum(r[3] for r in specs) / sum(r[3] for r in ROUNDS)
        builder = VisitBuilder(
            park=self.park,
            seed=self.seed,
            scale=self.scale,
            year=year,
            rounds=specs,
            office=self.people.office[0],
            liaison_user=lambda enterprise: self.people.by_staff.get(enterprise.liaison_id or 0),
            forms=round(YEAR_FORMS * share),
            stream=f"visits-{self.seed}-{year}",
        )
        opened = builder.open_rounds()
        total = max(1, round(YEAR_DEMANDS * share * self.scale))
        split = self.ladder_year(
            year=year, specs=specs, opened=opened, builder=builder, total=total, end=dt.date(year, 6, 30)
        )
        self.figures.first_half_total = total
        self.figures.first_half_on_spot = split["on_spot"]
        self.figures.first_half_visits = builder.finish()

    def ladder_year(
        self,
        *,
        year: int,
        specs: Sequence[tuple[str, tuple[int, int], int, float, tuple[str, ...]]],
        opened: list[Round],
        builder: VisitBuilder,
        total: int,
        end: dt.date | None = None,
    ) -> dict[str, int]:
        """`total` demands of `year`'s visit rounds (`specs`, opened as `opened` by `builder`)
        split over the resolution ladder as seed 001 reports it, every one settled by `end`
        (31 December by default); the split, by path."""
        on_spot = round(total * ON_SPOT_SHARE)
        expert = round(total * EXPERT_SHARE)
        ladder = total - on_spot - expert
        roundtable = round(ladder * ROUNDTABLE_SHARE)
        dispatch = round(ladder * DISPATCH_SHARE)
        split = {
            "on_spot": on_spot,
            "expert": expert,
            "roundtable": roundtable,
            "dispatch": dispatch,
            "assigned": ladder - roundtable - dispatch,
        }
        paths = [path for path, count in split.items() for _ in range(count)]
        self.rng.shuffle(paths)
        last_day = end or dt.date(year, 12, 31)
        year_end = self.clock.index(last_day + dt.timedelta(days=1)) - 1
        rounds = []
        for index, (_theme, (month, day), length, share, bias) in enumerate(specs):
            first = self.clock.index(dt.date(year, month, day))
            rounds.append((index, first, length, share, bias))
        # Slow paths come from the earlier rounds, so that they can close in time.
        need = {"on_spot": 0, "assigned": 30, "roundtable": 40, "dispatch": 35, "expert": 75}
        liaison_firms = [
            e
            for e in self.by_kind.get(EnterpriseKind.ABOVE_SIZE, [])
            + self.by_kind.get(EnterpriseKind.BELOW_SIZE, [])
            if self.liaison_login is not None and e.liaison_id == self.liaison_login.staff.pk
        ]
        for path in paths:
            fitting = [r for r in rounds if r[1] + r[2] <= year_end - need[path]] or rounds[:1]
            index, first, length, _share, bias = self.rng.choices(fitting, weights=[r[3] for r in fitting])[0]
            cursor = _Cursor(self.clock, self.rng, first + self.rng.randrange(length), year_end)
            if path == "on_spot":
                self.visit_story(builder, opened[index], cursor, bias, liaison_firms)
            else:
                self.year_story(path, cursor, bias)
        return split

    def visit_story(
        self,
        builder: VisitBuilder,
        round_: Round,
        cursor: _Cursor,
        bias: Sequence[str],
        own: list[Enterprise],
    ) -> None:
        """A demand the liaison solved on the spot at a visit of `round_`: an answer of the
        round's questionnaire raises it, with the liaison's words, through the visits' action.
        The demo liaison's own firms come first when the round visits them."""
        categories = round_.categories
        raisable = [t for t in TOPICS if t.on_spot and t.category in categories]
        if not raisable:
            # A round whose questionnaire raises nothing a liaison settles at once.
            topic = self.draw_topic(category_bias=bias, on_spot=True)
            self.submit(topic, own.pop(0) if own else self.draw_enterprise(topic), cursor, on_spot=True)
            return
        topic = self.draw_topic(category_bias=bias, on_spot=True, within=categories)
        in_scope = [e for e in round_.targets if e.pk in self.active_firms and e.kind in topic.kinds]
        if not in_scope:
            self.submit(topic, self.draw_enterprise(topic), cursor, on_spot=True)
            return
        scope_pks = {e.pk for e in in_scope} if own else set()
        mine = [e for e in own if e.pk in scope_pks]
        firm = mine[0] if mine else self.rng.choice(in_scope)
        if mine:
            own.remove(firm)
        fill = slots(self.rng, product=self.product(firm), roads=self.roads)
        detail = self.word(self.rng.choice(topic.asks).format_map(fill), Channel.LIAISON)
        note = self.rng.choice(topic.on_spot).format_map(fill) + self.rng.choice(ON_SPOT_CLOSINGS)
        builder.raise_demand(round_, firm, topic.category, at=cursor.now(), detail=detail, solved=note)

    def year_story(self, path: str, cursor: _Cursor, bias: Sequence[str]) -> None:
        rng = self.rng
        if path == "expert":
            topic = (
                self.draw_topic(legacy=True) if rng.random() < 0.7 else self.draw_topic(category_bias=bias)
            )
            story = self.submit(topic, self.draw_enterprise(topic), cursor)
            self.expert_story(story)
            return
        if path in ("roundtable", "dispatch"):
            venue = Venue.ROUNDTABLE if path == "roundtable" else Venue.DISPATCH_MEETING
            topic = self.draw_topic(category_bias=bias, legacy=False)
            firm = self.draw_enterprise(topic, prefer_projects=venue == Venue.DISPATCH_MEETING)
            channel = None
            if rng.random() < 0.3:
                channel = Channel.ROUNDTABLE if venue == Venue.ROUNDTABLE else Channel.DISPATCH_MEETING
            story = self.submit(topic, firm, cursor, channel=channel)
            self.meeting_story(story, venue)
            return
        topic = self.draw_topic(category_bias=bias, legacy=False)
        story = self.submit(topic, self.draw_enterprise(topic), cursor)
        self.assigned_story(story)

    def assigned_story(self, s: _Story) -> None:
        rng = self.rng
        if rng.random() < 0.08:
            wrong = self.wrong_department(s)
            s.assign(wrong)
            s.send_back_and_reroute()
        else:
            s.assign()
        s.sign_and_start()
        if rng.random() < 0.07:
            s.extension()
        if rng.random() < 0.1:
            s.supervise()
        elif rng.random() < 0.05:
            s.remind()
        s.finish()

    def meeting_story(self, s: _Story, venue: Venue) -> None:
        rng = self.rng
        if s.d.channel in (Channel.ROUNDTABLE, Channel.DISPATCH_MEETING) or rng.random() < 0.4:
            # Raised at the meeting itself or taken there straight away.
            gap = (0, 3) if venue == Venue.DISPATCH_MEETING else (1, 12)
        else:
            s.assign()
            s.sign_and_start()
            gap = (0, 4) if venue == Venue.DISPATCH_MEETING else (2, 12)
        meeting = s.escalate(venue, meeting_gap=gap)
        if rng.random() < 0.3:
            s.decide(meeting, close=True)
            return
        s.decide(meeting, close=False)
        s.sign_and_start()
        if rng.random() < 0.15:
            s.supervise()
        s.finish()

    def expert_story(self, s: _Story) -> None:
        rng = self.rng
        s.assign()
        s.sign_and_start()
        if rng.random() < 0.4:
            s.extension()
        meeting = s.escalate(Venue.EXPERT, meeting_gap=(5, 15))
        if rng.random() < 0.2:
            s.decide(meeting, close=True)
            return
        s.decide(meeting, close=False)
        s.sign_and_start()
        if rng.random() < 0.3:
            s.supervise()
        s.reply(Outcome.SOLVED if rng.random() < 0.85 else Outcome.EXPLAINED, low=5, high=20)
        s.rate(return_visit=True)

    def wrong_department(self, s: _Story) -> Department:
        default = ROUTING.get(s.topic.category, (SERVICE_OFFICE, 5))[0]
        if default != s.topic.department:
            return self.departments[default]
        return self.rng.choice([d for d in self.departments.values() if d.name != s.topic.department])

    # --- the latest half year ----------------------------------------------------------------
    def half_year(self) -> None:
        total = max(1, round(HALF_YEAR_DEMANDS * self.scale))
        names = [name for name, *_ in catalogue.DEPARTMENTS if name in self.departments]
        weight: dict[str, float] = defaultdict(float)
        for topic in TOPICS:
            weight[topic.department] += topic.weight
        # Every department gets its share, and at least a few (seed 001: 分解到园区27个部门).
        from .builder import _share  # the builder imports this module

        per_department = _share(total, [max(weight[n], 1.5) for n in names])
        slots_: list[str] = [n for n, count in zip(names, per_department, strict=False) for _ in range(count)]
        self.rng.shuffle(slots_)
        opens: list[str] = []
        for state, count in OPEN_PLAN:
            opens += [state] * round(count * self.scale)
        opens += ["closed"] * (total - len(opens))
        self.rng.shuffle(opens)
        # The demo handler's department (经济发展局) shows every state of its inbox.
        wanted = [
            "assigned",
            "signed",
            "handling_due_soon",
            "handling_overdue",
            "replied",
            "handling_extension",
        ]
        for index, name in enumerate(slots_):
            if name == DEMO_HANDLER_DEPARTMENT and wanted:
                state = wanted.pop(0)
                if state in opens[index:]:
                    swap = opens.index(state, index)
                    opens[swap], opens[index] = opens[index], opens[swap]
        start = self.clock.index(self.half_start)
        last = self.now - 1
        enterprise_user = self.people.enterprise_user
        own_firm = enterprise_user.enterprise if enterprise_user is not None else None
        own_states = ["replied", "closed", "handling"]
        themes = HALF_YEAR_THEMES
        for index, (department, state) in enumerate(zip(slots_, opens, strict=False)):
            theme = themes[index * len(themes) // max(total, 1)]
            topic = self.draw_topic(department=department, category_bias=theme[1])
            if state == "escalated_expert" or state == "handling_legacy":
                legacy = [t for t in TOPICS if t.legacy and t.department == department]
                topic = legacy[0] if legacy else topic
            firm = None
            if (
                own_firm is not None
                and own_states
                and state == own_states[0]
                and own_firm.kind in topic.kinds
            ):
                own_states.pop(0)
                firm = next((e for kind in self.by_kind.values() for e in kind if e.pk == own_firm.pk), None)
            firm = firm or self.draw_enterprise(topic, prefer_projects=state == "escalated_dispatch")
            self.half_year_story(topic, firm, state, start, last)
        self.figures.half_year_total = total

    def half_year_story(self, topic: Topic, firm: Enterprise, state: str, start: int, last: int) -> None:
        rng = self.rng
        n = self.deadline(topic)
        if state == "closed":
            received = rng.randint(start, max(start, last - 35))
            cursor = _Cursor(self.clock, rng, received, last)
            s = self.submit(topic, firm, cursor, channel=None)
            roll = rng.random()
            if roll < 0.05:
                s.assign()
                s.sign_and_start()
                meeting = s.escalate(Venue.EXPERT, meeting_gap=(3, 10))
                s.decide(meeting, close=False)
                s.sign_and_start()
                s.reply(Outcome.SOLVED, low=3, high=10)
                s.rate(return_visit=True)
            elif roll < 0.12:
                venue = Venue.ROUNDTABLE if rng.random() < 0.55 else Venue.DISPATCH_MEETING
                s.assign()
                meeting = s.escalate(venue, meeting_gap=(1, 8))
                s.decide(meeting, close=False)
                s.sign_and_start()
                s.finish()
            else:
                self.assigned_story(s)
            return
        # Open now: place the assignment so that the deadline falls where the state needs it.
        back = {
            "assigned": (1, 2),
            "assigned_overdue": (n + 1, n + 4),
            "signed": (1, 4),
            "handling": (2, max(2, n - 2)),
            "handling_due_soon": (n, n),
            "handling_overdue": (n + 1, n + 8),
            "handling_extension": (max(2, n - 3), max(2, n - 1)),
            "handling_legacy": (8, 20),
            "sent_back": (1, 3),
            "replied": (2, 6),
            "replied_return_visit": (RATING_WINDOW + 3, RATING_WINDOW + 12),
            "escalated_roundtable": (2, 10),
            "escalated_dispatch": (1, 4),
            "escalated_expert": (5, 20),
        }[state]
        assigned_at = self.now - rng.randint(*back)
        if state == "handling_due_soon":
            # Due today or on the next working day.
            assigned_at = min(self.now - n + rng.randint(0, 1), self.now - 1)
        cursor = _Cursor(self.clock, rng, assigned_at - rng.randint(0, 2), last)
        s = self.submit(topic, firm, cursor)
        if state == "sent_back":
            s.assign(self.wrong_department(s), low=0, high=1)
            s.d = actions.send_back_demand(
                demand=s.d,
                actor=s.handler(s.d.lead_department),
                expected_version=s.d.version,
                reason=rng.choice(SEND_BACK_REASONS).format(department=s.department.name),
                at=cursor.later(0, 1),
            )
            return
        gap = max(0, assigned_at - cursor.position)
        s.assign(low=gap, high=gap)
        if state in ("assigned", "assigned_overdue"):
            if state == "assigned_overdue" and rng.random() < 0.7:
                s.remind()
            return
        if state.startswith("escalated"):
            venue = {
                "escalated_roundtable": Venue.ROUNDTABLE,
                "escalated_dispatch": Venue.DISPATCH_MEETING,
                "escalated_expert": Venue.EXPERT,
            }[state]
            s.sign_and_start()
            # The meeting is still to come (or was just held and its decision not yet written).
            meeting_gap = {Venue.ROUNDTABLE: (8, 18), Venue.DISPATCH_MEETING: (2, 6), Venue.EXPERT: (10, 25)}[
                venue
            ]
            s.escalate(venue, meeting_gap=meeting_gap, pending=True)
            if venue == Venue.EXPERT and rng.random() < 0.5:
                s.supervise()
            return
        handler = s.handler(s.d.lead_department)
        s.d = actions.sign_demand(
            demand=s.d, actor=handler, expected_version=s.d.version, at=cursor.later(0, 1)
        )
        if state == "signed":
            return
        s.d = actions.start_demand(
            demand=s.d, actor=handler, expected_version=s.d.version, at=cursor.later(0, 1)
        )
        if state == "handling_legacy":
            meeting = s.escalate(Venue.EXPERT, meeting_gap=(1, 4))
            s.decide(meeting, close=False)
            s.sign_and_start()
            s.supervise()
            return
        if state == "handling_extension":
            s.extension(decide=False)
            return
        if state == "handling_overdue":
            if rng.random() < 0.6:
                s.supervise()
            elif rng.random() < 0.5:
                s.remind()
            return
        if state.startswith("handling"):
            if rng.random() < 0.15:
                s.supervise()
            return
        # replied, awaiting the enterprise's rating (or, past the window, the return visit)
        reply_at = self.now - (
            rng.randint(0, RATING_WINDOW - 2)
            if state == "replied"
            else rng.randint(RATING_WINDOW + 1, RATING_WINDOW + 4)
        )
        gap = max(0, reply_at - cursor.position)
        s.reply(low=gap, high=gap)

    def new_demands(self) -> None:
        count = max(1, round(NEW_DEMANDS * self.scale))
        liaison = self.liaison_login.staff.pk if self.liaison_login is not None else None
        own = [e for kind in self.by_kind.values() for e in kind if e.liaison_id == liaison]
        for number in range(count):
            topic = self.draw_topic(on_spot=False) if self.rng.random() < 0.3 else self.draw_topic()
            cursor = _Cursor(self.clock, self.rng, self.now - self.rng.randint(1, 2), self.now - 1)
            channel = Channel.ENTERPRISE_CODE if self.rng.random() < 0.45 else Channel.LIAISON
            firm = self.draw_enterprise(topic)
            if number == 0 and own:
                # The demo liaison's own latest visit, waiting for the office.
                firm, channel = own[0], Channel.LIAISON
            self.submit(topic, firm, cursor, channel=channel)
        self.figures.new = count

    # --- all ---------------------------------------------------------------------------------
    def build(self) -> DemandFigures:
        started = time.monotonic()
        self.routing()
        self.accounts()
        self.enterprises()
        # A replayed year of settled steps must not flood the outbox with stale messages.
        with notify.muted():
            self.visits()
            self.last_year()
            self.first_half()
            self.half_year()
            self.new_demands()
        # Count the statistics' day cells now rather than on the first visit to the page.
        statistics.refresh()
        self.count()
        self.figures.seconds = time.monotonic() - started
        return self.figures

    def count(self) -> None:
        demands = Demand.objects.filter(jurisdiction_path__startswith=self.park.path)
        year = demands.filter(received_at__year=self.year)
        self.figures.year_open = year.exclude(state=DemandState.CLOSED).count()
        start = dt.datetime.combine(self.half_start, dt.time(0), SHANGHAI)
        half = demands.filter(received_at__gte=start, assigned_at__isnull=False)
        self.figures.half_year_open = half.exclude(state=DemandState.CLOSED).count()
        by_department = Counter(half.values_list("lead_department__name", flat=True))
        names = [name for name, *_ in catalogue.DEPARTMENTS if name in by_department]
        self.figures.half_year_departments = {name: by_department[name] for name in names}
        legacy = demands.filter(is_legacy=True)
        self.figures.legacy_total = legacy.count()
        self.figures.legacy_open = legacy.exclude(state=DemandState.CLOSED).count()
        self.figures.events = DemandEvent.objects.filter(jurisdiction_path__startswith=self.park.path).count()
        self.figures.ladder = statistics.ladder(year)
        # As the statistics page counts it: the figure is the data's, not the plan's.
        at = dt.datetime.combine(self.today, dt.time(0), SHANGHAI)
        for judged_year in (self.year, self.today.year):
            period = statistics.Period.year(judged_year)
            result = statistics.jurisdiction_statistics(self.park.path, period, at=at)
            figure = result.total.figures["return_visit_satisfied_rate"].value
            self.figures.return_visit_satisfaction[judged_year] = (
                figure if isinstance(figure, Decimal) else None
            )


def build_demands(*, park: Jurisdiction, seed: int, scale: float, today: dt.date) -> DemandFigures:
    """Routing, cadre accounts and the demands of `park` (the demo's main park)."""
    return DemandBuilder(park=park, seed=seed, scale=scale, today=today).build()
