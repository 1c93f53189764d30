"""The engine's per-question statistics, without Django: distributions, exact number summaries,
date ranges, matrices, and questions matched by key across versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..questionnaire import parse
from ..questionnaire.analysis import analyse

V1: dict[str, Any] = {
    "sections": [
        {
            "title": "一",
            "questions": [
                {"key": "state", "type": "single", "text": "经营状况", "options": ["良好", "一般", "困难"]},
                {"key": "needs", "type": "multiple", "text": "困难", "options": ["资金", "用工", "用地"]},
                {"key": "finance", "type": "yes_no", "text": "融资需求"},
                {"key": "amount", "type": "number", "text": "金额", "unit": "万元"},
                {"key": "old", "type": "text", "text": "旧题"},
            ],
        }
    ]
}
V2: dict[str, Any] = {
    "sections": [
        {
            "title": "一",
            "questions": [
                {
                    "key": "state",
                    "type": "single",
                    "text": "经营状况如何",
                    "options": ["良好", "一般", "困难"],
                },
                {"key": "needs", "type": "multiple", "text": "困难", "options": ["资金", "用工", "用地"]},
                {"key": "finance", "type": "yes_no", "text": "融资需求"},
                {"key": "amount", "type": "number", "text": "金额", "unit": "万元"},
                {"key": "since", "type": "date", "text": "成立日期"},
                {
                    "key": "rating",
                    "type": "matrix",
                    "text": "满意度",
                    "rows": ["服务", "效率"],
                    "columns": ["满意", "不满意"],
                },
            ],
        }
    ]
}
VERSIONS = {1: parse(V1), 2: parse(V2)}


def by_key(forms: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    return {stats.key: stats for stats in analyse(VERSIONS, forms).questions}


def test_choices_count_each_option_with_its_share_of_the_answers() -> None:
    found = by_key(
        [
            (1, {"state": "良好", "needs": ["资金", "用工"], "finance": "yes"}),
            (2, {"state": "困难", "needs": ["资金"], "finance": "no"}),
            (2, {"state": "良好", "finance": "yes"}),
        ]
    )
    assert [(b.label, b.count, b.share) for b in found["state"].bars] == [
        ("良好", 2, Decimal("66.7")),
        ("一般", 0, Decimal("0.0")),
        ("困难", 1, Decimal("33.3")),
    ]
    assert [(b.label, b.count) for b in found["needs"].bars] == [("资金", 2), ("用工", 1), ("用地", 0)]
    assert found["needs"].answered == 2
    assert [(b.label, b.count) for b in found["finance"].bars] == [("yes", 2), ("no", 1)]


def test_numbers_are_summed_up_exactly_with_their_unit() -> None:
    forms = [(2, {"amount": value}) for value in ("0.1", "0.2", "100", "3")]
    summary = by_key(forms)["amount"].numbers
    assert summary is not None
    assert (summary.count, summary.minimum, summary.maximum) == (4, Decimal("0.1"), Decimal("100"))
    assert summary.mean == Decimal("25.83")  # 103.3 / 4 = 25.825, rounded half up
    assert summary.median == Decimal("1.60")  # (0.2 + 3) / 2
    assert summary.unit == "万元"
    odd = by_key([(2, {"amount": "5"}), (2, {"amount": "1"}), (2, {"amount": "x"})])["amount"].numbers
    assert odd is not None and (odd.count, odd.median) == (2, Decimal("3.00"))


def test_dates_give_their_range_and_matrices_each_row() -> None:
    found = by_key(
        [
            (2, {"since": "2019-05-01", "rating": {"服务": "满意", "效率": "不满意"}}),
            (2, {"since": "2003-01-20", "rating": {"服务": "满意", "效率": "满意"}}),
        ]
    )
    assert (found["since"].first_date, found["since"].last_date) == (
        dt.date(2003, 1, 20),
        dt.date(2019, 5, 1),
    )
    rows = {row: [(b.label, b.count) for b in bars] for row, bars in found["rating"].matrix}
    assert rows == {"服务": [("满意", 2), ("不满意", 0)], "效率": [("满意", 1), ("不满意", 1)]}


def test_questions_are_matched_across_versions_and_say_where_they_were_asked() -> None:
    analysis = analyse(VERSIONS, [(1, {"state": "一般", "old": "旧的回答"}), (2, {"state": "良好"})])
    assert analysis.forms == 2
    found = {stats.key: stats for stats in analysis.questions}
    assert found["state"].answered == 2 and found["state"].in_all_versions
    assert found["state"].question.text == "经营状况如何"  # the newest wording
    assert found["old"].versions == (1,) and not found["old"].in_all_versions
    assert found["since"].versions == (2,)
    # The newest version's order first, then what only older versions asked.
    assert [s.key for s in analysis.questions] == [
        "state",
        "needs",
        "finance",
        "amount",
        "since",
        "rating",
        "old",
    ]


def test_an_answer_that_does_not_fit_its_question_is_skipped() -> None:
    found = by_key([(2, {"needs": "资金", "since": "soon", "amount": True, "finance": "maybe"})])
    assert (found["needs"].answered, found["since"].answered) == (0, 0)
    assert (found["amount"].numbers, found["finance"].answered) == (None, 0)


def test_a_form_becomes_one_row_with_a_column_per_question_and_matrix_row() -> None:
    from ..questionnaire.analysis import answer_cells, answer_columns

    columns = answer_columns(VERSIONS[2].questions())
    assert [c.title for c in columns] == [
        "经营状况如何",
        "困难",
        "融资需求",
        "金额",
        "成立日期",
        "满意度：服务",
        "满意度：效率",
    ]
    answers = {
        "state": "良好",
        "needs": ["资金", "用工"],
        "finance": "yes",
        "amount": "12.50",
        "rating": {"效率": "满意"},
    }
    assert answer_cells(columns, answers, ("是", "否")) == [
        "良好",
        "资金、用工",
        "是",
        Decimal("12.50"),
        None,
        None,
        "满意",
    ]
