"""The questionnaire builder and its previews: a questionnaire opened in the builder and saved
unchanged is the same questionnaire to the engine; what cannot be published is said next to
the question and setting at fault, with everything typed still on the page; saving one in use
makes the next version through the action; the previews draw the liaison's and the
enterprise's pages, and are the builder's jurisdiction's only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World

from .. import actions
from ..forms.builder import Builder
from ..models import Questionnaire
from ..permissions import BUILDERS
from ..questionnaire import parse, publish_problems
from .factories import AT, DEFINITION, QUIET, key, make_campaign, make_questionnaire


class _FormFields(HTMLParser):
    """What a browser would post from a page's form: named inputs (checked boxes only),
    selected options and text areas — leaving out the `<template>` rows the script copies."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._template = 0
        self._select: str | None = None
        self._select_value: str | None = None
        self._option: dict[str, Any] | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button", "file"):
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value, self._first_option = a["name"], None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        if self._template:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def posted(html: str) -> dict[str, list[str]]:
    """The builder page's form as the browser would send it, ready for `Client.post`."""
    parser = _FormFields()
    parser.feed(html)
    found: dict[str, list[str]] = {}
    for name, value in parser.fields:
        found.setdefault(name, []).append(value)
    return found


def office(world: World, other: bool = False) -> Client:
    client = Client()
    client.force_login(world.other_user(Role.SERVICE_OFFICE) if other else world.user(Role.SERVICE_OFFICE))
    return client


def question_card(html: str, text: str) -> str:
    """The HTML of the question card whose title field holds `text`."""
    for card in html.split('data-testid="question-row"')[1:]:
        if f'value="{text}" maxlength="200" data-text' in card:
            return card
    raise AssertionError(f"no question card for {text}")


def row_fields(number: int, **settings: str | list[str]) -> dict[str, Any]:
    """One question's fields as the builder posts them (row id ``r<number>``)."""
    return {f"q-r{number}-{name}": value for name, value in settings.items()}


# --- Round trip ------------------------------------------------------------------------------


