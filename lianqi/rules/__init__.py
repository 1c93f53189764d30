"""The explainable eligibility engine: rules (policies, finance products, parcels, matches)
as trees of conditions on a subject's attributes, evaluated in three-valued logic over whole
tables of subjects, with explanations, near misses and amounts. Plain Python and numpy; the
Django apps that store rules and enterprises build on it. See docs/rules.md."""

from .catalogue import ENTERPRISE_CATALOGUE, Attribute, AttributeKind, Catalogue, normalise_industry
from .engine import Budget, Engine, Matching, NearMiss, SubjectMatch
from .errors import Issue, RuleError
from .explain import Explanation, ExplanationNode, describe, describe_benefit, explain
from .formats import (
    dump_json,
    dump_yaml,
    load_json,
    load_rules,
    load_yaml,
    read_xlsx,
    rules_from_data,
    rules_from_tables,
    rules_to_data,
    rules_to_tables,
    write_xlsx,
    yaml_available,
)
from .model import (
    AllOf,
    AnyOf,
    Bracket,
    Condition,
    Declaration,
    Fixed,
    Not,
    Parameter,
    Parameters,
    ParameterValue,
    Percentage,
    Rule,
    RuleSet,
    TestCase,
    Tiered,
    Verdict,
)
from .subjects import SubjectTable, build_table, normalise_record
from .testcases import TestFailure, run_test_cases
from .validation import validate_rule, validate_ruleset

__all__ = [
    "ENTERPRISE_CATALOGUE",
    "AllOf",
    "AnyOf",
    "Attribute",
    "AttributeKind",
    "Bracket",
    "Budget",
    "Catalogue",
    "Condition",
    "Declaration",
    "Engine",
    "Explanation",
    "ExplanationNode",
    "Fixed",
    "Issue",
    "Matching",
    "NearMiss",
    "Not",
    "Parameter",
    "ParameterValue",
    "Parameters",
    "Percentage",
    "Rule",
    "RuleError",
    "RuleSet",
    "SubjectMatch",
    "SubjectTable",
    "TestCase",
    "TestFailure",
    "Tiered",
    "Verdict",
    "build_table",
    "describe",
    "describe_benefit",
    "dump_json",
    "dump_yaml",
    "explain",
    "load_json",
    "load_rules",
    "load_yaml",
    "normalise_industry",
    "normalise_record",
    "read_xlsx",
    "rules_from_data",
    "rules_from_tables",
    "rules_to_data",
    "rules_to_tables",
    "run_test_cases",
    "validate_rule",
    "validate_ruleset",
    "write_xlsx",
    "yaml_available",
]
