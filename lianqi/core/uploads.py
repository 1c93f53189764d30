"""What an uploaded document may be (a demand's attachment, a policy application's materials):
a document or picture of a known type, within the size limit. Checked before anything is
stored, so a refused file leaves no trace."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

#: Accepted suffixes and the bytes such a file starts with (None: plain text, not sniffed).
#: Checking the start of the file stops an executable renamed to .pdf.
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".txt": None,
}


def max_bytes() -> int:
    return int(getattr(settings, "LIANQI_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_suffixes() -> str:
    return "、".join(s.lstrip(".") for s in SIGNATURES)


def check_upload(upload: UploadedFile, field: str = "attachments") -> None:
    """Refuse a file of a type not in `SIGNATURES`, one whose content does not match its
    suffix, an empty one, or one over the limit, naming the file and the rule (an error on
    `field`, the form field the files came in)."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(
            {
                field: _("“%(name)s”的文件类型不被接受，可上传：%(types)s")
                % {"name": name, "types": allowed_suffixes()}
            }
        )
    size = upload.size or 0
    if size > max_bytes():
        raise ValidationError(
            {
                field: _("“%(name)s”超过 %(limit)s MB 的大小限制")
                % {"name": name, "limit": max_bytes() // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({field: _("“%(name)s”是空文件") % {"name": name}})
    signatures = SIGNATURES[suffix]
    if signatures is not None:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError({field: _("“%(name)s”的内容与文件类型不符") % {"name": name}})


def stored_name(folder: str, filename: str, at: Any) -> str:
    """Where an uploaded file is kept: `folder/YYYY/MM/<random>.<suffix>`. The name is random:
    the original is kept on the row, and may neither reveal where the file lives nor let one
    upload overwrite another."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"{folder}/{at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def store_upload(document: Any, upload: UploadedFile) -> None:
    """Save `upload` into `document` (a `models.UploadedDocument` with its `file`, its other
    fields already set), keeping the original name on the row and a random one on
    disk (`stored_name`)."""
    document.name = (upload.name or "")[-200:]
    document.size = upload.size or 0
    document.content_type = (getattr(upload, "content_type", "") or "application/octet-stream")[:100]
    document.file.save(upload.name or "file", upload, save=False)
    document.save()
