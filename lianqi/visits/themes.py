"""The questionnaire templates shipped with the app: one per theme of seed 001's year of visits
(助企纾困, 安全生产, 贴息贷款, 疫情防控, 营商环境). Each is a questionnaire definition in the
engine's format (`questionnaire.definition`) with questions of several types, conditions
("有融资需求 = 是 → 金额") and answers mapped to categories of the demands' catalogue. The
office starts a campaign from one (`actions.start_from_template`), which copies the definition
into a questionnaire of its own jurisdiction: the template itself is never changed.

The texts are data, like the questions an office types into the builder: they are stored in
the questionnaire's version and shown as written, not translated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ThemeTemplate:
    """A theme and the questionnaire a campaign on it starts with."""

    key: str
    theme: str
    title: str
    description: str
    definition: dict[str, Any]


def _yes_no(
    key: str, text: str, *, required: bool = True, raises: str = "", help: str = ""
) -> dict[str, Any]:
    question: dict[str, Any] = {"key": key, "type": "yes_no", "text": text, "required": required}
    if raises:
        question["raises"] = [{"answer": "是", "category": raises}]
    if help:
        question["help"] = help
    return question


def _when_yes(question: str, data: dict[str, Any]) -> dict[str, Any]:
    """`data`, shown only when `question` was answered 是."""
    return {**data, "show_if": {"question": question, "equals": "是"}}


#: Opening questions every template asks first: how the enterprise is doing.
def _operations(prefix: str) -> dict[str, Any]:
    return {
        "title": "企业经营情况",
        "questions": [
            {
                "key": f"{prefix}_state",
                "type": "single",
                "text": "企业当前生产经营状况",
                "required": True,
                "options": ["良好", "基本正常", "困难", "停产半停产"],
            },
            {
                "key": f"{prefix}_staff",
                "type": "number",
                "text": "当前在岗职工人数",
                "unit": "人",
                "min": 0,
                "max": 100000,
            },
        ],
    }


_PHOTO = {
    "key": "photo",
    "type": "file",
    "text": "现场照片",
    "help": "可上传走访现场或问题部位照片，最多 9 张",
}
_OTHER = {
    "key": "other",
    "type": "text",
    "text": "其他意见和建议",
    "max_length": 500,
    "help": "企业对园区工作的其他意见，没有可不填",
}


TEMPLATES: tuple[ThemeTemplate, ...] = (
    ThemeTemplate(
        key="relief",
        theme="助企纾困",
        title="助企纾困走访问卷",
        description="了解企业经营困难，落实纾困政策，收集融资、用工、用地等诉求。",
        definition={
            "sections": [
                _operations("relief"),
                {
                    "title": "困难与诉求",
                    "questions": [
                        {
                            "key": "difficulties",
                            "type": "multiple",
                            "text": "企业当前面临的主要困难",
                            "options": [
                                "资金紧张",
                                "招工难",
                                "用地不足",
                                "订单减少",
                                "原材料涨价",
                                "水电气保障",
                            ],
                            "raises": [
                                {"answer": "招工难", "category": "用工招聘"},
                                {"answer": "用地不足", "category": "用地需求"},
                                {"answer": "水电气保障", "category": "水电气"},
                            ],
                        },
                        _yes_no("finance", "是否有融资需求", raises="融资困难"),
                        _when_yes(
                            "finance",
                            {
                                "key": "finance_amount",
                                "type": "number",
                                "text": "融资需求金额",
                                "unit": "万元",
                                "min": 1,
                                "max": 100000,
                                "required": True,
                            },
                        ),
                        _when_yes(
                            "finance",
                            {
                                "key": "finance_use",
                                "type": "single",
                                "text": "资金主要用途",
                                "options": ["流动资金", "设备购置", "厂房建设", "技术改造"],
                            },
                        ),
                        _yes_no("policy_known", "是否了解今年出台的助企纾困政策", raises=""),
                        _when_yes(
                            "policy_known",
                            {
                                "key": "policy_enjoyed",
                                "type": "multiple",
                                "text": "已享受的政策",
                                "options": ["减税降费", "社保缓缴", "稳岗返还", "租金减免", "贴息贷款"],
                            },
                        ),
                    ],
                },
                {"title": "现场记录", "questions": [_PHOTO, _OTHER]},
            ]
        },
    ),
    ThemeTemplate(
        key="safety",
        theme="安全生产",
        title="安全生产走访问卷",
        description="检查企业安全生产主体责任落实情况，排查隐患，记录整改需求。",
        definition={
            "sections": [
                _operations("safety"),
                {
                    "title": "安全管理",
                    "questions": [
                        _yes_no("safety_officer", "是否配备专职安全管理人员"),
                        {
                            "key": "drill_date",
                            "type": "date",
                            "text": "最近一次应急演练日期",
                            "help": "没有组织过演练可不填",
                        },
                        {
                            "key": "checks",
                            "type": "matrix",
                            "text": "现场检查情况",
                            "rows": ["消防通道", "电气线路", "危化品存放", "特种设备"],
                            "columns": ["符合", "基本符合", "不符合"],
                        },
                        _yes_no("hazard", "是否发现安全隐患", raises="安全环保"),
                        _when_yes(
                            "hazard",
                            {
                                "key": "hazard_kind",
                                "type": "multiple",
                                "text": "隐患类型",
                                "required": True,
                                "options": ["消防", "用电", "危化品", "有限空间", "粉尘", "其他"],
                            },
                        ),
                        _when_yes(
                            "hazard",
                            {
                                "key": "hazard_note",
                                "type": "text",
                                "text": "隐患描述及整改要求",
                                "max_length": 500,
                            },
                        ),
                        _yes_no("training", "是否需要园区组织安全培训", raises="培训指导"),
                    ],
                },
                {"title": "现场记录", "questions": [_PHOTO, _OTHER]},
            ]
        },
    ),
    ThemeTemplate(
        key="loans",
        theme="贴息贷款",
        title="贴息贷款政策宣讲问卷",
        description="宣讲贴息贷款政策，摸排企业融资需求，对接合作银行。",
        definition={
            "sections": [
                _operations("loans"),
                {
                    "title": "融资需求",
                    "questions": [
                        {
                            "key": "loan_known",
                            "type": "single",
                            "text": "对贴息贷款政策的了解程度",
                            "required": True,
                            "options": ["非常了解", "了解一些", "不了解"],
                        },
                        _yes_no("loan_need", "是否有贴息贷款需求", raises="融资困难"),
                        _when_yes(
                            "loan_need",
                            {
                                "key": "loan_amount",
                                "type": "number",
                                "text": "拟申请贷款金额",
                                "unit": "万元",
                                "min": 1,
                                "max": 50000,
                                "required": True,
                            },
                        ),
                        _when_yes(
                            "loan_need",
                            {
                                "key": "loan_term",
                                "type": "single",
                                "text": "期望贷款期限",
                                "options": ["6个月以内", "1年", "2至3年", "3年以上"],
                            },
                        ),
                        _when_yes(
                            "loan_need",
                            {
                                "key": "loan_bank",
                                "type": "multiple",
                                "text": "希望对接的银行",
                                "options": ["工商银行", "建设银行", "农业银行", "湘潭农商行", "长沙银行"],
                            },
                        ),
                        _yes_no("policy_help", "是否需要上门讲解申报材料", required=False, raises="政策咨询"),
                    ],
                },
                {"title": "现场记录", "questions": [_OTHER]},
            ]
        },
    ),
    ThemeTemplate(
        key="epidemic",
        theme="疫情防控",
        title="疫情防控与复工复产问卷",
        description="了解企业防控措施落实和复工复产情况，协调用工、物资和物流问题。",
        definition={
            "sections": [
                _operations("epidemic"),
                {
                    "title": "防控与复产",
                    "questions": [
                        {
                            "key": "resume_rate",
                            "type": "number",
                            "text": "复工率",
                            "unit": "%",
                            "min": 0,
                            "max": 100,
                            "required": True,
                        },
                        {
                            "key": "measures",
                            "type": "matrix",
                            "text": "防控措施落实情况",
                            "rows": ["测温登记", "消毒通风", "防疫物资储备", "应急预案"],
                            "columns": ["已落实", "部分落实", "未落实"],
                        },
                        _yes_no("short_staff", "是否存在用工缺口", raises="用工招聘"),
                        _when_yes(
                            "short_staff",
                            {
                                "key": "short_count",
                                "type": "number",
                                "text": "用工缺口人数",
                                "unit": "人",
                                "min": 1,
                                "max": 10000,
                                "required": True,
                            },
                        ),
                        _yes_no("logistics", "原材料或产品运输是否受阻", raises="市场拓展"),
                    ],
                },
                {"title": "现场记录", "questions": [_PHOTO, _OTHER]},
            ]
        },
    ),
    ThemeTemplate(
        key="business",
        theme="营商环境",
        title="营商环境满意度调查",
        description="请企业评价园区营商环境，收集审批、基础设施等方面的意见。",
        definition={
            "sections": [
                {
                    "title": "满意度评价",
                    "questions": [
                        {
                            "key": "ratings",
                            "type": "matrix",
                            "text": "请对以下方面打分",
                            "required": True,
                            "rows": ["政务服务效率", "政策兑现", "基础设施", "水电气保障", "联企干部服务"],
                            "columns": ["满意", "基本满意", "不满意"],
                        },
                        {
                            "key": "overall",
                            "type": "single",
                            "text": "对园区营商环境的总体评价",
                            "required": True,
                            "options": ["满意", "基本满意", "不满意"],
                        },
                    ],
                },
                {
                    "title": "意见与诉求",
                    "questions": [
                        _yes_no("approval_issue", "近一年办理审批事项是否遇到困难", raises="审批服务"),
                        _when_yes(
                            "approval_issue",
                            {
                                "key": "approval_items",
                                "type": "multiple",
                                "text": "遇到困难的事项",
                                "options": ["工程建设审批", "环评", "消防验收", "不动产登记", "其他"],
                            },
                        ),
                        _yes_no("infra_issue", "周边道路、管网等基础设施是否需要改善", raises="基础设施"),
                        _OTHER,
                    ],
                },
            ]
        },
    ),
)

BY_KEY: dict[str, ThemeTemplate] = {t.key: t for t in TEMPLATES}


def template_for_theme(theme: str) -> ThemeTemplate | None:
    """The template of a theme (助企纾困 …), or None for a theme no template covers."""
    return next((t for t in TEMPLATES if t.theme == theme), None)
