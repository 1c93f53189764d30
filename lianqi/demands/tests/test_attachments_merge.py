"""Attachments (type, content and size checked before anything is stored), merging duplicates
(both histories kept) and the duplicate suggestions shown before submitting."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from .. import actions, queries
from ..choices import Channel, DemandState, Outcome
from ..models import Demand, DemandAttachment
from .factories import AT, category, make_demand

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _submit(world: Any, **extra: Any) -> Demand:
    return actions.submit_demand(
        enterprise=world.home.enterprise,
        category=category(),
        channel=Channel.LIAISON,
        description="贷款审批进度慢",
        actor=world.user("liaison"),
        at=AT,
        **extra,
    )


def test_attachments_are_stored_with_the_demand(world: Any) -> None:
    demand = _submit(world, attachments=[SimpleUploadedFile("申请书.pdf", PDF, "application/pdf")])
    attachment = demand.attachments.get()
    assert attachment.name == "申请书.pdf" and attachment.size == len(PDF)
    assert attachment.file.read() == PDF
    # The stored name reveals nothing of the original one.
    assert "申请书" not in (attachment.file.name or "")


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream"), "文件类型不被接受"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00", "application/pdf"), "内容与文件类型不符"),
        (SimpleUploadedFile("empty.png", b"", "image/png"), "空文件"),
    ],
)
def test_a_refused_file_leaves_no_demand_behind(world: Any, upload: Any, words: str) -> None:
    with pytest.raises(ValidationError) as error:
        _submit(world, attachments=[upload])
    assert words in error.value.message_dict["attachments"][0]
    assert not Demand.objects.exists() and not DemandAttachment.objects.exists()


@override_settings(LIANQI_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_an_oversized_file_is_refused_naming_the_limit(world: Any) -> None:
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * (1024 * 1024), "image/png")
    with pytest.raises(ValidationError) as error:
        _submit(world, attachments=[big])
    assert "1 MB" in error.value.message_dict["attachments"][0]


def test_the_enterprise_adds_files_to_its_own_open_demand_only(world: Any) -> None:
    demand = make_demand(world, DemandState.HANDLING)
    stored = actions.add_attachments(
        demand=demand,
        uploads=[SimpleUploadedFile("现场.png", PNG, "image/png")],
        actor=None,
        enterprise=world.home.enterprise,
    )
    assert [a.by_enterprise for a in stored] == [True]
    assert demand.events.filter(action=actions.ATTACH, note="现场.png").exists()
    with pytest.raises(ValidationError):
        actions.add_attachments(
            demand=demand,
            uploads=[SimpleUploadedFile("x.png", PNG, "image/png")],
            actor=None,
            enterprise=world.other.enterprise,
        )


def test_merging_closes_the_duplicate_and_keeps_both_histories(world: Any) -> None:
    kept = make_demand(world, DemandState.HANDLING)
    duplicate = _submit(world)
    office = world.user("service_office")
    merged = actions.merge_demands(
        demand=duplicate, into=kept, actor=office, expected_version=duplicate.version, note="同一笔贷款"
    )
    assert merged.state == DemandState.CLOSED and merged.outcome == Outcome.DUPLICATE
    assert merged.merged_into == kept
    assert [e.action for e in merged.events.all()] == ["submit", "merge"]
    assert kept.events.filter(action=actions.MERGED_IN, note__startswith=f"#{merged.pk}").exists()


def test_a_demand_cannot_merge_into_another_enterprises(world: Any) -> None:
    duplicate = _submit(world)
    other = make_demand(world, DemandState.HANDLING, enterprise=world.home.enterprise)
    other.enterprise = world.other.enterprise
    other.jurisdiction = world.other.park
    other.save()
    with pytest.raises(ValidationError) as error:
        actions.merge_demands(
            demand=duplicate,
            into=other,
            actor=world.user("service_office"),
            expected_version=duplicate.version,
            note="重复",
        )
    assert "into" in error.value.message_dict
    duplicate.refresh_from_db()
    assert duplicate.state == DemandState.RECEIVED


def test_alike_open_demands_are_suggested_as_duplicates(world: Any) -> None:
    alike = _submit(world)
    make_demand(world, DemandState.CLOSED, description="贷款审批进度慢", outcome=Outcome.SOLVED)
    make_demand(world, DemandState.HANDLING, description="厂区门前道路破损积水")
    found = queries.likely_duplicates(
        enterprise_id=world.home.enterprise.pk,
        category_id=category().pk,
        description="银行贷款审批进度太慢",
    )
    assert [d.pk for d, _score in found] == [alike.pk]
