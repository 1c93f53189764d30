"""manage.py demo [--reset] [--scale S] [--seed N] [--language zh-hans|en] — build the demo park and
print what it made and its logins, in one language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from lianqi.demo.builder import DemoExistsError, build_demo, demo_exists, format_logins, wipe_database
from lianqi.demo.log import LANGUAGES, Say
from lianqi.enterprises.choices import EnterpriseKind


class Command(BaseCommand):
    help = (
        "Build the demo park (湘潭市, three parks, ~1,500 enterprises, 27 departments, ~600 staff) "
        "and print one login per role. --reset drops every table of the database first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="drop every table of the configured database, migrate, then build (destroys all data)",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size relative to seed 001 (default 1.0)"
        )
        parser.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default=LANGUAGES[0],
            help="the language of this log: zh-hans (default) or en",
        )

    def handle(self, *args: Any, reset: bool, scale: float, seed: int, language: str, **options: Any) -> None:
        if scale <= 0 or scale > 20:
            raise CommandError("--scale must be above 0 and at most 20")
        say = Say(language)
        if reset:
            self.stdout.write(say("删除全部数据表并重新迁移…", "Dropping every table and migrating again…"))
            wipe_database()
        elif demo_exists():
            raise CommandError(
                say(
                    "数据库中已有演示园区；重新生成请加 --reset。",
                    "The demo park already exists; use --reset to build it again.",
                )
            )
        self.stdout.write(
            say(
                f"正在生成演示园区（规模 {scale:g}，随机种子 {seed}）…",
                f"Building the demo park (scale {scale:g}, seed {seed})…",
            )
        )
        try:
            summary = build_demo(scale=scale, seed=seed)
        except DemoExistsError as exc:
            raise CommandError(str(exc)) from exc
        with translation.override(language):
            for park, counts in summary.parks.items():
                total = sum(counts.values())
                detail = say.list([f"{EnterpriseKind(kind).label} {n}" for kind, n in counts.items()])
                departments = summary.park_departments.get(park, 0)
                self.stdout.write(
                    say(
                        f"  {park}：{departments} 个部门，{total} 家企业（{detail}）",
                        f"  {park}: {departments} departments, {total} enterprises ({detail})",
                    )
                )
        self.stdout.write(
            say(
                f"  合计 {summary.departments} 个部门、{summary.staff} 名干部，"
                f"{summary.covered} 家在营企业均有联企干部",
                f"  In all {summary.departments} departments, {summary.staff} staff, "
                f"{summary.covered} active enterprises covered by a liaison",
            )
        )
        if summary.demands is not None:
            for line in summary.demands.lines(say):
                self.stdout.write(line)
        if summary.policies is not None:
            for line in summary.policies.lines(say):
                self.stdout.write(line)
        for line in summary.finance.lines(say) if summary.finance is not None else ():
            self.stdout.write(line)
        if summary.projects is not None:
            projects = summary.projects
            self.stdout.write(
                say(
                    f"  重点项目 {projects.projects} 个：年度计划 ¥{projects.year_plan:,.2f}，"
                    f"已完成 ¥{projects.year_done:,.2f}；调度会 {projects.meetings} 次、"
                    f"议定事项 {projects.decisions} 项",
                    f"  {projects.projects} key projects: plan for the year ¥{projects.year_plan:,.2f}, "
                    f"done ¥{projects.year_done:,.2f}; {projects.meetings} dispatch meetings, "
                    f"{projects.decisions} decisions",
                )
            )
            self.stdout.write(
                say(
                    f"  招商：线索 {projects.leads} 个，今年签约 {projects.signed} 个、¥{projects.signed_amount:,.2f}",
                    f"  Attraction: {projects.leads} leads, {projects.signed} signed this year "
                    f"for ¥{projects.signed_amount:,.2f}",
                )
            )
        if summary.approvals is not None:
            self.stdout.write(summary.approvals.describe(say))
        if summary.inspections is not None:
            inspections = summary.inspections
            self.stdout.write(
                say(
                    f"  执法检查：检查人员 {inspections.inspectors} 名，登记检查 {inspections.registered} 次"
                    f"（联合检查 {inspections.joint_visits} 次，企业评价 {inspections.ratings} 条），"
                    f"柔性执法清单 {inspections.lenient_items} 项，免检企业 {inspections.quiet_periods} 家，"
                    f"未赋码入企举报 {inspections.unregistered_reports} 件",
                    f"  Inspections: {inspections.inspectors} inspectors, {inspections.registered} "
                    f"registered ({inspections.joint_visits} joint visits, {inspections.ratings} ratings), "
                    f"{inspections.lenient_items} lenient-enforcement items, "
                    f"{inspections.quiet_periods} enterprises in a quiet period, "
                    f"{inspections.unregistered_reports} reports of an unregistered entry",
                )
            )
        if summary.market is not None:
            market = summary.market
            self.stdout.write(
                say(
                    f"  供需：供应 {market.offers} 条，需求 {market.needs} 条，撮合 {market.introductions} 次"
                    f"（成交 {market.deals} 笔），对接会 {market.fairs} 场、签约 ¥{market.fair_amount:,.2f}",
                    f"  Supply and demand: {market.offers} offers, {market.needs} needs, "
                    f"{market.introductions} introductions ({market.deals} deals), {market.fairs} matching "
                    f"events with ¥{market.fair_amount:,.2f} signed",
                )
            )
            chains = market.chains
            if chains is not None:
                rate = "—" if chains.rate is None else f"{chains.rate * 100:.2f}%"
                self.stdout.write(
                    say(
                        f"  产业链 {chains.chains} 条，链上企业 {chains.firms} 家，采购记录 {chains.purchases} 条，"
                        f"新能源汽车链本地配套率 {rate}；本地采购补贴 {chains.subsidy_entries} 笔、"
                        f"¥{chains.subsidy_amount:,.2f}",
                        f"  {chains.chains} industrial chains, {chains.firms} chain enterprises, "
                        f"{chains.purchases} purchases, local supporting rate of the vehicle chain {rate}; "
                        f"local-purchase subsidy {chains.subsidy_entries} entries, ¥{chains.subsidy_amount:,.2f}",
                    )
                )
        if summary.credit is not None:
            for line in summary.credit.lines(say):
                self.stdout.write(line)
        if not summary.industry_classes_loaded:
            self.stdout.write(
                say(
                    "  （未载入 GB/T 4754 小类：企业行业代码只到大类）",
                    "  (GB/T 4754 classes not loaded: enterprises carry division codes)",
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                say(f"完成，用时 {summary.seconds:.1f} 秒。\n", f"Done in {summary.seconds:.1f} s.\n")
            )
        )
        self.stdout.write(format_logins(summary.logins, say))
