"""Photos of the site on a month's progress report: sent with the report from the phone form,
shown as thumbnails on the project's page, a bad file refused next to the photos field with
nothing stored, and another park's photo answers 404."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.testing.world import World

from ..models import ProgressReport, Project, ReportPhoto
from .factories import make_project

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, row: Project, photos: list[SimpleUploadedFile]) -> Any:
    return client.post(
        reverse("projects:report", args=[row.pk]),
        {
            "report-expected_version": row.version,
            "report-period": timezone.localdate().strftime("%Y-%m"),
            "report-invested": "100.10",
            "report-progress": "主体结构施工",
            "report-photos": photos,
        },
    )


def test_photos_are_sent_with_the_report_and_shown_as_thumbnails(world: World) -> None:
    row = make_project(world)
    client = client_for(world.user(Role.ENTERPRISE))
    response = send(
        client,
        row,
        [
            SimpleUploadedFile("东立面.png", PNG, "image/png"),
            SimpleUploadedFile("塔吊.jpg", JPEG, "image/jpeg"),
        ],
    )
    assert response.status_code == 302
    photos = list(ReportPhoto.objects.filter(report__project=row))
    assert [p.name for p in photos] == ["东立面.png", "塔吊.jpg"]
    page = client_for(world.user(Role.LEADER)).get(row.get_absolute_url()).content.decode()
    for photo in photos:
        assert f'src="{reverse("projects:photo", args=[photo.pk])}"' in page
    shown = client.get(reverse("projects:photo", args=[photos[0].pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown.getvalue().startswith(b"\x89PNG")
    other = client_for(world.other_user(Role.LEADER)).get(reverse("projects:photo", args=[photos[0].pk]))
    assert other.status_code == 404


def test_a_bad_photo_is_refused_next_to_the_field_and_nothing_is_stored(world: World) -> None:
    row = make_project(world)
    client = client_for(world.user(Role.ENTERPRISE))
    for photos, said in [
        ([SimpleUploadedFile("报告.pdf", b"%PDF-1.4", "application/pdf")], "不是照片"),
        ([SimpleUploadedFile("假照片.png", b"MZ\x90\x00 not a png", "image/png")], "内容与文件类型不符"),
        ([SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(7)], "最多 6 张"),
    ]:
        response = send(client, row, photos)
        page = response.content.decode()
        assert response.status_code == 200 and 'data-error-for="photos"' in page and said in page
    assert not ProgressReport.objects.filter(project=row).exists()
    assert not ReportPhoto.objects.exists()
