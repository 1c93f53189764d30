"""The interface shell: menu by role, highlighted entry, language switch, error pages and the
home page of each role."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse

from lianqi.core.navigation import active_url, items_for
from lianqi.core.roles import Role
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract
from lianqi.testing.world import World, make_enterprise


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def menu(html: str) -> list[str]:
    # The bar's modules only, not their copy under 更多 (shown by nav.js when they do not fit).
    block = re.search(r'data-testid="nav">(.*?)data-nav-more', html, re.S)
    assert block is not None
    return [t.strip() for t in re.findall(r'class="nav-link-title">([^<]*)<', block.group(1))]


# --- Navigation -------------------------------------------------------------------------------


def test_liaison_does_not_see_user_admin(world: World) -> None:
    titles = menu(client_for(world.user(Role.LIAISON)).get(reverse("home")).content.decode())
    assert "用户管理" not in titles
    assert "组织机构" in titles
    assert "用户管理" in menu(client_for(world.user(Role.ADMIN)).get(reverse("home")).content.decode())


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            Role.ENTERPRISE,
            [
                "首页",
                "我的诉求",
                "提诉求",
                "政策超市",
                "兑现台账",
                "消息",
                "金融产品",
                "为我推荐",
                "融资申请",
                "需求",
                "供应",
                "对接跟进",
                "采购记录",
                "土地超市",
                "智能选地",
                "用地预订",
            ],
        ),
        (Role.FINANCE, ["首页", "消息", "金融产品", "融资申请", "银企对接会", "融资试点"]),
    ],
)
def test_outside_users_see_only_their_own_services(world: World, role: str, expected: list[str]) -> None:
    assert menu(client_for(world.user(role)).get(reverse("home")).content.decode()) == expected


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_entry_opens_for_its_role(world: World, role: str) -> None:
    user = world.user(role)
    client = client_for(user)
    for item in items_for(user):
        # An entry may lead on to where the user's own page lives (an enterprise's demands are
        # the pages under its code).
        response = client.get(str(item["url"]), follow=True)
        assert response.status_code == 200, (role, item["url_name"], response.status_code)


def test_active_entry_follows_the_section(world: World) -> None:
    urls = ["/", "/enterprises/", "/enterprises/import/", "/org/", "/accounts/users/"]
    assert active_url(urls, "/") == "/"
    assert active_url(urls, "/org/staff/12/") == "/org/"
    assert active_url(urls, "/enterprises/import/jobs/3/") == "/enterprises/import/"
    assert active_url(urls, "/enterprises/42/") == "/enterprises/"
    assert active_url(urls, "/accounts/users/7/") == "/accounts/users/"
    assert active_url(urls, "/accounts/password/") is None
    items = items_for(world.user(Role.ADMIN), "/org/staff/")
    assert [i["label"] for i in items if i["active"]] == ["组织机构"]


def test_current_page_is_highlighted(world: World) -> None:
    html = client_for(world.user(Role.ADMIN)).get(reverse("accounts:users")).content.decode()
    active = re.findall(r'class="(?:nav-link|dropdown-item active)" href="([^"]+)" aria-current="page"', html)
    assert active == [reverse("accounts:users")]


def test_menu_collapses_on_a_phone(world: World) -> None:
    html = client_for(world.user(Role.LEADER)).get(reverse("home")).content.decode()
    assert 'data-bs-toggle="collapse" data-bs-target="#navbar-menu"' in html
    assert 'class="collapse navbar-collapse" id="navbar-menu"' in html
    assert 'name="viewport"' in html


def test_language_switch(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("org:staff")})
    assert response.status_code == 302 and response["Location"] == reverse("org:staff")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert 'value="zh-hans"' in html  # the way back


# --- Error pages ------------------------------------------------------------------------------


def test_403_page(world: World) -> None:
    response = client_for(world.user(Role.LIAISON)).get(reverse("accounts:users"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_404_page(world: World) -> None:
    response = client_for(world.user(Role.LEADER)).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and "返回首页" in html


def test_500_page_renders_without_request_or_database() -> None:
    # No `db` fixture: pytest-django makes any database access here an error.
    html = loader.get_template("500.html").render()
    assert 'data-testid="error-500"' in html and "服务器出错了" in html


# --- Home dashboards --------------------------------------------------------------------------


class TestHomeContract(ListPageContract):
    allowed_roles = tuple(Role)
    denied_role = None

    def url(self, world: World) -> str:
        return reverse("home")

    def marker(self, world: World) -> str:
        return world.home.park.name


def sections(response: object) -> dict[str, object]:
    return {s.role: s for s in response.context["dashboard"]["sections"]}  # type: ignore[attr-defined]


def test_leader_sees_kinds_chart_and_coverage(world: World) -> None:
    make_enterprise(world.home.park, "未覆盖门店", kind="shop")
    response = client_for(world.user(Role.LEADER)).get(reverse("home"))
    html = response.content.decode()
    found = re.search(r'<script id="chart-data-kinds" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    values = {p["name"]: p["value"] for p in data["series"]}
    assert values["规上企业"] == 1 and values["门店"] == 1
    assert "echarts.min.js" in html and "lianqi/dashboard.js" in html
    section = sections(response)[Role.LEADER]
    coverage = next(c for c in section.cards if str(c.label) == "联企覆盖率")  # type: ignore[attr-defined]
    assert coverage.value == "50.0%"


def test_service_office_sees_uncovered_enterprises(world: World) -> None:
    make_enterprise(world.home.park, "待分配科技有限公司")
    make_enterprise(world.other.park, "别处未覆盖公司")
    html = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("home")).content.decode()
    assert "待分配科技有限公司" in html
    assert "别处未覆盖公司" not in html


def test_department_handler_sees_department(world: World) -> None:
    handler = world.user(Role.DEPARTMENT_HANDLER)
    Staff.objects.create(
        jurisdiction=world.home.park, name="经办人甲", department=world.home.department, user=handler
    )
    html = client_for(handler).get(reverse("home")).content.decode()
    assert world.home.liaison_staff.name in html  # a colleague of the department
    assert world.home.enterprise.name in html  # an enterprise of its industry (C)


def test_department_handler_without_staff_record_is_told_so(world: World) -> None:
    html = client_for(world.user(Role.DEPARTMENT_HANDLER)).get(reverse("home")).content.decode()
    assert "尚未绑定" in html


def test_liaison_sees_own_enterprises_only(world: World) -> None:
    colleague = Staff.objects.create(jurisdiction=world.home.park, name="同事")
    make_enterprise(world.home.park, "同事联系的公司", liaison=colleague)
    response = client_for(world.user(Role.LIAISON)).get(reverse("home"))
    panel = sections(response)[Role.LIAISON].panels[0]  # type: ignore[attr-defined]
    assert [str(r.label) for r in panel.rows] == [world.home.enterprise.name]


def test_enterprise_user_sees_card_and_liaison(world: World) -> None:
    html = client_for(world.user(Role.ENTERPRISE)).get(reverse("home")).content.decode()
    assert world.home.enterprise.name in html
    assert world.home.liaison_staff.name in html
    assert world.home.liaison_staff.phone in html


def test_finance_user_is_welcomed_as_its_institution(world: World) -> None:
    user = world.user(Role.FINANCE)
    user.institution = "湘潭农村商业银行"
    user.save()
    html = client_for(user).get(reverse("home")).content.decode()
    assert "金融超市" in html and "湘潭农村商业银行" in html


def test_admin_sees_users_and_lockouts(world: World) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=world.user(Role.LIAISON).username,
        ip_address="203.0.113.1",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        user_agent="t",
    )
    AccessAttempt.objects.create(
        username=world.other_user(Role.LIAISON).username,
        ip_address="203.0.113.1",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        user_agent="t",
    )
    section = sections(client_for(world.user(Role.ADMIN)).get(reverse("home")))[Role.ADMIN]
    values = {str(c.label): c.value for c in section.cards}  # type: ignore[attr-defined]
    assert values["账号"] == len(Role)
    assert values["登录锁定"] == 1  # the other park's lockout is not ours


def test_home_links_open(world: World) -> None:
    for role in Role:
        client = client_for(world.user(role))
        for section in sections(client.get(reverse("home"))).values():
            urls = [c.url for c in section.cards] + [r.url for p in section.panels for r in p.rows]  # type: ignore[attr-defined]
            for url in filter(None, urls):
                if url.startswith("tel:"):
                    continue
                assert client.get(url).status_code == 200, (role, url)


def test_demand_cards_count_what_the_user_may_see(world: World) -> None:
    from lianqi.demands.choices import DemandState
    from lianqi.demands.tests.factories import make_demand

    make_demand(world, DemandState.RECEIVED)
    make_demand(world, DemandState.RECEIVED)
    overdue = make_demand(world, DemandState.SIGNED)
    overdue.due_on = dt.date(2020, 1, 3)
    overdue.save()
    stranger = make_demand(world, DemandState.RECEIVED)
    stranger.enterprise = world.other.enterprise
    stranger.jurisdiction = world.other.park
    stranger.save()
    section = sections(client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("home")))[Role.SERVICE_OFFICE]
    values = {str(c.label): c.value for c in section.cards}  # type: ignore[attr-defined]
    assert values["新受理待交办"] == 2  # the other park's is not counted
    assert values["已超期诉求"] == 1
    leader = sections(client_for(world.user(Role.LEADER)).get(reverse("home")))[Role.LEADER]
    assert {str(c.label): c.value for c in leader.cards}["在办诉求"] == 3  # type: ignore[attr-defined]


def test_every_page_names_its_icon_and_the_browser_s_guess_finds_it(world: World) -> None:
    html = client_for(world.user(Role.LIAISON)).get(reverse("home")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")


def test_modules_with_several_entries_open_as_dropdowns(world: World) -> None:
    html = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("home")).content.decode()
    nav = html.split('data-testid="nav"')[1].split("</ul>")[0]
    assert re.search(r'data-group="demands">\s*<a class="nav-link dropdown-toggle"', nav)
    # A module with one entry for this user shows that entry itself.
    assert re.search(r'data-group="organisation">\s*<a class="nav-link" href="/org/"', nav)


def test_a_liaison_s_demand_card_counts_only_the_enterprises_they_serve(world: World) -> None:
    from lianqi.demands.choices import DemandState
    from lianqi.demands.tests.factories import make_demand
    from lianqi.testing.world import make_enterprise

    make_demand(world, DemandState.RECEIVED)
    neighbour = make_enterprise(world.home.park, "湘潭邻居机械有限公司")
    make_demand(world, DemandState.RECEIVED, enterprise=neighbour, liaison=None)
    make_demand(world, DemandState.RECEIVED, enterprise=neighbour, liaison=None)
    liaison = sections(client_for(world.user(Role.LIAISON)).get(reverse("home")))[Role.LIAISON]
    assert {str(c.label): c.value for c in liaison.cards}["在办诉求"] == 1  # type: ignore[attr-defined]


def test_a_liaison_s_home_lists_the_open_demands_of_the_enterprises_they_serve(world: World) -> None:
    from lianqi.demands.choices import DemandState
    from lianqi.demands.tests.factories import make_demand
    from lianqi.testing.world import make_enterprise

    mine = make_demand(world, DemandState.SIGNED)
    make_demand(world, DemandState.CLOSED)
    neighbour = make_enterprise(world.home.park, "湘潭邻居机械有限公司")
    make_demand(world, DemandState.RECEIVED, enterprise=neighbour, liaison=None)
    response = client_for(world.user(Role.LIAISON)).get(reverse("home"))
    section = sections(response)[Role.LIAISON]
    panel = next(p for p in section.panels if str(p.title) == "我联系企业的在办诉求")  # type: ignore[attr-defined]
    assert [row.url for row in panel.rows] == [reverse("demands:detail", args=[mine.pk])]


def test_a_cadre_who_is_liaison_and_handler_opens_on_the_enterprises_they_serve(world: World) -> None:
    from django.contrib.auth.models import Group

    user = world.user(Role.LIAISON)
    user.groups.add(Group.objects.get(name=Role.DEPARTMENT_HANDLER))
    response = client_for(user).get(reverse("home"))
    roles = [section.role for section in response.context["dashboard"]["sections"]]
    assert roles[:2] == [Role.LIAISON, Role.DEPARTMENT_HANDLER]


def test_the_leader_s_home_opens_with_the_year_s_headline_from_the_measures(world: World) -> None:
    from django.utils import timezone

    from lianqi.core import registry
    from lianqi.core.dashboards import HEADLINE, format_figure
    from lianqi.demands.choices import DemandState
    from lianqi.demands.tests.factories import make_demand

    make_demand(world, DemandState.RECEIVED, received_at=timezone.now())
    leader = world.user(Role.LEADER)
    section = sections(client_for(leader).get(reverse("home")))[Role.LEADER]
    cards = {str(c.label): c for c in section.cards}  # type: ignore[attr-defined]
    period = registry.Period.year(timezone.localdate().year)
    for key in HEADLINE:
        measure = registry.measure(key)
        card = cards[str(measure.label)]
        assert card.value == format_figure(measure.compute(world.home.park.path, period), measure.unit)
        assert card.definition == measure.definition and card.url
    received = cards[str(registry.measure("demands.received").label)]
    assert received.value == "1" and str(received.hint).endswith(" · 件")
    # Coverage and then the headline come first, before the park's make-up.
    labels = [str(c.label) for c in section.cards]  # type: ignore[attr-defined]
    assert labels[0] == "联企覆盖率"
    assert labels[1] == str(registry.measure(HEADLINE[0]).label)
    assert labels.index(str(registry.measure(HEADLINE[-1]).label)) < labels.index("在园企业")
