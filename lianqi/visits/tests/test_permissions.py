"""Who sees which campaigns and visits: the office and leaders their jurisdiction's, a liaison
the published campaigns they take part in and their own enterprises' visits, a department the
campaigns it takes part in; another jurisdiction gets 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from lianqi.core.roles import Role
from lianqi.org.models import Department, Staff
from lianqi.testing.world import World, make_enterprise

from .. import actions
from ..choices import CampaignState
from ..permissions import access_campaign, access_visit, visible_campaigns, visible_visits
from .factories import AT, QUIET, handler, key, make_campaign


def test_the_office_and_leaders_see_their_jurisdiction_only(world: World) -> None:
    home, other = make_campaign(world, CampaignState.DRAFT), make_campaign(world, side=world.other)
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN):
        assert list(visible_campaigns(world.user(role))) == [home]
        assert access_campaign(world.user(role), home.pk) == home
        with pytest.raises(Http404):
            access_campaign(world.user(role), other.pk)


def test_a_liaison_sees_the_published_campaigns_they_take_part_in(world: World) -> None:
    liaison = world.user(Role.LIAISON)
    everyone = make_campaign(world, title="全员参与")
    mine = make_campaign(world, title="指定我")
    mine.liaisons.set([world.home.liaison_staff])
    colleague = Staff.objects.create(jurisdiction=world.home.park, name="另一位干部")
    theirs = make_campaign(world, title="指定他人")
    theirs.liaisons.set([colleague])
    make_campaign(world, CampaignState.DRAFT, title="草稿")
    assert {c.title for c in visible_campaigns(liaison)} == {"全员参与", "指定我"}
    with pytest.raises(Http404):
        access_campaign(liaison, theirs.pk)
    assert access_campaign(liaison, everyone.pk) == everyone


def test_a_department_sees_only_the_campaigns_it_takes_part_in(world: World) -> None:
    user = handler(world.home)
    ours = make_campaign(world, title="本部门参与")
    ours.departments.set([world.home.department])
    elsewhere = Department.objects.create(jurisdiction=world.home.park, name="应急管理局")
    theirs = make_campaign(world, title="他部门参与")
    theirs.departments.set([elsewhere])
    draft = make_campaign(world, CampaignState.DRAFT, title="草稿")
    draft.departments.set([world.home.department])
    assert [c.title for c in visible_campaigns(user)] == ["本部门参与"]
    visit = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        campaign=theirs,
        answers=QUIET,
        at=AT,
    )
    assert visit not in visible_visits(user)
    with pytest.raises(Http404):
        access_visit(user, visit.pk)


def test_a_liaison_sees_only_their_enterprises_visits(world: World) -> None:
    campaign = make_campaign(world)
    office = world.user(Role.SERVICE_OFFICE)
    stranger = make_enterprise(world.home.park, "湘潭别家机械有限公司")
    theirs = actions.record_visit(
        enterprise=stranger, actor=office, idempotency_key=key(), campaign=campaign, answers=QUIET, at=AT
    )
    ours = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=office,
        idempotency_key=key(),
        campaign=campaign,
        answers=QUIET,
        at=AT,
    )
    liaison = world.user(Role.LIAISON)
    assert list(visible_visits(liaison)) == [ours]
    with pytest.raises(Http404):
        access_visit(liaison, theirs.pk)
    assert set(visible_visits(office)) == {ours, theirs}
    for role in (Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON):
        with pytest.raises(Http404):
            access_visit(world.other_user(role), ours.pk)
    assert list(visible_visits(world.user(Role.ENTERPRISE))) == [ours]
    assert list(visible_visits(world.user(Role.FINANCE))) == []
