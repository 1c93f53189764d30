"""The engine's messages. The engine imports no Django, so it cannot translate; each message
is a `Message`: a Chinese template (the gettext msgid, marked with the no-op `_` below so that
``makemessages`` finds it) and its parameters. `str(message)` is the Chinese text; the Django
side shows it in the user's language with ``gettext(message.template) % message.params``
(`lianqi.visits.texts.render`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _(text: str) -> str:
    """Marks a msgid for the catalogue; translation happens where the message is shown."""
    return text


@dataclass(frozen=True)
class Message:
    """One message of the engine: what is wrong (`template` with `params`) and, when it is
    about one question, that question's key (`question`) and the setting at fault (`field`:
    "key", "text", "type", "options", "range", "matrix", "show_if" or "raises"), so an editor
    can show it next to what has to change."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    question: str = ""
    field: str = ""

    def __str__(self) -> str:
        return self.template % self.params if self.params else self.template


# --- Publishing: why a questionnaire cannot be answered --------------------------------------

NOT_A_MAPPING = _("问卷定义格式不正确")
NO_SECTIONS = _("问卷至少需要一个分节")
SECTION_EMPTY = _("第 %(section)s 节“%(title)s”没有题目")
NO_KEY = _("第 %(number)s 题没有编号")
DUPLICATE_KEY = _("题目编号 %(key)s 重复")
BAD_KEY = _("第 %(number)s 题的编号“%(key)s”只能由字母、数字和下划线组成")
NO_TEXT = _("第 %(number)s 题（%(key)s）没有题干")
UNKNOWN_TYPE = _("第 %(number)s 题（%(key)s）的题型“%(type)s”不存在")
NO_OPTIONS = _("第 %(number)s 题“%(text)s”是选择题，但没有选项")
DUPLICATE_OPTION = _("第 %(number)s 题“%(text)s”的选项“%(option)s”重复")
BAD_BOUND = _("第 %(number)s 题“%(text)s”的%(bound)s不是数字")
MIN_ABOVE_MAX = _("第 %(number)s 题“%(text)s”的最小值 %(min)s 大于最大值 %(max)s")
MATRIX_EMPTY = _("第 %(number)s 题“%(text)s”是评分矩阵，需要至少一行和一列")
CONDITION_MISSING = _("第 %(number)s 题“%(text)s”的显示条件引用了不存在的题目 %(target)s")
CONDITION_LATER = _("第 %(number)s 题“%(text)s”的显示条件引用了它之后的题目 %(target)s")
CONDITION_BAD_VALUE = _("第 %(number)s 题“%(text)s”的显示条件取值“%(value)s”不是题目 %(target)s 的选项")
CONDITION_BAD_TARGET = _("第 %(number)s 题“%(text)s”的显示条件只能引用选择题或是非题")
RAISES_BAD_TYPE = _("第 %(number)s 题“%(text)s”不能设置诉求映射（只有选择题和是非题可以）")
RAISES_BAD_ANSWER = _("第 %(number)s 题“%(text)s”的诉求映射取值“%(value)s”不是该题的选项")
RAISES_NO_CATEGORY = _("第 %(number)s 题“%(text)s”的诉求映射没有填写诉求类别")
UNKNOWN_CATEGORY = _("第 %(number)s 题“%(text)s”映射的诉求类别“%(category)s”不存在或已停用")

# The bound names in BAD_BOUND.
MIN = _("最小值")
MAX = _("最大值")

# --- Answering: why an answer is refused -----------------------------------------------------

REQUIRED = _("此题必答")
NOT_AN_OPTION = _("“%(value)s”不是此题的选项")
NOT_A_LIST = _("请选择一个或多个选项")
NOT_A_NUMBER = _("请填写数字")
BELOW_MIN = _("不能小于 %(min)s")
ABOVE_MAX = _("不能大于 %(max)s")
NOT_YES_NO = _("请选择“是”或“否”")
NOT_A_DATE = _("请按 年-月-日 填写日期，例如 2025-03-01")
NOT_TEXT = _("请填写文字")
TEXT_TOO_LONG = _("最多 %(max)s 个字")
NOT_FILES = _("文件格式不正确")
MATRIX_ROW_MISSING = _("请为“%(row)s”评分")
MATRIX_BAD_VALUE = _("“%(row)s”的评分“%(value)s”不是可选的等级")
