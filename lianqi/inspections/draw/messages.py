"""The draw engine's messages. The engine imports no Django, so it cannot translate: every
refusal and every finding of the verifier is structured (a code and its numbers), and this
table turns it into words. The Chinese template is the gettext msgid (marked with the no-op
`_` so that ``makemessages`` finds it); the Django side shows it with
``gettext(message.template) % message.params``. The verifier command, which runs without
Django, uses the English column of the same table when asked for English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _(text: str) -> str:
    """Marks a msgid for the catalogue; translation happens where the message is shown."""
    return text


@dataclass(frozen=True)
class Message:
    """One message: a Chinese template (the msgid) and its parameters."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template % self.params if self.params else self.template

    def english(self) -> str:
        """The English text, for the verifier command (the Django side uses gettext instead)."""
        template = ENGLISH.get(self.template, self.template)
        return template % self.params if self.params else template

    def render(self, language: str) -> str:
        return self.english() if language == "en" else str(self)


# --- Pools and parameters that cannot be drawn from ------------------------------------------

BAD_ENTERPRISE = _("企业标识“%(value)s”无效：应为 1 至 100 个字符，不含控制字符，首尾没有空白")
BAD_INSPECTOR = _("检查人员标识“%(value)s”无效：应为 1 至 100 个字符，不含控制字符，首尾没有空白")
INSPECTOR_TWO_DEPARTMENTS = _("检查人员 %(inspector)s 同时属于两个部门：%(first)s 和 %(second)s")
BAD_REASON = _("回避原因“%(reason)s”无效，只能是 liaison（包联）或 conflict（利害关系）")
BAD_ENTERPRISE_COUNT = _("抽取企业数必须是正整数，收到“%(value)s”")
BAD_TEAM_COUNT = _("部门 %(department)s 每户的检查人员数必须是正整数，收到“%(value)s”")
EMPTY_TEAM = _("每户企业至少需要一名检查人员")
BAD_DEPARTMENT = _("部门“%(department)s”不是有效的部门代码")

# --- Refusals: the draw asks for more than the pools hold ------------------------------------

TOO_MANY_ENTERPRISES = _("要抽取 %(required)s 户企业，企业名录库只有 %(available)s 户，少 %(short)s 户")
TOO_FEW_IN_DEPARTMENT = _(
    "每户企业需要部门 %(department)s 的检查人员 %(required)s 名，该部门在执法检查人员库中只有 %(available)s 名，少 %(short)s 名"
)
TOO_FEW_INSPECTORS = _(
    "每户企业需要检查人员 %(required)s 名，执法检查人员库只有 %(available)s 名，少 %(short)s 名"
)
RECUSALS_DEPARTMENT = _(
    "企业 %(enterprise)s：回避后部门 %(department)s 只剩 %(available)s 名检查人员，需要 %(required)s 名，少 %(short)s 名"
)
RECUSALS_TOTAL = _(
    "企业 %(enterprise)s：回避后只剩 %(available)s 名检查人员，需要 %(required)s 名，少 %(short)s 名"
)

# --- The verifier's findings ------------------------------------------------------------------

UNREADABLE = _("无法读取抽查结果文件：%(error)s")
NOT_A_DRAW = _("这不是联企的抽查公示文件（缺少或不认识 format 字段）")
MISSING_FIELD = _("缺少字段 %(field)s")
BAD_FIELD = _("字段 %(field)s 格式不正确：%(detail)s")
FINGERPRINT_DIFFERS = _("名录库指纹不符：公示为 %(published)s，按公示的名录库重新计算为 %(recomputed)s")
COMMITMENT_DIFFERS = _("种子承诺不符：公示的承诺为 %(published)s，公布的种子对应的承诺为 %(recomputed)s")
NOT_REVEALED = _("种子尚未公布：名录库指纹已核对，抽取结果待种子公布后才能核验")
REFUSED = _("按公示的名录库和参数，这次抽取本应被拒绝，原因如下：")
COUNT_DIFFERS = _("抽中企业数不符：公示 %(published)s 户，重新计算 %(recomputed)s 户")
ENTERPRISE_DIFFERS = _("第 %(position)s 户企业不符：公示为 %(published)s，重新计算为 %(recomputed)s")
TEAM_DIFFERS = _("企业 %(enterprise)s 的检查人员不符：公示为 %(published)s，重新计算为 %(recomputed)s")
RECUSAL_BROKEN_LIAISON = _(
    "公示结果违反回避规定：检查人员 %(inspector)s 是企业 %(enterprise)s 的包联干部，不得检查该企业"
)
RECUSAL_BROKEN_CONFLICT = _(
    "公示结果违反回避规定：检查人员 %(inspector)s 与企业 %(enterprise)s 有利害关系，不得检查该企业"
)
MORE_DIFFERENCES = _("另有 %(count)s 处不符，未逐一列出")
VERIFIED = _(
    "核验通过：名录库指纹和种子承诺与公示一致，%(count)s 户企业及其检查人员与按公示的名录库、参数和种子重新计算的结果完全一致"
)

