"""The questionnaire builder in a real browser: the office builds a questionnaire — a yes/no
question whose 是 raises a 融资困难 demand, and a number question shown only when it is 是 —,
saves it, and previews it as the liaison at 390 px, where answering 是 brings up the number
question and the demand box. Then screenshots of the builder and both previews at 390 and
1280 px in Chinese and English, each without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from lianqi.core.roles import Role
from lianqi.core.tests.test_browser_shell import _signed_in_context
from lianqi.testing.browser import PHONE, screenshot
from lianqi.testing.world import World

from ..models import Questionnaire
from ..questionnaire import parse, publish_problems
from .factories import make_questionnaire

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_office_builds_a_questionnaire_with_a_condition_and_a_demand_and_previews_it(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    context = _signed_in_context(browser, live_server.url, world.user(Role.SERVICE_OFFICE), "zh-hans", LAPTOP)
    page = context.new_page()
    page.goto("/visits/questionnaires/")
    page.get_by_role("link", name="新建问卷").click()
    page.fill("#id_title", "融资专项走访问卷")

    # The starter question becomes the yes/no question that raises the demand.
    first = page.locator("[data-testid=question-row]").first
    first.get_by_label("题干").fill("是否有融资需求")
    first.get_by_label("题型").select_option("yes_no")
    expect(first.get_by_label("选项（每行一个）")).to_be_hidden()
    first.locator("summary", has_text="诉求映射").click()
    first.get_by_test_id("add-raise").click()
    first.get_by_label("答案", exact=True).select_option(label="是")
    first.get_by_label("诉求类别").select_option("融资困难")

    # A number question, shown only when the first is 是.
    page.get_by_test_id("add-question").click()
    second = page.locator("[data-testid=question-row]").nth(1)
    second.get_by_label("题干").fill("融资金额")
    second.get_by_label("题型").select_option("number")
    expect(second.get_by_label("单位")).to_be_visible()
    expect(second.get_by_label("选项（每行一个）")).to_be_hidden()
    second.get_by_label("单位").fill("万元")
    second.get_by_label("最小值").fill("0")
    second.get_by_label("最大值").fill("5000")
    second.locator("summary", has_text="显示条件").click()
    second.get_by_label("仅当前面这道题…").select_option(label="1. 是否有融资需求")
    second.locator("[data-condition-options]").get_by_label("是").check()
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("publishable")).to_be_visible()
    questionnaire = Questionnaire.objects.get()
    definition = questionnaire.latest_version().definition
    assert publish_problems(definition, {"融资困难"}) == []
    need, amount = parse(definition).questions()
    assert [(r.answer, r.category) for r in need.raises] == [("yes", "融资困难")]
    assert amount.show_if is not None and (amount.show_if.question, amount.show_if.values) == (
        need.key,
        ("yes",),
    )
    assert amount.unit == "万元" and amount.max == 5000

    # The liaison's phone form, as the preview draws it at 390 px.
    phone = context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(f"/visits/questionnaires/{questionnaire.pk}/preview/liaison/")
    block = phone.locator(f"[data-question={amount.key}]")
    expect(block).to_be_hidden()
    phone.locator(f"[data-question={need.key}]").get_by_label("是").check()
    expect(block).to_be_visible()
    expect(block).to_contain_text("融资金额（万元）")
    expect(phone.get_by_test_id(f"raise-{need.key}")).to_contain_text("融资困难")
    expect(phone.get_by_test_id("submit-visit")).to_be_disabled()
    assert _overflow(phone) <= 0
    context.close()


def test_a_mistake_is_shown_next_to_its_field_in_the_browser(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    context = _signed_in_context(browser, live_server.url, world.user(Role.SERVICE_OFFICE), "zh-hans", LAPTOP)
    page = context.new_page()
    page.goto("/visits/questionnaires/new/")
    page.fill("#id_title", "有错的问卷")
    page.get_by_test_id("add-question").click()
    second = page.locator("[data-testid=question-row]").nth(1)
    second.get_by_label("题干").fill("员工人数")
    second.get_by_label("题型").select_option("number")
    second.get_by_label("最小值").fill("100")
    second.get_by_label("最大值").fill("10")
    page.get_by_test_id("check").click()

    second = page.locator("[data-testid=question-row]").nth(1)
    expect(second.locator("[data-error-for=range]")).to_contain_text("最小值 100 大于最大值 10")
    expect(second.get_by_label("最大值")).to_have_value("10")
    assert not Questionnaire.objects.exists()
    context.close()


def test_builder_and_previews_fit_phone_and_laptop_in_both_languages(
    browser: Any, live_server: Any, world: World
) -> None:
    questionnaire = make_questionnaire(world.home)
    pages = {
        "builder": f"/visits/questionnaires/{questionnaire.pk}/",
        "preview-liaison": f"/visits/questionnaires/{questionnaire.pk}/preview/liaison/",
        "preview-enterprise": f"/visits/questionnaires/{questionnaire.pk}/preview/enterprise/",
    }
    for language in ("zh-hans", "en"):
        for size, viewport in (("390", PHONE), ("1280", LAPTOP)):
            context = _signed_in_context(
                browser, live_server.url, world.user(Role.SERVICE_OFFICE), language, viewport
            )
            page = context.new_page()
            for name, address in pages.items():
                page.goto(address)
                if name.startswith("preview"):
                    page.locator("[data-question=finance] input[value=yes]").check()
                screenshot(page, f"visits-{name}-{size}-{language}")
                assert _overflow(page) <= 0, (name, size, language, _overflow(page))
            context.close()


def test_questions_move_across_sections_and_are_removed_by_the_buttons(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    questionnaire = make_questionnaire(world.home)
    context = _signed_in_context(browser, live_server.url, world.user(Role.SERVICE_OFFICE), "zh-hans", PHONE)
    page = context.new_page()
    page.goto(f"/visits/questionnaires/{questionnaire.pk}/")
    finance = page.locator("[data-testid=question-row]").nth(2)
    finance.get_by_role("button", name="题目上移").click()  # first of its section: to the one above
    expect(page.locator("[data-section-row]").first.locator("[data-testid=question-row]")).to_have_count(3)
    expect(finance.locator("[data-number]")).to_have_text("3")
    page.locator("[data-testid=question-row]").nth(4).get_by_role("button", name="删除题目").click()
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("publishable")).to_be_visible()
    sections = questionnaire.latest_version().definition["sections"]
    assert [[q["key"] for q in s["questions"]] for s in sections] == [
        ["state", "needs", "finance"],
        ["amount"],
    ]
    context.close()
