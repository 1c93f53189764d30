"""Recording a visit with its photos and files through the API: the visit's fields sent as
``multipart/form-data``, each photo or file in a part named after the question it answers
(``answer_<key>``, repeated for several), as the phone form names them. What the parts hold is
checked by the same action as a JSON body (`actions.record_visit`): each file's type, content
and size (`core.uploads.check_upload`), how many per question, and that the question is a photo
or file question of the campaign's questionnaire — each refusal a 400 naming its part."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from rest_framework.request import Request

from lianqi.core.uploads import allowed_suffixes, max_bytes

from ..actions.recording import MAX_FILES_PER_QUESTION

#: A file part answers the question named after ``answer_`` (the form's and the errors' name).
FILE_PART = re.compile(r"^answer_([A-Za-z0-9_-]{1,40})$")
#: Fields that carry a mapping, written as JSON text in a form.
JSON_FIELDS = ("answers", "details", "solved")
#: Optional fields a form sends empty when they have no value.
OPTIONAL_FIELDS = ("campaign", "checked_in_at", "latitude", "longitude")


def is_multipart(request: Request) -> bool:
    return (request.content_type or "").startswith("multipart/form-data")


def read_multipart(request: Request) -> tuple[dict[str, Any], dict[str, list[UploadedFile]]]:
    """The visit's fields (as a JSON body would give them) and its files by question key. A
    JSON field that is not JSON, or a file part named otherwise than ``answer_<key>``, is an
    error on that part."""
    files_sent = request.FILES
    sent: Any = request.data  # a QueryDict of the form's fields and files
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in sent:
        if name in files_sent:
            continue
        value = sent.get(name)
        if name in JSON_FIELDS:
            try:
                value = json.loads(value) if value else {}
            except ValueError:
                errors[name] = _("须为 JSON 文本")
                continue
        elif name in OPTIONAL_FIELDS and value == "":
            continue
        data[name] = value
    files: dict[str, list[UploadedFile]] = {}
    for name in files_sent:
        found = FILE_PART.match(name)
        if found is None:
            errors[name] = _("照片或文件须放在名为 answer_<题目编号> 的字段中")
            continue
        files[found.group(1)] = list(files_sent.getlist(name))
    if errors:
        raise ValidationError(errors)
    return data, files


def _plain(description: str, **schema: Any) -> dict[str, Any]:
    return {"description": description, **schema}


def multipart_schema() -> dict[str, Any]:
    """The OpenAPI schema of the multipart body: the visit's fields, and the file parts as
    additional properties (their names depend on the questionnaire)."""
    return {
        "type": "object",
        "required": ["idempotency_key", "enterprise"],
        "properties": {
            "idempotency_key": _plain(
                "客户端生成的唯一提交标识，重试时保持不变（含照片的重试不会重复保存照片）",
                type="string",
                maxLength=64,
            ),
            "enterprise": _plain("企业 id；只能是您可走访的企业", type="integer"),
            "campaign": _plain("走访活动 id；日常走访不填", type="integer"),
            "answers": _plain("题目编号 → 答案，JSON 文本", type="string"),
            "checked_in_at": _plain("签到时间", type="string", format="date-time"),
            "latitude": _plain("纬度", type="string", pattern=r"^-?\d{1,3}(\.\d{1,6})?$"),
            "longitude": _plain("经度", type="string", pattern=r"^-?\d{1,3}(\.\d{1,6})?$"),
            "location": _plain("签到地点", type="string", maxLength=200),
            "people_met": _plain("接待人员", type="string", maxLength=200),
            "summary": _plain("走访情况", type="string"),
            "details": _plain("“题目编号:答案” → 诉求说明，JSON 文本", type="string"),
            "solved": _plain("“题目编号:答案” → 当即解决的办法，JSON 文本", type="string"),
        },
        "additionalProperties": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "maxItems": MAX_FILES_PER_QUESTION,
            "description": (
                "照片或文件：字段名为 answer_<题目编号>（照片或文件题），同一题可重复上传，"
                f"每题最多 {MAX_FILES_PER_QUESTION} 个；每个文件不超过 {max_bytes() // (1024 * 1024)} MB，"
                f"类型限于 {allowed_suffixes()}，内容须与扩展名相符"
            ),
        },
    }