ENGLISH: dict[str, str] = {
    BAD_ENTERPRISE: "Enterprise identifier “%(value)s” is not valid: it must be 1 to 100 characters with "
    "no control characters and no surrounding spaces",
    BAD_INSPECTOR: "Inspector identifier “%(value)s” is not valid: it must be 1 to 100 characters with "
    "no control characters and no surrounding spaces",
    INSPECTOR_TWO_DEPARTMENTS: "Inspector %(inspector)s belongs to two departments: %(first)s and %(second)s",
    BAD_REASON: "Recusal reason “%(reason)s” is not valid: it must be liaison or conflict",
    BAD_ENTERPRISE_COUNT: "The number of enterprises to draw must be a positive whole number, got “%(value)s”",
    BAD_TEAM_COUNT: "The number of inspectors of department %(department)s per enterprise must be a positive "
    "whole number, got “%(value)s”",
    EMPTY_TEAM: "Each enterprise needs at least one inspector",
    BAD_DEPARTMENT: "“%(department)s” is not a valid department code",
    TOO_MANY_ENTERPRISES: "The draw asks for %(required)s enterprises but the pool holds %(available)s: "
    "%(short)s short",
    TOO_FEW_IN_DEPARTMENT: "Each enterprise needs %(required)s inspectors of department %(department)s but the "
    "pool holds %(available)s of that department: %(short)s short",
    TOO_FEW_INSPECTORS: "Each enterprise needs %(required)s inspectors but the pool holds %(available)s: "
    "%(short)s short",
    RECUSALS_DEPARTMENT: "Enterprise %(enterprise)s: after recusals %(available)s inspectors of department "
    "%(department)s remain, %(required)s are needed: %(short)s short",
    RECUSALS_TOTAL: "Enterprise %(enterprise)s: after recusals %(available)s inspectors remain, %(required)s "
    "are needed: %(short)s short",
    UNREADABLE: "The draw file cannot be read: %(error)s",
    NOT_A_DRAW: "This is not a Lianqi published draw (the format field is missing or unknown)",
    MISSING_FIELD: "Field %(field)s is missing",
    BAD_FIELD: "Field %(field)s is malformed: %(detail)s",
    FINGERPRINT_DIFFERS: "The pools' fingerprint differs: published %(published)s, recomputed from the "
    "published pools %(recomputed)s",
    COMMITMENT_DIFFERS: "The seed commitment differs: published %(published)s, the revealed seed gives "
    "%(recomputed)s",
    NOT_REVEALED: "The seed is not revealed yet: the pools' fingerprint checks out; the draw can be "
    "verified once the seed is published",
    REFUSED: "With the published pools and parameters this draw should have been refused, because:",
    COUNT_DIFFERS: "The number of enterprises differs: published %(published)s, recomputed %(recomputed)s",
    ENTERPRISE_DIFFERS: "Enterprise no. %(position)s differs: published %(published)s, recomputed "
    "%(recomputed)s",
    TEAM_DIFFERS: "The inspectors of enterprise %(enterprise)s differ: published %(published)s, recomputed "
    "%(recomputed)s",
    RECUSAL_BROKEN_LIAISON: "The published result breaks a recusal: inspector %(inspector)s is the liaison "
    "of enterprise %(enterprise)s and may not inspect it",
    RECUSAL_BROKEN_CONFLICT: "The published result breaks a recusal: inspector %(inspector)s has a conflict "
    "of interest with enterprise %(enterprise)s and may not inspect it",
    MORE_DIFFERENCES: "%(count)s more differences not listed",
    VERIFIED: "Verified: the pools' fingerprint and the seed's commitment match what was announced, and the "
    "%(count)s enterprises and their inspectors are exactly those recomputed from the published pools, "
    "parameters and seed",
}
