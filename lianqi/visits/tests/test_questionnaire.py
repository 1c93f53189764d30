"""The questionnaire engine on its own (no database): what stops a questionnaire from being
published, how answers are checked against their questions (types, ranges, required, hidden
questions), conditional display, and which demand categories answers raise."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lianqi.visits.questionnaire import check, parse, publish_problems, raised, shown

#: A small questionnaire with every question type, a condition and two demand mappings.
DEFINITION: dict[str, Any] = {
    "sections": [
        {
            "title": "基本情况",
            "questions": [
                {
                    "key": "q1",
                    "type": "single",
                    "text": "企业经营状况",
                    "required": True,
                    "options": ["良好", "一般", "困难"],
                    "help": "按上季度判断",
                },
                {
                    "key": "q2",
                    "type": "multiple",
                    "text": "当前主要困难",
                    "options": ["资金", "用工", "用地"],
                    "raises": [
                        {"answer": "用工", "category": "用工"},
                        {"answer": "用地", "category": "用地需求"},
                    ],
                },
                {
                    "key": "q3",
                    "type": "number",
                    "text": "在岗职工人数",
                    "unit": "人",
                    "min": 0,
                    "max": 100000,
                },
            ],
        },
        {
            "title": "融资情况",
            "questions": [
                {
                    "key": "q4",
                    "type": "yes_no",
                    "text": "是否有融资需求",
                    "required": True,
                    "raises": [{"answer": "是", "category": "融资困难"}],
                },
                {
                    "key": "q5",
                    "type": "number",
                    "text": "融资金额",
                    "unit": "万元",
                    "min": 0,
                    "required": True,
                    "show_if": {"question": "q4", "equals": "是"},
                },
                {
                    "key": "q6",
                    "type": "date",
                    "text": "希望到位时间",
                    "show_if": {"question": "q4", "equals": "是"},
                },
                {"key": "q7", "type": "text", "text": "其他意见", "max_length": 10},
                {"key": "q8", "type": "file", "text": "现场照片"},
                {
                    "key": "q9",
                    "type": "matrix",
                    "text": "服务评价",
                    "required": True,
                    "rows": ["审批", "政策兑现"],
                    "columns": ["满意", "基本满意", "不满意"],
                },
            ],
        },
    ]
}

GOOD: dict[str, Any] = {
    "q1": "一般",
    "q2": ["用地", "资金"],
    "q3": "120",
    "q4": "是",
    "q5": "500.50",
    "q6": "2025-06-30",
    "q7": "无",
    "q8": ["visits/2025/photo.jpg"],
    "q9": {"审批": "满意", "政策兑现": "基本满意"},
}


def with_question(target: str, /, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEFINITION)
    for section in data["sections"]:
        for question in section["questions"]:
            if question["key"] == target:
                question.update(changes)
                for name in [k for k, v in changes.items() if v is None]:
                    del question[name]
    return data


def texts(messages: list[Any]) -> list[str]:
    return [str(message) for message in messages]


# --- Publishing ------------------------------------------------------------------------------


def test_a_sound_questionnaire_has_no_problems() -> None:
    assert publish_problems(DEFINITION) == []
    assert publish_problems(DEFINITION, categories={"用工", "用地需求", "融资困难"}) == []


def test_a_definition_that_is_not_a_questionnaire_says_so() -> None:
    assert texts(publish_problems("nonsense")) == ["问卷定义格式不正确"]
    assert texts(publish_problems({"sections": {}})) == ["问卷定义格式不正确"]
    assert texts(publish_problems({"sections": []})) == ["问卷至少需要一个分节"]
    assert texts(publish_problems({"sections": [{"title": "空", "questions": []}]})) == [
        "第 1 节“空”没有题目"
    ]


def test_a_condition_pointing_to_a_later_question_names_both() -> None:
    data = with_question("q2", show_if={"question": "q4", "equals": "是"})
    [problem] = publish_problems(data)
    assert str(problem) == "第 2 题“当前主要困难”的显示条件引用了它之后的题目 q4"
    assert problem.question == "q2"


def test_a_condition_on_itself_counts_as_later() -> None:
    data = with_question("q4", show_if={"question": "q4", "equals": "是"})
    assert texts(publish_problems(data)) == ["第 4 题“是否有融资需求”的显示条件引用了它之后的题目 q4"]


def test_a_condition_pointing_to_a_missing_question() -> None:
    data = with_question("q5", show_if={"question": "q99", "equals": "是"})
    assert texts(publish_problems(data)) == ["第 5 题“融资金额”的显示条件引用了不存在的题目 q99"]


def test_a_condition_must_name_one_of_the_target_s_answers_on_a_choice_question() -> None:
    bad_value = with_question("q5", show_if={"question": "q1", "equals": "很好"})
    assert texts(publish_problems(bad_value)) == ["第 5 题“融资金额”的显示条件取值“很好”不是题目 q1 的选项"]
    on_text = with_question("q5", show_if={"question": "q3", "equals": "1"})
    assert texts(publish_problems(on_text)) == ["第 5 题“融资金额”的显示条件只能引用选择题或是非题"]


def test_a_choice_question_without_options_cannot_be_published() -> None:
    assert texts(publish_problems(with_question("q1", options=[]))) == [
        "第 1 题“企业经营状况”是选择题，但没有选项"
    ]
    assert texts(publish_problems(with_question("q1", options=["好", "好"]))) == [
        "第 1 题“企业经营状况”的选项“好”重复"
    ]


def test_a_number_range_with_min_above_max() -> None:
    assert texts(publish_problems(with_question("q3", min=10, max=5))) == [
        "第 3 题“在岗职工人数”的最小值 10 大于最大值 5"
    ]
    assert texts(publish_problems(with_question("q3", min="十"))) == ["第 3 题“在岗职工人数”的最小值不是数字"]


def test_keys_text_types_and_matrices_are_checked() -> None:
    assert texts(publish_problems(with_question("q3", key="q1"))) == ["题目编号 q1 重复"]
    assert texts(publish_problems(with_question("q3", key=None))) == ["第 3 题没有编号"]
    assert texts(publish_problems(with_question("q3", key="第三题"))) == [
        "第 3 题的编号“第三题”只能由字母、数字和下划线组成"
    ]
    assert texts(publish_problems(with_question("q3", text=""))) == ["第 3 题（q3）没有题干"]
    assert texts(publish_problems(with_question("q3", type="slider"))) == [
        "第 3 题（q3）的题型“slider”不存在"
    ]
    assert texts(publish_problems(with_question("q9", rows=[]))) == [
        "第 9 题“服务评价”是评分矩阵，需要至少一行和一列"
    ]


def test_demand_mappings_are_checked() -> None:
    on_text = with_question("q7", raises=[{"answer": "有", "category": "审批"}])
    assert texts(publish_problems(on_text)) == ["第 7 题“其他意见”不能设置诉求映射（只有选择题和是非题可以）"]
    bad_answer = with_question("q2", raises=[{"answer": "税费", "category": "审批"}])
    assert texts(publish_problems(bad_answer)) == ["第 2 题“当前主要困难”的诉求映射取值“税费”不是该题的选项"]
    no_category = with_question("q4", raises=[{"answer": "是", "category": ""}])
    assert texts(publish_problems(no_category)) == ["第 4 题“是否有融资需求”的诉求映射没有填写诉求类别"]
    unknown = publish_problems(DEFINITION, categories={"用工", "融资困难"})
    assert texts(unknown) == ["第 2 题“当前主要困难”映射的诉求类别“用地需求”不存在或已停用"]


def test_every_problem_is_listed_in_the_questionnaire_s_order() -> None:
    data = with_question("q1", options=[])
    data = {"sections": [*data["sections"]]}
    data["sections"][1]["questions"][1]["show_if"] = {"question": "q0", "equals": "是"}
    data["sections"][0]["questions"][2].update(min=3, max=1)
    assert [p.question for p in publish_problems(data)] == ["q1", "q3", "q5"]


# --- Conditional display ---------------------------------------------------------------------


def test_a_question_is_shown_only_when_its_condition_is_met() -> None:
    questionnaire = parse(DEFINITION)
    assert {"q5", "q6"} <= shown(questionnaire, {"q4": "是"})
    assert {"q5", "q6"} <= shown(questionnaire, {"q4": "yes"})
    assert not {"q5", "q6"} & shown(questionnaire, {"q4": "否"})
    assert not {"q5", "q6"} & shown(questionnaire, {})


def test_a_question_whose_condition_s_question_is_hidden_is_hidden_too() -> None:
    data = copy.deepcopy(DEFINITION)
    data["sections"][1]["questions"].append(
        {
            "key": "q10",
            "type": "yes_no",
            "text": "是否需要贴息",
            "show_if": {"question": "q4", "equals": "是"},
        }
    )
    data["sections"][1]["questions"].append(
        {"key": "q11", "type": "text", "text": "贴息说明", "show_if": {"question": "q10", "equals": "是"}}
    )
    questionnaire = parse(data)
    assert "q11" in shown(questionnaire, {"q4": "是", "q10": "是"})
    # q10 still says 是, but q4 no longer shows it: q11 goes with it.
    assert "q11" not in shown(questionnaire, {"q4": "否", "q10": "是"})


def test_a_condition_on_a_multiple_choice_holds_when_one_of_its_values_was_picked() -> None:
    data = with_question("q3", show_if={"question": "q2", "in": ["用工", "用地"]})
    questionnaire = parse(data)
    assert "q3" in shown(questionnaire, {"q2": ["资金", "用工"]})
    assert "q3" not in shown(questionnaire, {"q2": ["资金"]})


# --- Answers ---------------------------------------------------------------------------------


def test_good_answers_come_back_clean() -> None:
    result = check(parse(DEFINITION), GOOD)
    assert result.ok, result.errors
    assert result.values == {
        **GOOD,
        "q2": ["资金", "用地"],  # the questionnaire's order
        "q4": "yes",
        "q5": "500.50",  # exact, as typed
    }


def test_a_required_question_left_blank_is_named() -> None:
    answers = {**GOOD, "q1": " ", "q9": {}}
    result = check(parse(DEFINITION), answers)
    assert {key: texts(errors) for key, errors in result.errors.items()} == {
        "q1": ["此题必答"],
        "q9": ["请为“审批”评分", "请为“政策兑现”评分"],
    }


def test_hidden_questions_are_neither_required_nor_kept() -> None:
    answers = {**GOOD, "q4": "否", "q5": "", "q6": "明天"}
    result = check(parse(DEFINITION), answers)
    assert result.ok, result.errors
    assert "q5" not in result.values and "q6" not in result.values
    assert "q5" in check(parse(DEFINITION), {**GOOD, "q5": ""}).errors


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("q1", "很好", "“很好”不是此题的选项"),
        ("q2", ["资金", "税费"], "“税费”不是此题的选项"),
        ("q2", {"a": 1}, "请选择一个或多个选项"),
        ("q3", "十二", "请填写数字"),
        ("q3", "-1", "不能小于 0"),
        ("q3", "100001", "不能大于 100000"),
        ("q3", "NaN", "请填写数字"),
        ("q4", "也许", "请选择“是”或“否”"),
        ("q6", "2025-13-01", "请按 年-月-日 填写日期，例如 2025-03-01"),
        ("q7", "这是一段超过十个字的意见内容", "最多 10 个字"),
        ("q7", ["列表"], "请填写文字"),
        ("q8", [1, 2], "文件格式不正确"),
        ("q9", {"审批": "很差", "政策兑现": "满意"}, "“审批”的评分“很差”不是可选的等级"),
    ],
)
def test_a_wrong_answer_gets_its_message_next_to_its_question(key: str, value: Any, message: str) -> None:
    result = check(parse(DEFINITION), {**GOOD, key: value})
    assert list(result.errors) == [key]
    assert texts(result.errors[key]) == [message]
    assert result.errors[key][0].question == key
    assert key not in result.values


def test_answers_to_unknown_questions_are_dropped() -> None:
    result = check(parse(DEFINITION), {**GOOD, "q99": "多余"})
    assert result.ok and "q99" not in result.values


def test_numbers_are_exact() -> None:
    result = check(parse(DEFINITION), {**GOOD, "q5": "0.1", "q3": 7})
    assert (result.values["q5"], result.values["q3"]) == ("0.1", "7")


# --- Demands raised --------------------------------------------------------------------------


def test_answers_raise_the_mapped_demand_categories() -> None:
    questionnaire = parse(DEFINITION)
    values = check(questionnaire, {**GOOD, "q2": ["用工", "用地"]}).values
    assert [(r.question, r.answer, r.category) for r in raised(questionnaire, values)] == [
        ("q2", "用工", "用工"),
        ("q2", "用地", "用地需求"),
        ("q4", "yes", "融资困难"),
    ]
    assert raised(questionnaire, {**values, "q4": "no", "q2": ["资金"]}) == []


def test_a_hidden_question_raises_nothing() -> None:
    data = with_question("q6", type="yes_no", raises=[{"answer": "是", "category": "审批"}])
    questionnaire = parse(data)
    assert [r.category for r in raised(questionnaire, {"q4": "yes", "q6": "yes"})] == ["融资困难", "审批"]
    assert raised(questionnaire, {"q4": "no", "q6": "yes"}) == []
