"""The monthly report built in the background: a manager starts it, watches its progress, leaves
and comes back to download the same report a direct download gives; only they may fetch it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core.pdf import pdf_text
from lianqi.core.roles import Role
from lianqi.testing.contracts import PageContract
from lianqi.testing.world import World

from ..actions import documents
from ..choices import ReportBuildStatus
from ..models import ReportBuild
from ..permissions import MANAGERS
from .test_monthly_report import _two_months, document_text


class TestReportBuildsContract(PageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("projects:report_builds")


def _client(world: World, role: str = Role.LEADER, other: bool = False) -> Client:
    client = Client()
    client.force_login(world.other_user(role) if other else world.user(role))
    return client


def _start(client: Client, capture: Any, **fields: Any) -> Any:
    data = {"year": 2025, "month": 6, "format": "docx", **fields}
    with capture(execute=True):  # the task is queued on commit; the test backend runs it at once
        return client.post(reverse("projects:report_builds"), data)


def test_a_build_comes_out_as_the_month_s_report_to_download(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _two_months(world)
    client = _client(world)
    assert _start(client, django_capture_on_commit_callbacks).status_code == 302
    build = ReportBuild.objects.get()
    assert build.status == ReportBuildStatus.DONE and build.percent == 100
    page = client.get(reverse("projects:report_builds")).content.decode()
    link = reverse("projects:report_build_file", args=[build.pk])
    assert link in page and 'http-equiv="refresh"' not in page
    response = client.get(link)
    assert unquote(response["Content-Disposition"]).endswith("项目月报-2025-06.docx")
    text = document_text(response)
    assert "6月\t300,000.00\t300,000.33\t100.00%" in text and "张副主任" in text


def test_a_pdf_build(world: World, django_capture_on_commit_callbacks: Any) -> None:
    _two_months(world)
    client = _client(world, Role.SERVICE_OFFICE)
    _start(client, django_capture_on_commit_callbacks, format="pdf")
    response = client.get(reverse("projects:report_build_file", args=[ReportBuild.objects.get().pk]))
    assert "300,000.33" in pdf_text(response.content)


def test_a_build_under_way_shows_its_progress_and_the_page_refreshes(world: World) -> None:
    client = _client(world)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "_enqueue", lambda build_id: None)  # no worker has taken it yet
        client.post(reverse("projects:report_builds"), {"year": 2025, "month": 6, "format": "docx"})
    build = ReportBuild.objects.get()
    ReportBuild.objects.filter(pk=build.pk).update(status=ReportBuildStatus.RUNNING, steps_done=1)
    page = client.get(reverse("projects:report_builds")).content.decode()
    assert 'http-equiv="refresh"' in page and "33%" in page
    # Not downloadable before it is done.
    assert client.get(reverse("projects:report_build_file", args=[build.pk])).status_code == 404


def test_only_the_manager_who_started_it_downloads_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _two_months(world)
    _start(_client(world), django_capture_on_commit_callbacks)
    link = reverse("projects:report_build_file", args=[ReportBuild.objects.get().pk])
    assert _client(world, other=True).get(link).status_code == 404
    assert _client(world, Role.SERVICE_OFFICE).get(link).status_code == 404
    assert (
        link
        not in _client(world, Role.SERVICE_OFFICE).get(reverse("projects:report_builds")).content.decode()
    )


def test_a_bad_month_is_named_and_nothing_is_queued(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = _start(_client(world), django_capture_on_commit_callbacks, month=13, year=2025)
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert not ReportBuild.objects.exists()


def test_a_failed_build_says_so_and_can_be_asked_for_again(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(content: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(documents, "monthly_report_docx", broken)
    client = _client(world)
    _start(client, django_capture_on_commit_callbacks)
    build = ReportBuild.objects.get()
    assert build.status == ReportBuildStatus.FAILED and "disk full" in build.error
    assert "生成失败" in client.get(reverse("projects:report_builds")).content.decode()
    monkeypatch.undo()
    documents.run_report_build(build_id=build.pk)  # the task delivered again
    build.refresh_from_db()
    assert build.status == ReportBuildStatus.DONE
    assert str(build.file.name).endswith(".docx")
