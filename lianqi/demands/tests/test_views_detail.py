"""A demand's own page: scoping contracts for each view, then what staff and enterprises see and
do there (the timeline, taking a step, a colleague's change in between, refused steps, bad
input, files)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core import workdays
from lianqi.core.roles import Role
from lianqi.org.models import Department
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World, make_enterprise

from .. import actions, dispatch, workflow
from ..choices import Channel, DemandState, Outcome, Satisfaction
from ..choices import DemandAction as A
from ..models import CategoryRouting, Demand, DemandAttachment
from .factories import AT, category, handler, make_demand

EVERYONE = (
    Role.LIAISON,
    Role.DEPARTMENT_HANDLER,
    Role.SERVICE_OFFICE,
    Role.LEADER,
    Role.ADMIN,
    Role.ENTERPRISE,
)
PDF = b"%PDF-1.4 test document"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act_url(demand: Demand, action: str) -> str:
    return reverse("demands:act", args=[demand.pk, action])


def detail_url(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.pk])


def with_attachment(world: World) -> tuple[Demand, DemandAttachment]:
    demand = make_demand(world, DemandState.HANDLING)
    [attachment] = actions.add_attachments(
        demand=demand,
        uploads=[SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/pdf")],
        actor=world.user(Role.SERVICE_OFFICE),
    )
    return demand, attachment


# --- Scoping contracts, one per view ---------------------------------------------------------


class TestDetailContract(ObjectPageContract):
    allowed_roles = EVERYONE
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        handler(world.home)
        return detail_url(make_demand(world, DemandState.HANDLING))


class TestActGetContract(ObjectPageContract):
    # Withdrawing is open to the enterprise, its liaison and the office.
    allowed_roles = (Role.LIAISON, Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return act_url(make_demand(world, DemandState.HANDLING), A.WITHDRAW)


class TestActPostContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER)
    denied_role = Role.FINANCE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return act_url(make_demand(world, DemandState.HANDLING), A.SUPERVISE)

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": 1, "note": "请本周内答复"}


class TestAttachmentDownloadContract(ObjectPageContract):
    allowed_roles = EVERYONE
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        handler(world.home)
        demand, attachment = with_attachment(world)
        return reverse("demands:attachment", args=[demand.pk, attachment.pk])


class TestAttachContract(ObjectPageContract):
    method = "post"
    # Those who hold a role on the demand (an admin sees it but takes no part in it).
    allowed_roles = (
        Role.LIAISON,
        Role.DEPARTMENT_HANDLER,
        Role.SERVICE_OFFICE,
        Role.LEADER,
        Role.ENTERPRISE,
    )
    denied_role = Role.FINANCE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        handler(world.home)
        return reverse("demands:attach", args=[make_demand(world, DemandState.HANDLING).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"attachments": SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")}


# --- The page --------------------------------------------------------------------------------


def _events(html: str) -> list[str]:
    return re.findall(r'data-testid="timeline-event" data-action="([a-z_]+)"', html)


def test_timeline_lists_every_event_in_order_with_the_actor(world: World) -> None:
    liaison, office = world.user(Role.LIAISON), world.user(Role.SERVICE_OFFICE)
    signer = handler(world.home)
    demand = actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="厂区道路积水，货车无法进出",
        actor=liaison,
        at=AT,
    )
    demand = actions.assign_demand(
        demand=demand,
        actor=office,
        expected_version=demand.version,
        department=world.home.department,
        workdays_limit=3,
        note="请三日内答复",
        at=AT + dt.timedelta(hours=1),
    )
    actions.sign_demand(
        demand=demand, actor=signer, expected_version=demand.version, at=AT + dt.timedelta(hours=2)
    )

    html = client_for(office).get(detail_url(demand)).content.decode()

    assert _events(html) == ["submit", "assign", "sign"]
    blocks = html.split('data-testid="timeline-event"')[1:]
    assert str(liaison) in blocks[0] and "提交诉求" in blocks[0]
    assert str(office) in blocks[1] and "请三日内答复" in blocks[1] and "已受理 → 已交办" in blocks[1]
    assert "经济发展局" in blocks[1] and "2025-03-06" in blocks[1]  # department and deadline
    assert str(signer) in blocks[2] and "已交办 → 已签收" in blocks[2]
    # 09:30, 10:30 and 11:30 in Shanghai, whatever the server's zone.
    assert [t for t in re.findall(r"2025-03-03 (\d\d:\d\d)</time>", html)] == ["09:30", "10:30", "11:30"]


def test_summary_shows_deadline_badge_fallback_warning_and_escalation(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(
        world,
        DemandState.HANDLING,
        due_on=dt.date(2020, 1, 6),
        fallback_years=[2031],
        venue="expert",
        meeting="遗留问题专家会",
        escalation_owner=world.home.liaison_staff,
        is_legacy=True,
    )
    html = client_for(office).get(detail_url(demand)).content.decode()
    assert 'data-testid="badge-overdue"' in html
    assert 'data-testid="fallback-warning"' in html and "2031" in html
    assert 'data-testid="badge-legacy"' in html and "遗留问题专家会" in html
    today = workdays.shanghai_date(timezone.now())
    due_today = make_demand(world, DemandState.HANDLING, due_on=today)
    html = client_for(office).get(detail_url(due_today)).content.decode()
    assert 'data-testid="badge-due-soon"' in html and 'data-testid="badge-overdue"' not in html
    on_time = make_demand(world, DemandState.HANDLING, due_on=today + dt.timedelta(days=30))
    html = client_for(office).get(detail_url(on_time)).content.decode()
    assert 'data-testid="badge-overdue"' not in html and 'data-testid="badge-due-soon"' not in html
    assert 'data-testid="fallback-warning"' not in html


def test_buttons_are_the_allowed_actions_with_one_return_visit(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.REPLIED)
    html = client_for(office).get(detail_url(demand)).content.decode()
    buttons = re.findall(r'data-action="([a-z_]+)">', html.split('data-testid="action-buttons"')[1])
    assert buttons == ["return_visit", "supervise"]
    assert set(workflow.WORKFLOW.allowed_actions(demand, office)) == {
        A.RETURN_VISIT,
        A.RETURN_VISIT_REDO,
        A.SUPERVISE,
    }


def test_a_handler_signs_from_the_page(world: World) -> None:
    signer = handler(world.home)
    demand = make_demand(world, DemandState.ASSIGNED)
    client = client_for(signer)
    page = client.get(detail_url(demand)).content.decode()
    assert f'href="{act_url(demand, A.SIGN)}"' in page

    form = client.get(act_url(demand, A.SIGN))
    assert form.status_code == 200
    assert 'name="expected_version" value="1"' in form.content.decode()
    response = client.post(act_url(demand, A.SIGN), {"expected_version": 1}, follow=True)

    assert response.redirect_chain[-1][0] == detail_url(demand)
    demand.refresh_from_db()
    assert demand.state == DemandState.SIGNED
    event = demand.events.get(action=A.SIGN)
    assert event.actor == signer
    assert "已完成“签收”" in response.content.decode()


def test_a_stale_version_names_the_colleague_and_keeps_the_typed_note(world: World) -> None:
    replier = handler(world.home)
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.HANDLING)
    client = client_for(replier)
    client.get(act_url(demand, A.REPLY))  # the handler opens the form at version 1 …
    dispatch.perform(  # … while the office supervises the demand.
        demand=demand, action=A.SUPERVISE, actor=office, expected_version=1, data={"note": "请加快"}
    )

    typed = {"expected_version": 1, "outcome": Outcome.SOLVED, "note": "已协调银行放款，企业确认到账"}
    response = client.post(act_url(demand, A.REPLY), typed)

    assert response.status_code == 409
    html = response.content.decode()
    stale = html.split('data-testid="stale-message"')[1].split("</div>")[0]
    assert str(office) in stale and "办理中" in stale
    assert "已协调银行放款，企业确认到账</textarea>" in html
    assert 'name="expected_version" value="2"' in html
    assert 'value="solved" selected' in html
    demand.refresh_from_db()
    assert demand.state == DemandState.HANDLING and demand.reply == ""

    # Sent again with the refreshed version, after seeing the change: taken, nothing lost.
    again = client.post(act_url(demand, A.REPLY), {**typed, "expected_version": 2})
    assert again.status_code == 302
    demand.refresh_from_db()
    assert demand.state == DemandState.REPLIED and demand.reply == typed["note"]
    assert demand.events.filter(action=A.SUPERVISE).exists()


def test_a_refused_action_answers_409_with_the_allowed_actions(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.RECEIVED)
    client = client_for(office)
    for response in (
        client.post(act_url(demand, A.SIGN), {"expected_version": 1}),
        client.get(act_url(demand, A.SIGN)),
        client.get(act_url(demand, "fly")),
    ):
        assert response.status_code == 409
        html = response.content.decode()
        allowed = html.split('data-testid="allowed-actions"')[1]
        assert f'href="{act_url(demand, A.ASSIGN)}"' in allowed
        assert f'href="{act_url(demand, A.CLOSE)}"' in allowed
    assert "不能执行“签收”" in client.get(act_url(demand, A.SIGN)).content.decode()
    demand.refresh_from_db()
    assert demand.state == DemandState.RECEIVED and demand.version == 1


def test_a_bad_workdays_shows_a_field_error_and_changes_nothing(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.RECEIVED)
    data = {
        "expected_version": 1,
        "department": world.home.department.pk,
        "workdays": 0,
        "note": "请尽快办理",
    }
    response = client_for(office).post(act_url(demand, A.ASSIGN), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'data-error-for="workdays">时限须为 1 至 \d+ 个工作日<', html)
    assert "请尽快办理</textarea>" in html
    demand.refresh_from_db()
    assert demand.state == DemandState.RECEIVED and not demand.events.exists()


def test_assign_form_offers_the_routing_default_and_assigns_with_co_departments(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    land = Department.objects.create(jurisdiction=world.home.park, name="自然资源局")
    Department.objects.create(jurisdiction=world.other.park, name="外园区部门")
    Department.objects.create(jurisdiction=world.home.park, name="已撤销部门", is_active=False)
    CategoryRouting.objects.create(
        jurisdiction=world.home.park, category=category(), department=land, deadline_workdays=7
    )
    demand = make_demand(world, DemandState.RECEIVED)
    client = client_for(office)
    html = client.get(act_url(demand, A.ASSIGN)).content.decode()
    assert f'<option value="{land.pk}" selected>' in html
    assert 'name="workdays" value="7"' in html
    assert "外园区部门" not in html and "已撤销部门" not in html

    response = client.post(
        act_url(demand, A.ASSIGN),
        {
            "expected_version": 1,
            "department": land.pk,
            "co_departments": [world.home.department.pk],
            "workdays": 7,
        },
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.state == DemandState.ASSIGNED and demand.lead_department == land
    assert list(demand.co_departments.all()) == [world.home.department]


def test_a_department_of_another_park_is_refused_next_to_the_field(world: World) -> None:
    demand = make_demand(world, DemandState.RECEIVED)
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        act_url(demand, A.ASSIGN),
        {"expected_version": 1, "department": world.other.department.pk, "workdays": 3},
    )
    assert response.status_code == 400
    assert 'data-error-for="department"' in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).state == DemandState.RECEIVED


def test_reply_form_offers_only_outcomes_a_department_can_give(world: World) -> None:
    demand = make_demand(world, DemandState.HANDLING)
    html = client_for(handler(world.home)).get(act_url(demand, A.REPLY)).content.decode()
    assert 'value="solved"' in html and 'value="not_remit"' in html
    assert 'value="withdrawn"' not in html and 'value="duplicate"' not in html


def test_one_return_visit_form_closes_or_sends_back_by_the_answers(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    client = client_for(office)
    pleased = make_demand(world, DemandState.REPLIED)
    unhappy = make_demand(world, DemandState.REPLIED)
    answers = {"expected_version": 1, "contacted": "1", "solved": "1", "satisfaction": Satisfaction.SATISFIED}
    assert client.post(act_url(pleased, A.RETURN_VISIT), answers).status_code == 302
    redo = {**answers, "solved": "0", "satisfaction": Satisfaction.UNSATISFIED}
    assert client.post(act_url(unhappy, A.RETURN_VISIT), redo).status_code == 302
    pleased.refresh_from_db()
    unhappy.refresh_from_db()
    assert pleased.state == DemandState.CLOSED and pleased.rating_source == "return_visit"
    assert unhappy.state == DemandState.ASSIGNED and unhappy.redo_count == 1
    assert unhappy.events.filter(action=A.RETURN_VISIT_REDO).exists()
    # The rating is shown on the page afterwards.
    html = client.get(detail_url(pleased)).content.decode()
    assert 'data-testid="rating"' in html and "满意" in html


def test_merge_offers_likely_duplicates_and_takes_a_typed_number(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    client = client_for(office)
    kept = make_demand(world, DemandState.HANDLING, description="贷款审批进度慢，希望协调银行")
    other_topic = make_demand(
        world, DemandState.HANDLING, description="招工难", category=category("用工招聘")
    )
    duplicate = make_demand(world, DemandState.RECEIVED, description="贷款审批进度慢")
    html = client.get(act_url(duplicate, A.MERGE)).content.decode()
    assert f'<option value="{kept.pk}">' in html and f'<option value="{other_topic.pk}">' not in html

    foreign = make_demand(
        world, DemandState.HANDLING, enterprise=make_enterprise(world.home.park, "另一家公司")
    )
    refused = client.post(
        act_url(duplicate, A.MERGE), {"expected_version": 1, "into_pk": foreign.pk, "note": "重复"}
    )
    assert refused.status_code == 400
    assert 'data-error-for="into_pk"' in refused.content.decode()

    taken = client.post(
        act_url(duplicate, A.MERGE), {"expected_version": 1, "into_pk": other_topic.pk, "note": "同一事项"}
    )
    assert taken.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == other_topic and duplicate.outcome == Outcome.DUPLICATE
    html = client.get(detail_url(other_topic)).content.decode()
    assert f'href="{detail_url(duplicate)}"' in html.split('data-testid="merged-demands"')[1]


def test_the_action_form_loads_alone_for_htmx(world: World) -> None:
    demand = make_demand(world, DemandState.HANDLING)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    partial = client.get(act_url(demand, A.SUPERVISE), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    html = partial.content.decode()
    assert 'data-testid="action-form"' in html and "<html" not in html
    full = client.get(act_url(demand, A.SUPERVISE)).content.decode()
    assert "<html" in full and 'data-testid="demand-summary"' in full


# --- Files -----------------------------------------------------------------------------------


def test_download_gives_the_file_under_its_original_name(world: World) -> None:
    demand, attachment = with_attachment(world)
    response = client_for(world.user(Role.LIAISON)).get(
        reverse("demands:attachment", args=[demand.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87%E8%AF%B4%E6%98%8E.pdf" in response["Content-Disposition"]
    # The file of one demand is not reachable through another.
    other = make_demand(world, DemandState.HANDLING)
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(
        reverse("demands:attachment", args=[other.pk, attachment.pk])
    )
    assert response.status_code == 404


def test_the_upload_of_an_exe_is_refused_naming_the_accepted_types(world: World) -> None:
    demand = make_demand(world, DemandState.HANDLING)
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("demands:attach", args=[demand.pk]),
        {
            "attachments": [
                SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
            ]
        },
    )
    assert response.status_code == 400
    error = response.content.decode().split('data-error-for="attachments">')[1].split("<")[0]
    assert "setup.exe" in error and "pdf、jpg" in error and "docx" in error
    assert not demand.attachments.exists()  # the good file is not stored either
    assert not demand.events.exists()


def test_several_files_are_uploaded_and_listed(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.HANDLING)
    client = client_for(office)
    response = client.post(
        reverse("demands:attach", args=[demand.pk]),
        {
            "attachments": [
                SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("清单.txt", "数量：3".encode(), content_type="text/plain"),
            ]
        },
    )
    assert response.status_code == 302
    html = client.get(detail_url(demand)).content.decode()
    assert html.count('data-testid="attachment"') == 2 and "清单.txt" in html
    assert demand.events.filter(action=actions.ATTACH).count() == 1


# --- Who sees what ---------------------------------------------------------------------------


def test_the_enterprise_user_sees_its_own_demand_but_not_another(world: World) -> None:
    client = client_for(world.user(Role.ENTERPRISE))
    own = make_demand(world, DemandState.REPLIED)
    neighbour = make_demand(
        world, DemandState.REPLIED, enterprise=make_enterprise(world.home.park, "邻居企业有限公司")
    )
    mine = client.get(detail_url(own))
    assert mine.status_code == 200
    assert f'href="{act_url(own, A.RATE)}"' in mine.content.decode()
    assert client.get(detail_url(neighbour)).status_code == 404
    assert client.get(act_url(neighbour, A.RATE)).status_code == 404


def test_public_timeline_hides_staff_names(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    demand = make_demand(world, DemandState.RECEIVED)
    dispatch.perform(
        demand=demand,
        action=A.ASSIGN,
        actor=office,
        expected_version=1,
        data={"department": world.home.department, "workdays": 3},
    )
    events = list(demand.events.all())
    public = render_to_string("demands/_timeline.html", {"events": events, "public": True})
    staff = render_to_string("demands/_timeline.html", {"events": events})
    assert str(office) not in public and "园区工作人员" in public and "经济发展局" in public
    assert str(office) in staff


# --- The lifecycle document ------------------------------------------------------------------


def test_the_lifecycle_document_lists_every_step_of_the_table() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "demands.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\w+)` \| `(\w+)` \| `(\w+)` \|", text, flags=re.M))
    table = {(s.value, a.value, str(t.next_state)) for (s, a), t in workflow.TABLE.items()}
    assert rows == table


@pytest.mark.parametrize("role", [Role.FINANCE])
def test_a_user_without_a_role_is_refused_the_step(world: World, role: str) -> None:
    demand = make_demand(world, DemandState.HANDLING)
    assert client_for(world.user(role)).post(act_url(demand, A.SUPERVISE)).status_code == 403


# --- Every step of the table through its form -------------------------------------------------


def _form_data(world: World, action: A) -> dict[str, Any]:
    home = world.home
    rating = {"contacted": "1", "solved": "1", "satisfaction": Satisfaction.SATISFIED}
    redo = {"contacted": "1", "solved": "0", "satisfaction": Satisfaction.UNSATISFIED}
    steps: dict[A, dict[str, Any]] = {
        A.ASSIGN: {"department": home.department.pk, "workdays": 3},
        A.REROUTE: {"department": home.department.pk},
        A.SEND_BACK: {"reason": "非本部门职责"},
        A.REQUEST_EXTENSION: {"workdays": 2, "reason": "需上级审批"},
        A.REPLY: {"outcome": Outcome.SOLVED, "note": "已办理"},
        A.RATE: rating,
        A.RATE_REDO: redo,
        A.RETURN_VISIT: rating,
        A.RETURN_VISIT_REDO: redo,
        A.ESCALATE: {
            "venue": "expert",
            "meeting": "遗留问题专家会",
            "meeting_on": "2025-03-20",
            "owner": home.liaison_staff.pk,
        },
        A.DECIDE_REASSIGN: {"department": home.department.pk, "workdays": 10, "note": "议定交办"},
        A.DECIDE_CLOSE: {"outcome": Outcome.EXPLAINED, "note": "议定解释"},
        A.CLOSE: {"outcome": Outcome.NOT_REMIT, "note": "非职责"},
        A.MERGE: {"into_pk": make_demand(world, DemandState.HANDLING).pk, "note": "重复"},
    }
    return steps.get(action, {"note": "说明"})


@pytest.mark.parametrize(("state", "action"), sorted(workflow.TABLE, key=str))
def test_every_step_can_be_taken_through_its_form(world: World, state: DemandState, action: A) -> None:
    transition = workflow.TABLE[(state, action)]
    role = sorted(transition.roles)[0]
    user = handler(world.home) if role == workflow.HANDLER else world.user(role)
    setup = {"extension_workdays": 2} if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION) else {}
    demand = make_demand(world, state, **setup)
    client = client_for(user)

    form = client.get(act_url(demand, action))
    assert form.status_code == 200
    html = form.content.decode()
    for need in transition.needs:
        name = "into_pk" if need == "into" else need
        assert f'name="{name}"' in html, need

    response = client.post(act_url(demand, action), {"expected_version": 1, **_form_data(world, action)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    demand.refresh_from_db()
    assert demand.state == transition.next_state
    assert demand.events.get().action == action
