"""Credit-code validation with real published codes and near misses."""

import pytest

from lianqi.enterprises import creditcode
from lianqi.enterprises.validators import credit_code_message

# Codes as printed on business licences and in the standard's worked examples.
REAL_CODES = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code: str) -> None:
    assert creditcode.is_valid(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_other_check_character_is_refused(code: str) -> None:
    for ch in creditcode.ALPHABET:
        if ch != code[-1]:
            assert not creditcode.is_valid(code[:17] + ch)


def test_known_good_code_is_valid() -> None:
    assert creditcode.is_valid("91350100M000100Y43")
    assert credit_code_message("91350100M000100Y43") is None


def test_lower_case_and_spaces_are_accepted() -> None:
    assert creditcode.is_valid(" 91350100m000100y43 ")


def test_wrong_check_character_names_the_expected_one() -> None:
    message = credit_code_message("91350100M000100Y44")
    assert message is not None
    assert "应为“3”" in message and "而不是“4”" in message


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y433", "18位"),
        ("91350100M00010OY43", "第15位"),
        ("9135010IM000100Y43", "第8位"),
        ("91ABCDEFM000100Y43", "行政区划"),
    ],
)
def test_near_misses_are_explained(code: str, fragment: str) -> None:
    message = credit_code_message(code)
    assert message is not None and fragment in message


def test_complete_makes_valid_codes() -> None:
    assert creditcode.is_valid(creditcode.complete("91430300MA4L00001"))
