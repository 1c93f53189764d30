"""Forms of the enterprise import: the upload (checked by content, before anything is stored)
and the choice made on the preview."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lianqi.core.excel import HeaderError, read_rows
from lianqi.core.forms import StyledForm

from ..columns import ENTERPRISE_COLUMNS
from ..importing import MODE_ALL, MODE_VALID, header_message


class ImportUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("请使用导入模板（.xlsx）；第一行为表头，每行一家企业。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.LIANQI_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("文件过大：不能超过 %(mb)s MB") % {"mb": f"{limit / 1024 / 1024:g}"}, code="too_large"
            )
        # The type is judged by the content, not the name: openpyxl must be able to open it.
        try:
            _total, rows = read_rows(upload, ENTERPRISE_COLUMNS)
            first = next(rows, None)
        except HeaderError as exc:
            raise forms.ValidationError(header_message(exc), code="header") from exc
        except Exception as exc:
            raise forms.ValidationError(
                _("无法打开该文件：请上传 Excel 工作簿（.xlsx），不支持 .xls、.csv 或损坏的文件"),
                code="unreadable",
            ) from exc
        if first is None:
            raise forms.ValidationError(_("文件中没有数据行"), code="empty")
        upload.seek(0)
        return upload


class ImportCommitForm(StyledForm):
    mode = forms.ChoiceField(
        label=_("导入方式"), choices=[(MODE_ALL, _("全部导入")), (MODE_VALID, _("只导入无误的行"))]
    )