def test_a_questionnaire_opened_and_saved_unchanged_is_the_same_questionnaire(world: World) -> None:
    questionnaire = make_questionnaire(world.home)
    client = office(world)
    url = reverse("visits:questionnaire_edit", args=[questionnaire.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="publishable"' in page

    response = client.post(url, posted(page))

    assert response.status_code == 302
    saved = questionnaire.latest_version().definition
    # Conditions and mappings written 是 in the fixture are stored as the engine's "yes".
    assert parse(saved) == parse(DEFINITION)
    assert saved["sections"][1]["questions"][1]["show_if"] == {"question": "finance", "equals": "yes"}
    assert (
        saved["sections"][1]["questions"][1]["min"] == 0
        and saved["sections"][1]["questions"][1]["max"] == 100000
    )


def test_rows_typed_in_the_builder_become_the_definition_the_engine_reads(world: World) -> None:
    data: dict[str, Any] = {
        "title": "融资专项问卷",
        "item": ["s:a", "q:r1", "q:r2", "s:b", "q:r3", "q:r4", "q:r5"],
        "s-a-title": "融资",
        "s-b-title": "环境",
        **row_fields(1, key="q1", type="yes_no", text="是否有融资需求", required="1"),
        **row_fields(1, raise_answer=["yes"], raise_category=["融资困难"]),
        **row_fields(2, key="q2", type="number", text="融资金额", unit="万元", min="0", max="500.5"),
        **row_fields(2, show_if="q1", show_values=["yes"], options="left over from a choice"),
        **row_fields(3, key="q3", type="multiple", text="主要困难", options="资金\n用工\n\n用地\n"),
        **row_fields(4, key="q4", type="matrix", text="服务评价", rows="审批\n政策", columns="满意\n一般"),
        **row_fields(5, key="q5", type="file", text="现场照片", accept="photo", help="拍厂区正门"),
    }
    builder = Builder.from_post(_QueryDict(data))
    definition = builder.definition()

    assert publish_problems(definition, {"融资困难"}) == []
    engine = parse(definition)
    assert [s.title for s in engine.sections] == ["融资", "环境"]
    finance, amount, needs, matrix, photo = engine.questions()
    assert finance.required and [(r.answer, r.category) for r in finance.raises] == [("yes", "融资困难")]
    assert amount.unit == "万元" and str(amount.min) == "0" and str(amount.max) == "500.5"
    assert amount.show_if is not None and amount.show_if.values == ("yes",)
    assert "options" not in definition["sections"][0]["questions"][1]  # a number has none
    assert needs.options == ("资金", "用工", "用地")
    assert matrix.rows == ("审批", "政策") and matrix.columns == ("满意", "一般")
    assert photo.accept == "photo" and photo.help == "拍厂区正门"


class _QueryDict(dict):  # type: ignore[type-arg]
    """The few `QueryDict` reads the builder makes, over a plain dict."""

    def getlist(self, name: str) -> list[str]:
        value = self.get(name, [])
        return value if isinstance(value, list) else [value]


# --- What cannot be published ---------------------------------------------------------------

BROKEN: dict[str, Any] = {
    "title": "待完善问卷",
    "item": ["s:a", "q:r1", "q:r2", "q:r3", "q:r4"],
    "s-a-title": "基本情况",
    **row_fields(1, key="q1", type="single", text="经营状况", options=""),
    **row_fields(2, key="q2", type="number", text="员工人数", min="100", max="10"),
    **row_fields(3, key="q3", type="text", text="困难说明", show_if="q4", show_values=["yes"]),
    **row_fields(4, key="q4", type="yes_no", text="是否需要帮助", raise_answer=["yes"], raise_category=[""]),
}


def test_checking_puts_each_problem_next_to_its_setting_and_keeps_what_was_typed(world: World) -> None:
    response = office(world).post(reverse("visits:questionnaire_create"), {**BROKEN, "check": "1"})

    assert response.status_code == 200
    assert not Questionnaire.objects.exists()  # checking saves nothing
    html = response.content.decode()
    choice = question_card(html, "经营状况")
    assert re.search(r'data-error-for="options">第 1 题“经营状况”是选择题，但没有选项<', choice)
    number = question_card(html, "员工人数")
    assert re.search(r'data-error-for="range">第 2 题“员工人数”的最小值 100 大于最大值 10<', number)
    assert 'value="100"' in number and 'value="10"' in number
    later = question_card(html, "困难说明")
    assert re.search(r'data-error-for="show_if">[^<]*引用了它之后的题目 q4<', later)
    assert '<option value="q4" selected>' in later  # the condition is kept as chosen
    mapping = question_card(html, "是否需要帮助")
    assert re.search(r'data-error-for="raises">[^<]*没有填写诉求类别<', mapping)
    # Each message sits on its own question only.
    assert 'data-error-for="options"' not in number and 'data-error-for="range"' not in choice
    assert choice.count("data-error-for=") == 1 and number.count("data-error-for=") == 1
    assert 'value="待完善问卷"' in html


def test_a_questionnaire_that_cannot_be_published_is_saved_and_reopens_with_its_problems(
    world: World,
) -> None:
    client = office(world)
    response = client.post(reverse("visits:questionnaire_create"), BROKEN)

    questionnaire = Questionnaire.objects.get()
    assert response["Location"] == reverse("visits:questionnaire_edit", args=[questionnaire.pk])
    html = client.get(response["Location"]).content.decode()
    assert "还不能发布" in html
    assert re.search(r'data-error-for="range">[^<]*大于最大值', question_card(html, "员工人数"))
    # Publishing a campaign on it is refused by the campaign's own step.
    assert publish_problems(questionnaire.latest_version().definition)


def test_a_missing_name_sends_the_rows_back_untouched(world: World) -> None:
    response = office(world).post(reverse("visits:questionnaire_create"), {**BROKEN, "title": ""})

    html = response.content.decode()
    assert response.status_code == 200 and not Questionnaire.objects.exists()
    assert re.search(r'data-error-for="title">', html)
    for text in ("经营状况", "员工人数", "困难说明", "是否需要帮助"):
        question_card(html, text)


def test_the_english_page_shows_the_engine_s_messages_in_english(world: World) -> None:
    client = office(world)
    client.cookies["django_language"] = "en"
    html = client.post(reverse("visits:questionnaire_create"), {**BROKEN, "check": "1"}).content.decode()
    card = question_card(html, "经营状况")
    assert 'data-error-for="options">' in card and "没有选项" not in card


# --- Versions --------------------------------------------------------------------------------


def test_saving_a_questionnaire_in_use_through_the_builder_makes_the_next_version(world: World) -> None:
    campaign = make_campaign(world)  # open: its questionnaire's version 1 is pinned
    questionnaire = campaign.questionnaire
    visit = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        campaign=campaign,
        answers=QUIET,
        at=AT,
    )
    client = office(world)
    url = reverse("visits:questionnaire_edit", args=[questionnaire.pk])
    page = client.get(url).content.decode()
    assert "保存后将生成第 2 版" in page
    data = posted(page)
    text_field = next(name for name, values in data.items() if values == ["企业经营状况"])
    data[text_field] = ["企业当前经营状况"]

    client.post(url, data)

    assert list(questionnaire.versions.values_list("number", flat=True)) == [1, 2]
    assert (
        questionnaire.latest_version().definition["sections"][0]["questions"][0]["text"] == "企业当前经营状况"
    )
    visit.refresh_from_db()
    assert visit.questionnaire_version is not None and visit.questionnaire_version.number == 1
    assert visit.questionnaire_version.definition == DEFINITION
    # Saving again edits version 2 in place: nothing uses it yet.
    client.post(url, posted(client.get(url).content.decode()))
    assert questionnaire.versions.count() == 2


# --- Previews --------------------------------------------------------------------------------


class TestBuilderContract(ObjectPageContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        row = Questionnaire.objects.filter(jurisdiction=world.home.park).first() or make_questionnaire(
            world.home
        )
        return reverse("visits:questionnaire_edit", args=[row.pk])


class TestLiaisonPreviewContract(ObjectPageContract):
    allowed_roles = BUILDERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        row = Questionnaire.objects.filter(jurisdiction=world.home.park).first() or make_questionnaire(
            world.home
        )
        return reverse("visits:questionnaire_preview", args=[row.pk, "liaison"])


class TestEnterprisePreviewPostContract(ObjectPageContract):
    """The builder's unsaved rows previewed: still the questionnaire's jurisdiction's only."""

    method = "post"
    allowed_roles = BUILDERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        row = Questionnaire.objects.filter(jurisdiction=world.home.park).first() or make_questionnaire(
            world.home
        )
        return reverse("visits:questionnaire_preview", args=[row.pk, "enterprise"])

    def data(self, world: World) -> dict[str, Any]:
        return BROKEN


def test_the_liaison_preview_is_the_phone_form_with_its_conditions(world: World) -> None:
    questionnaire = make_questionnaire(world.home)
    html = (
        office(world)
        .get(reverse("visits:questionnaire_preview", args=[questionnaire.pk, "liaison"]))
        .content.decode()
    )

    assert 'data-testid="visit-form"' in html and 'name="checked_in_at"' in html
    assert 'data-question="amount" data-type="number" data-show-if="finance" data-show-values="yes"' in html
    assert 'data-testid="raise-finance"' in html and "当即解决的办法" in html
    assert "data-preview" in html and "data-draft" not in html
    assert re.search(r'data-testid="submit-visit" disabled', html)


def test_the_enterprise_preview_is_the_code_form_without_the_liaison_s_fields(world: World) -> None:
    questionnaire = make_questionnaire(world.home, title="助企纾困问卷")
    html = (
        office(world)
        .get(reverse("visits:questionnaire_preview", args=[questionnaire.pk, "enterprise"]))
        .content.decode()
    )

    assert 'data-testid="code-visit-form"' in html and "助企纾困问卷" in html
    assert 'name="checked_in_at"' not in html and "当即解决的办法" not in html
    assert 'data-question="amount"' in html and 'data-testid="raise-finance"' in html


def test_an_earlier_version_can_be_previewed_and_a_missing_one_is_404(world: World) -> None:
    campaign = make_campaign(world)
    questionnaire = campaign.questionnaire
    changed = {
        "sections": [{"title": "新", "questions": [{"key": "only", "type": "text", "text": "唯一的题"}]}]
    }
    actions.save_questionnaire(
        questionnaire=questionnaire, title="问卷", definition=changed, actor=world.user(Role.SERVICE_OFFICE)
    )
    client = office(world)
    url = reverse("visits:questionnaire_preview", args=[questionnaire.pk, "liaison"])
    assert "唯一的题" in client.get(url).content.decode()
    assert "企业经营状况" in client.get(url, {"version": "1"}).content.decode()
    assert client.get(url, {"version": "9"}).status_code == 404
    assert (
        client.get(reverse("visits:questionnaire_preview", args=[questionnaire.pk, "mayor"])).status_code
        == 404
    )


def test_unsaved_rows_can_be_previewed_before_the_questionnaire_exists(world: World) -> None:
    data = {
        "title": "新问卷",
        "item": ["s:a", "q:r1", "q:r2"],
        "s-a-title": "融资",
        **row_fields(1, key="need", type="yes_no", text="是否有融资需求"),
        **row_fields(
            2, key="sum", type="number", text="融资金额", unit="万元", show_if="need", show_values=["yes"]
        ),
    }
    html = (
        office(world)
        .post(reverse("visits:questionnaire_preview_draft", args=["liaison"]), data)
        .content.decode()
    )

    assert "融资金额（万元）" in html and 'data-show-if="need"' in html
    assert not Questionnaire.objects.exists()


def test_another_jurisdiction_can_neither_save_nor_preview_unsaved_rows_of_a_questionnaire(
    world: World,
) -> None:
    questionnaire = make_questionnaire(world.home)
    stranger = office(world, other=True)

    saved = stranger.post(reverse("visits:questionnaire_edit", args=[questionnaire.pk]), BROKEN)
    previewed = stranger.post(
        reverse("visits:questionnaire_preview", args=[questionnaire.pk, "liaison"]), BROKEN
    )

    assert saved.status_code == 404 and previewed.status_code == 404
    assert questionnaire.latest_version().definition == DEFINITION


def test_the_json_view_stays_as_the_advanced_editor_and_leads_back_to_the_builder(world: World) -> None:
    questionnaire = make_questionnaire(world.home)
    client = office(world)
    builder = client.get(reverse("visits:questionnaire_edit", args=[questionnaire.pk])).content.decode()
    json_url = reverse("visits:questionnaire_json", args=[questionnaire.pk])
    assert json_url in builder

    response = client.post(
        json_url,
        {
            "title": "问卷",
            "definition": '{"sections": [{"title": "一", "questions": [{"key": "a", "type": "date", "text": "成立日期"}]}]}',
        },
    )

    assert response["Location"] == reverse("visits:questionnaire_edit", args=[questionnaire.pk])
    assert 'value="成立日期"' in client.get(response["Location"]).content.decode()
