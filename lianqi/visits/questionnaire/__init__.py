"""The questionnaire engine: plain Python, no Django, so it is tested and timed on its own.

- `definition.parse` reads a stored definition into a `Questionnaire` of sections and
  questions (single and multiple choice, text, number with unit and range, yes/no, date,
  file or photo, rating matrix; required, help, conditional display, demand mappings);
- `checks.publish_problems` lists why a definition cannot be published, each reason naming
  its question;
- `answers.check` checks answers against it (hidden questions ignored) question by question,
  and `answers.raised` says which demand categories the answers raise.
"""

from .answers import Checked, Raised, check, raised, shown
from .checks import problems, publish_problems
from .definition import Condition, Question, Questionnaire, QuestionType, Section, parse
from .messages import Message

__all__ = [
    "Checked",
    "Condition",
    "Message",
    "Question",
    "QuestionType",
    "Questionnaire",
    "Raised",
    "Section",
    "check",
    "parse",
    "problems",
    "publish_problems",
    "raised",
    "shown",
]
