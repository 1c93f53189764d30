"""Photos and files through the API: a visit recorded as multipart with its photos (each in a
part named after its question), idempotent on the visit's key like a JSON submission, refused
part by part when a file is of the wrong type, too large, too many or for a question that takes
none; the files listed on the visit and downloaded through it (another park: 404); and the
multipart body in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiObjectContract
from lianqi.testing.world import World

from .. import actions
from ..models import Campaign, Visit, VisitFile
from ..permissions import MANAGERS
from .factories import AT, QUIET, make_campaign

JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 20
URL = "/api/v1/visits/"


def photo(name: str = "现场.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def campaign(world: World) -> Campaign:
    return Campaign.objects.filter(jurisdiction=world.home.park).first() or make_campaign(world)


def form(world: World, key: str = "upload-1", **parts: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "idempotency_key": key,
        "enterprise": str(world.home.enterprise.pk),
        "campaign": str(campaign(world).pk),
        "answers": '{"state": "良好", "finance": "否"}',
        "people_met": "王总经理",
        "latitude": "",
    }
    body.update(parts)
    return body


def post(world: World, body: dict[str, Any], role: str = Role.LIAISON) -> Any:
    # The test client sends a dict as multipart/form-data, files as file parts.
    return client_for(world.user(role)).post(URL, body)


def test_a_visit_is_recorded_with_its_photos_and_a_retry_stores_them_once(world: World) -> None:
    response = post(world, form(world, answer_photo=[photo("门口.jpg"), photo("车间.jpg")]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert [f["name"] for f in body["files"]] == ["门口.jpg", "车间.jpg"]
    assert {f["question"] for f in body["files"]} == {"photo"}
    visit = Visit.objects.get()
    assert len(visit.answers["photo"]) == 2 and visit.answers["state"] == "良好"
    # The phone lost the answer and sends the same form again: the first visit, no new files.
    again = post(world, form(world, answer_photo=[photo("门口.jpg"), photo("车间.jpg")]))
    assert again.status_code == 200 and again.json()["id"] == visit.pk
    assert VisitFile.objects.count() == 2 and Visit.objects.count() == 1
    # The file comes back through the visit, as it was uploaded.
    download = client_for(world.user(Role.SERVICE_OFFICE)).get(body["files"][0]["download"])
    assert download.status_code == 200 and download.getvalue() == JPEG
    assert "attachment" in download["Content-Disposition"]


def refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    return dict(response.json()["error"]["fields"])


def test_a_file_of_the_wrong_type_or_content_is_refused_on_its_question(world: World) -> None:
    fields = refused(post(world, form(world, answer_photo=[photo("病毒.exe", b"MZ\x90\x00")])))
    assert "文件类型不被接受" in fields["answer_photo"][0]
    fields = refused(post(world, form(world, answer_photo=[photo("假照片.jpg", b"%PDF-1.4 not a jpeg")])))
    assert "内容与文件类型不符" in fields["answer_photo"][0]
    assert not Visit.objects.exists() and not VisitFile.objects.exists()


@override_settings(LIANQI_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_limit_or_too_many_files_are_refused(world: World) -> None:
    big = photo("大图.jpg", JPEG + b"0" * (1024 * 1024))
    assert "超过 1 MB" in refused(post(world, form(world, answer_photo=[big])))["answer_photo"][0]
    many = [photo(f"{i}.jpg") for i in range(10)]
    assert "最多上传 9 个" in refused(post(world, form(world, answer_photo=many)))["answer_photo"][0]
    assert not Visit.objects.exists()


def test_files_go_only_to_photo_or_file_questions_in_parts_named_after_them(world: World) -> None:
    fields = refused(post(world, form(world, answer_state=[photo()])))
    assert "不是照片或文件题" in fields["answer_state"][0]
    fields = refused(post(world, form(world, photo=[photo()])))
    assert "answer_<题目编号>" in fields["photo"][0]
    # A routine visit has no questionnaire, so no question a photo could answer.
    routine = form(world, answer_photo=[photo()], answers="{}")
    del routine["campaign"]
    assert "answer_photo" in refused(post(world, routine))
    assert not Visit.objects.exists()


def test_json_fields_of_a_form_must_be_json(world: World) -> None:
    fields = refused(post(world, form(world, answers="state=良好")))
    assert fields["answers"] == ["须为 JSON 文本"]


def test_another_park_cannot_record_for_the_home_enterprise(world: World) -> None:
    response = client_for(world.other_user(Role.LIAISON)).post(URL, form(world, answer_photo=[photo()]))
    assert {"enterprise", "campaign"} <= set(refused(response))
    assert not VisitFile.objects.exists()


def home_file(world: World) -> VisitFile:
    existing = VisitFile.objects.filter(visit__enterprise=world.home.enterprise).first()
    if existing is not None:
        return existing
    visit = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key="home-file",
        campaign=campaign(world),
        answers=QUIET,
        files={"photo": [photo()]},
        at=AT,
    )
    return visit.files.get()


class TestVisitFileDownloadContract(ApiObjectContract):
    allowed_roles = (*MANAGERS, Role.LIAISON)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        document = home_file(world)
        return f"{URL}{document.visit_id}/files/{document.pk}/"


def test_a_file_is_found_only_through_its_own_visit(world: World) -> None:
    document = home_file(world)
    other = actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key="other-visit",
        answers={},
        at=AT,
    )
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert office.get(f"{URL}{other.pk}/files/{document.pk}/").status_code == 404
    # A client that asks for the file's own type still gets the file, and errors stay JSON.
    ok = office.get(f"{URL}{document.visit_id}/files/{document.pk}/", HTTP_ACCEPT="image/jpeg")
    assert ok.status_code == 200
    missing = office.get(f"{URL}{document.visit_id}/files/999999/", HTTP_ACCEPT="image/jpeg")
    assert missing.status_code == 404 and missing.json()["error"]


def test_the_schema_describes_the_multipart_body_and_the_download(world: World) -> None:
    schema = client_for(world.user(Role.ADMIN)).get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/visits/"]["post"]["requestBody"]["content"]
    multipart = body["multipart/form-data"]["schema"]
    assert "application/json" in body
    assert multipart["additionalProperties"]["items"]["format"] == "binary"
    assert "answer_<题目编号>" in multipart["additionalProperties"]["description"]
    assert {"idempotency_key", "enterprise", "answers"} <= set(multipart["properties"])
    download = schema["paths"]["/api/v1/visits/{id}/files/{fid}/"]["get"]["responses"]
    assert "application/octet-stream" in download["200"]["content"]
    assert "404" in download
