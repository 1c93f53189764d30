"""The enterprise's demand pages under its code (营商码), without an account: every page
answers a replaced code with 410 and an unknown one with 404; another enterprise's demand is
404; every page needs a confirmed phone — the enterprise's registered phones see all its
demands, any other phone only what it filed —, and the code page itself counts nothing for a
stranger; filing, rating, withdrawing and adding files go through the demand actions as the
enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.enterprises import actions as enterprise_actions
from lianqi.enterprises import otp
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.tests.test_otp import PHONE, last_code
from lianqi.enterprises.tests.test_otp import sms as sms
from lianqi.testing.world import World

from ..choices import Channel, DemandAction, DemandState, Outcome, Satisfaction
from ..models import Demand, DemandEvent
from .factories import category, handler, make_demand

PDF = b"%PDF-1.4\n%test\n"


def url(name: str, enterprise: Enterprise, *args: Any, token: str | None = None) -> str:
    return reverse(f"codes:{name}", args=[token or enterprise.code_token, *args])


def confirmed_client(
    enterprise: Enterprise, name: str = "张经理", phone: str = PHONE, *, registered: bool = True
) -> Client:
    """A browser whose session already holds a confirmed phone for the enterprise's code: one
    the enterprise registered unless `registered` is false."""
    client = Client()
    session = client.session
    otp.remember(
        session, token=enterprise.code_token, name=name, phone=phone, at=timezone.now(), registered=registered
    )
    session.save()
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


# --- Tokens and scoping ----------------------------------------------------------------------

GETS = ("demand_list", "confirm_phone", "demand_new")
OBJECT_GETS = ("demand_detail", "demand_submitted")
OBJECT_POSTS = ("demand_rate", "demand_withdraw", "demand_attach")


def every_request(client: Client, enterprise: Enterprise, demand: Demand, token: str) -> list[Any]:
    responses = [client.get(url(n, enterprise, token=token)) for n in GETS]
    responses += [client.get(url(n, enterprise, demand.pk, token=token)) for n in OBJECT_GETS]
    responses += [client.post(url(n, enterprise, demand.pk, token=token), {}) for n in OBJECT_POSTS]
    responses.append(client.post(url("demand_new", enterprise, token=token), {}))
    responses.append(client.post(url("confirm_phone", enterprise, token=token), {}))
    return responses


def test_every_page_answers_an_unknown_code_with_404(world: World) -> None:
    enterprise = world.home.enterprise
    demand = make_demand(world)
    for response in every_request(confirmed_client(enterprise), enterprise, demand, "not-a-real-token"):
        assert response.status_code == 404
        assert "无法识别此营商码" in text(response) and enterprise.name not in text(response)


def test_every_page_answers_a_replaced_code_with_410(world: World) -> None:
    enterprise = world.home.enterprise
    demand = make_demand(world)
    client = confirmed_client(enterprise)  # even a browser confirmed under the old code
    old = enterprise.code_token
    enterprise_actions.rotate_code_token(enterprise=enterprise, actor=None)
    for response in every_request(client, enterprise, demand, old):
        assert response.status_code == 410
        assert "此营商码已更换" in text(response) and enterprise.name not in text(response)
        assert response["Cache-Control"] == "no-store"
    assert Demand.objects.count() == 1


def test_another_enterprises_demand_is_404_under_this_code(world: World) -> None:
    theirs = make_demand(world, DemandState.REPLIED, enterprise=world.other.enterprise)
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    for name in OBJECT_GETS:
        assert client.get(url(name, enterprise, theirs.pk)).status_code == 404
    data = {"version": 1, "contacted": "1", "solved": "1", "satisfaction": "satisfied", "note": "撤回"}
    for name in OBJECT_POSTS:
        assert client.post(url(name, enterprise, theirs.pk), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == DemandState.REPLIED and theirs.version == 1


# --- The code page and the list --------------------------------------------------------------


def test_code_page_links_to_the_demands_and_counts_them_for_the_enterprise_only(world: World) -> None:
    enterprise = world.home.enterprise
    make_demand(world, DemandState.ASSIGNED)
    make_demand(world, DemandState.REPLIED)
    make_demand(world, DemandState.CLOSED)
    make_demand(world, DemandState.ASSIGNED, enterprise=world.other.enterprise)
    page = text(Client().get(url("public", enterprise)))
    assert f'href="{url("demand_list", enterprise)}"' in page
    assert "件办理中" not in page  # how many demands are open is not for the factory gate
    assert "2 件办理中" in text(confirmed_client(enterprise).get(url("public", enterprise)))
    assert "件办理中" not in text(
        confirmed_client(enterprise, registered=False).get(url("public", enterprise))
    )


def test_a_replied_demand_asks_for_a_rating_in_the_list(world: World) -> None:
    enterprise = world.home.enterprise
    make_demand(world, DemandState.ASSIGNED)
    client = confirmed_client(enterprise)
    assert "已答复，请评价" not in text(client.get(url("demand_list", enterprise)))
    make_demand(world, DemandState.REPLIED)
    assert "已答复，请评价" in text(client.get(url("demand_list", enterprise)))


def test_list_shows_the_enterprises_demands_newest_first_without_staff(world: World) -> None:
    enterprise = world.home.enterprise
    older = make_demand(world, DemandState.ASSIGNED, description="厂区道路积水")
    newer = make_demand(
        world,
        received_at=older.received_at + dt.timedelta(days=1),
        description="招工困难需要对接",
        contact_name="王会计",
        contact_phone="13700001111",
    )
    make_demand(world, enterprise=world.other.enterprise, description="别家的诉求")
    response = confirmed_client(enterprise).get(url("demand_list", enterprise))
    page = text(response)
    assert response.status_code == 200
    assert page.index("招工困难需要对接") < page.index("厂区道路积水")
    assert f"#{newer.pk}" in page and "别家的诉求" not in page
    assert "已交办" in page and world.home.department.name in page and "2025-03-10" in page
    assert "13700001111" not in page and "13800000001" not in page
    assert world.user(Role.SERVICE_OFFICE).display_name not in page


def test_a_phone_the_enterprise_did_not_register_follows_only_what_it_filed(world: World) -> None:
    enterprise = world.home.enterprise
    own = make_demand(world, description="厂区道路积水需要疏通", contact_phone=PHONE)
    others = make_demand(world, description="希望协调办理厂房产权证", contact_phone="13700001111")
    client = confirmed_client(enterprise, registered=False)
    listed = text(client.get(url("demand_list", enterprise)))
    assert "厂区道路积水需要疏通" in listed and "希望协调办理厂房产权证" not in listed
    assert client.get(url("demand_detail", enterprise, own.pk)).status_code == 200
    assert client.get(url("demand_detail", enterprise, others.pk)).status_code == 404
    assert _rate(client, enterprise, others).status_code == 404
    # Filing shows likely duplicates among its own demands only (the enterprise sees them all).
    data = {"category": others.category_id, "description": others.description}
    shown = confirmed_client(enterprise).post(url("demand_new", enterprise), data)
    assert 'data-testid="submit-anyway"' in text(shown) and f"#{others.pk}" in text(shown)
    filed = client.post(url("demand_new", enterprise), data)
    assert filed.status_code == 302  # nothing to show: filed at once


def test_the_enterprises_logged_in_user_needs_no_code(world: World) -> None:
    enterprise = world.home.enterprise
    make_demand(world, description="厂区道路积水", contact_phone="13700001111")
    client = Client()
    client.force_login(world.user(Role.ENTERPRISE))
    assert world.user(Role.ENTERPRISE).enterprise_id == enterprise.pk
    assert "厂区道路积水" in text(client.get(url("demand_list", enterprise)))
    # … but only for its own enterprise's code.
    response = client.get(url("demand_list", world.other.enterprise))
    assert (
        response.status_code == 302 and url("confirm_phone", world.other.enterprise) in response["Location"]
    )


def test_the_enterprises_account_has_its_own_demands_and_files_without_sms(world: World) -> None:
    user = world.user(Role.ENTERPRISE)
    user.display_name = "王会计"
    user.save()
    enterprise = world.home.enterprise
    client = Client()
    client.force_login(user)
    mine = client.get(reverse("demands:liaison_home"))
    assert mine.status_code == 302 and mine["Location"] == url("demand_list", enterprise)
    response = _new(client, enterprise)
    demand = Demand.objects.get()
    assert response["Location"] == url("demand_submitted", enterprise, demand.pk)
    assert demand.channel == Channel.ENTERPRISE_ACCOUNT and demand.raised_by == user
    # Staff read who filed it: the enterprise and the person, not a login name.
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    page = text(office.get(reverse("demands:detail", args=[demand.pk])))
    assert f"{enterprise.name}（王会计）" in page and "企业账号提交" in page


def test_confirming_a_registered_phone_opens_the_enterprises_demands(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    enterprise.contacts.create(name="李经理", phone="137 0000 2222")
    make_demand(world, description="财务部提交的诉求", contact_phone="13700001111")
    client = Client()
    wanted = url("demand_list", enterprise)
    first = client.get(wanted)
    assert first.status_code == 302 and url("confirm_phone", enterprise) in first["Location"]
    confirm = first["Location"]
    client.post(confirm, {"step": "send", "name": "李经理", "phone": "13700002222"})
    done = client.post(
        confirm,
        {"step": "verify", "name": "李经理", "phone": "13700002222", "code": last_code("13700002222")},
    )
    assert done.status_code == 302 and done["Location"] == wanted
    assert "财务部提交的诉求" in text(client.get(wanted))


# --- Confirming a phone ----------------------------------------------------------------------


def test_filing_starts_with_the_phone_confirmation(world: World) -> None:
    enterprise = world.home.enterprise
    response = Client().get(url("demand_new", enterprise))
    assert response.status_code == 302
    assert response["Location"].startswith(url("confirm_phone", enterprise))


def test_the_code_flow_confirms_the_phone_for_this_browser(world: World, sms: Any) -> None:
    enterprise = world.home.enterprise
    client = Client()
    confirm = url("confirm_phone", enterprise) + "?next=" + url("demand_new", enterprise)
    bad = client.post(confirm, {"step": "send", "name": "张经理", "phone": "1381234"})
    assert "请输入11位中国大陆手机号码" in text(bad) and 'value="张经理"' in text(bad)
    sent = client.post(confirm, {"step": "send", "name": "张经理", "phone": PHONE})
    assert "验证码已发送至 139****5678" in text(sent)
    code = last_code()
    wrong_code = f"{(int(code) + 1) % 10**6:06d}"
    wrong = client.post(confirm, {"step": "verify", "name": "张经理", "phone": PHONE, "code": wrong_code})
    assert "验证码错误，还可尝试4次" in text(wrong)
    again = client.post(confirm, {"step": "send", "name": "张经理", "phone": PHONE})
    assert "秒后再重新获取" in text(again)
    done = client.post(confirm, {"step": "verify", "name": "张经理", "phone": PHONE, "code": code})
    assert done.status_code == 302 and done["Location"] == url("demand_new", enterprise)
    assert client.get(url("demand_new", enterprise)).status_code == 200


def test_confirmation_never_redirects_outside_this_code(world: World) -> None:
    enterprise = world.home.enterprise
    view = Client().get(url("confirm_phone", enterprise), {"next": "https://evil.example/"})
    assert 'value="https://evil.example/"' not in text(view)
    assert f'value="{url("public", enterprise)}"' in text(view)


# --- Filing ----------------------------------------------------------------------------------


def _new(client: Client, enterprise: Enterprise, **extra: Any) -> Any:
    data = {"category": category().pk, "description": "希望协调办理厂房产权证", **extra}
    return client.post(url("demand_new", enterprise), data)


def test_filing_without_a_confirmed_phone_is_refused(world: World) -> None:
    enterprise = world.home.enterprise
    response = _new(Client(), enterprise)
    assert response.status_code == 302 and url("confirm_phone", enterprise) in response["Location"]
    assert not Demand.objects.exists()


def test_filing_with_a_confirmed_phone_creates_the_demand_as_the_enterprise(world: World) -> None:
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    upload = SimpleUploadedFile("现场照片.pdf", PDF, "application/pdf")
    response = _new(client, enterprise, attachments=[upload])
    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("demand_submitted", enterprise, demand.pk)
    assert demand.enterprise == enterprise and demand.channel == Channel.ENTERPRISE_CODE
    assert (demand.contact_name, demand.contact_phone) == ("张经理", PHONE)
    assert demand.raised_by is None and demand.liaison == world.home.liaison_staff
    event = demand.events.get()
    assert event.by_enterprise and event.actor is None
    attachment = demand.attachments.get()
    assert attachment.by_enterprise and attachment.name == "现场照片.pdf"
    done = text(client.get(response["Location"]))
    assert f"#{demand.pk}" in done and url("demand_detail", enterprise, demand.pk) in done
    listed = text(client.get(url("demand_list", enterprise)))
    assert "希望协调办理厂房产权证" in listed


def test_bad_input_is_shown_next_to_the_field_and_kept(world: World) -> None:
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    response = _new(client, enterprise, description="  ")
    page = text(response)
    assert response.status_code == 200 and 'data-error-for="description"' in page
    assert f'<option value="{category().pk}" selected>' in page
    bad_file = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", "application/octet-stream")
    response = _new(client, enterprise, attachments=[bad_file])
    assert "“病毒.exe”的文件类型不被接受" in text(response)
    assert "希望协调办理厂房产权证" in text(response)
    assert not Demand.objects.exists()


def test_likely_duplicates_are_shown_before_submitting(world: World) -> None:
    enterprise = world.home.enterprise
    existing = make_demand(world, DemandState.ASSIGNED, description="希望协调办理厂房产权证")
    client = confirmed_client(enterprise)
    first = _new(client, enterprise)
    page = text(first)
    assert first.status_code == 200 and 'data-testid="duplicates"' in page
    assert f"#{existing.pk}" in page and "仍然提交" in page
    assert "所选附件未保存" not in page
    with_file = _new(client, enterprise, attachments=[SimpleUploadedFile("a.pdf", PDF, "application/pdf")])
    assert "所选附件未保存，提交前请重新选择" in text(with_file)  # a browser cannot re-send a file
    assert Demand.objects.count() == 1
    anyway = _new(client, enterprise, confirm_duplicates="1")
    assert anyway.status_code == 302 and Demand.objects.count() == 2


# --- Following, rating, withdrawing, adding files --------------------------------------------


def _replied(world: World) -> Demand:
    """A demand the department replied to, with a history written by a named handler."""
    demand = make_demand(world, DemandState.REPLIED)
    staff_user = handler(world.home)
    staff_user.display_name = "李经办"
    staff_user.save()
    DemandEvent.objects.create(
        demand=demand,
        jurisdiction_path=demand.jurisdiction_path,
        action=DemandAction.REPLY,
        from_state=DemandState.HANDLING,
        to_state=DemandState.REPLIED,
        actor=staff_user,
        department=world.home.department,
        note="已协调银行",
        version=1,
        at=demand.received_at,
    )
    DemandEvent.objects.create(
        demand=demand,
        jurisdiction_path=demand.jurisdiction_path,
        action=DemandAction.SUPERVISE,
        from_state=DemandState.HANDLING,
        to_state=DemandState.HANDLING,
        actor=world.user(Role.SERVICE_OFFICE),
        note="内部督办意见",
        version=1,
        at=demand.received_at,
    )
    return demand


def _rate(client: Client, enterprise: Enterprise, demand: Demand, **answers: Any) -> Any:
    data = {
        "version": demand.version,
        "contacted": "1",
        "solved": "1",
        "satisfaction": "satisfied",
        **answers,
    }
    return client.post(url("demand_rate", enterprise, demand.pk), data)


def test_detail_shows_progress_and_reply_but_no_staff_names(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    page = text(confirmed_client(enterprise).get(url("demand_detail", enterprise, demand.pk)))
    assert "已协调银行" in page and world.home.department.name in page
    assert "李经办" not in page and world.user(Role.SERVICE_OFFICE).display_name not in page
    assert "内部督办意见" not in page
    assert 'data-testid="rating-form"' in page


def test_rating_satisfied_closes_the_demand(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    response = _rate(confirmed_client(enterprise), enterprise, demand)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.state == DemandState.CLOSED and demand.outcome == Outcome.SOLVED
    assert demand.satisfaction == Satisfaction.SATISFIED and demand.contacted and demand.solved
    event = demand.events.order_by("pk").last()
    assert event is not None and event.action == DemandAction.RATE and event.by_enterprise


def test_rating_unsatisfied_sends_it_back_to_redo(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    client = confirmed_client(enterprise)
    _rate(client, enterprise, demand, solved="0", satisfaction="unsatisfied", note="仍未放款")
    demand.refresh_from_db()
    assert demand.state == DemandState.ASSIGNED and demand.redo_count == 1
    event = demand.events.order_by("pk").last()
    assert event is not None and event.action == DemandAction.RATE_REDO and event.by_enterprise
    page = text(client.get(url("demand_detail", enterprise, demand.pk)))
    assert "感谢评价" in page and "仍未放款" in page


def test_a_stale_rating_shows_a_message(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    Demand.objects.filter(pk=demand.pk).update(version=2)  # someone acted since the page loaded
    client = confirmed_client(enterprise)
    response = _rate(client, enterprise, demand)
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "请刷新后重试" in page
    demand.refresh_from_db()
    assert demand.state == DemandState.REPLIED and demand.rated_at is None


def test_rating_with_missing_answers_is_shown_next_to_the_fields(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    response = confirmed_client(enterprise).post(url("demand_rate", enterprise, demand.pk), {"version": 1})
    assert response.status_code == 400
    assert 'data-error-for="satisfaction"' in text(response)
    demand.refresh_from_db()
    assert demand.state == DemandState.REPLIED


def test_rating_without_a_confirmed_phone_is_refused(world: World) -> None:
    enterprise = world.home.enterprise
    demand = _replied(world)
    response = _rate(Client(), enterprise, demand)
    assert response.status_code == 302 and url("confirm_phone", enterprise) in response["Location"]
    demand.refresh_from_db()
    assert demand.state == DemandState.REPLIED


def test_withdraw_closes_an_open_demand_and_a_replied_one_names_the_allowed_steps(world: World) -> None:
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    demand = make_demand(world, DemandState.ASSIGNED)
    client.post(url("demand_withdraw", enterprise, demand.pk), {"version": 1, "note": "已自行解决"})
    demand.refresh_from_db()
    assert demand.state == DemandState.CLOSED and demand.outcome == Outcome.WITHDRAWN
    replied = make_demand(world, DemandState.REPLIED)
    response = client.post(url("demand_withdraw", enterprise, replied.pk), {"version": 1, "note": "不要了"})
    page = text(client.get(response["Location"]))
    assert "不能执行“撤回”" in page and "评价" in page
    replied.refresh_from_db()
    assert replied.state == DemandState.REPLIED


def test_files_can_be_added_while_open(world: World) -> None:
    enterprise = world.home.enterprise
    client = confirmed_client(enterprise)
    demand = make_demand(world, DemandState.HANDLING)
    upload = SimpleUploadedFile("补充材料.pdf", PDF, "application/pdf")
    response = client.post(url("demand_attach", enterprise, demand.pk), {"attachments": [upload]})
    assert response.status_code == 302
    assert demand.attachments.get().by_enterprise
    empty = client.post(url("demand_attach", enterprise, demand.pk), {})
    assert empty.status_code == 400 and "请选择要上传的文件" in text(empty)
    closed = make_demand(world, DemandState.CLOSED)
    page = text(client.get(url("demand_detail", enterprise, closed.pk)))
    assert 'data-testid="attach-form"' not in page
    refused = client.post(
        url("demand_attach", enterprise, closed.pk),
        {"attachments": [SimpleUploadedFile("晚了.pdf", PDF, "application/pdf")]},
    )
    assert refused.status_code == 400 and "诉求已办结，不能再上传附件" in text(refused)


@pytest.mark.parametrize("state", [DemandState.RECEIVED, DemandState.REPLIED, DemandState.CLOSED])
def test_detail_renders_in_every_kind_of_state(world: World, state: str) -> None:
    enterprise = world.home.enterprise
    demand = make_demand(world, state)
    response = confirmed_client(enterprise).get(url("demand_detail", enterprise, demand.pk))
    assert response.status_code == 200
    assert ('data-testid="withdraw-form"' in text(response)) == (state == DemandState.RECEIVED)
    assert ('data-testid="rating-form"' in text(response)) == (state == DemandState.REPLIED)
