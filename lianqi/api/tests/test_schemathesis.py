"""The schema is the truth: schemathesis generates requests for every operation of the
OpenAPI schema and checks that no answer is a server error and that each answer's status,
content type and body are the ones the schema documents. Run in-process on the WSGI app, as an
administrator and as a service-office user, with bounded examples and a fixed seed so that a
run is repeatable and quick."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lianqi.accounts.actions import api_token
from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import make_demand
from lianqi.policies.models import Fulfilment, Policy, PolicyMatch
from lianqi.policies.tests.test_api import policy_in_force
from lianqi.testing.world import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # A request that breaks the schema (a string for a number, an empty page) must be refused.
    negative_data_rejection,
]


#: Bounded and repeatable: a handful of examples per operation, the same ones every run.
FUZZ = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def existing_objects(world: World) -> dict[str, dict[str, Any]]:
    """Path parameters of objects that exist, by the resource's address: without them nearly
    every generated id would be a 404 and the bodies of real answers would go unchecked. The
    demand is open (no outcome, satisfaction or venue yet), the policy has no department and
    its ledger entry was made without a person: the empty and null values the schema must
    admit."""
    demand = make_demand(world, DemandState.ASSIGNED)
    policy = policy_in_force(world)
    Policy.objects.filter(pk=policy.pk).update(department=None)
    entry = Fulfilment.objects.get(policy=policy, enterprise=world.home.enterprise)
    match = PolicyMatch.objects.get(policy=policy, enterprise=world.home.enterprise)
    return {
        "demands": {"id": demand.pk},
        "enterprises": {"id": world.home.enterprise.pk},
        "departments": {"id": world.home.department.pk},
        "staff": {"id": world.home.liaison_staff.pk},
        "jurisdictions": {"code": world.home.park.code},
        "industries": {"code": world.home.enterprise.industry.code},
        "policies": {"id": policy.pk, "number": 1},
        "policy-matches": {"id": match.pk},
        "fulfilments": {"id": entry.pk},
    }


def fuzz_every_operation(token: str, known: dict[str, dict[str, Any]]) -> list[str]:
    """Runs every operation of the schema with generated requests (and, where the address names
    an object, once more on an object that exists); the failures, one per operation and mode
    (empty when the API answers everything as documented)."""
    # Loaded through the app itself, as a client would: the schema the server publishes.
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    headers = {"Authorization": f"Token {token}"}
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok() if hasattr(result, "ok") else pytest.fail(str(result.err()))
        operations += 1
        resource = operation.path.split("/")[3]
        names = {parameter.name for parameter in operation.path_parameters}
        variants: list[tuple[str, Any]] = [
            (mode.value, operation.as_strategy(generation_mode=mode))
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ]
        if names and names <= set(known.get(resource, {})):
            existing = {name: known[resource][name] for name in names}
            variants.append(("existing", operation.as_strategy(path_parameters=existing)))
        for label, strategy in variants:

            @FUZZ
            @given(case=strategy)
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                # No request can break this operation's schema (no parameters, no body).
                assert label == GenerationMode.NEGATIVE.value, operation.label
            except (Exception, BaseExceptionGroup) as error:  # every failure is reported, not the first
                failures.append(f"{operation.label} ({label}): {error}")
    assert operations > 40, operations
    return failures


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; on PostgreSQL that
    would end the test's transaction. Django's test client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz_as(world: World, role: str) -> None:
    user = world.user(role)
    with connection_kept_open():
        failures = fuzz_every_operation(api_token(user=user, actor=user), existing_objects(world))
    assert not failures, "\n\n".join(failures)


def test_every_operation_answers_as_documented_to_an_administrator(world: World) -> None:
    fuzz_as(world, Role.ADMIN)


def test_every_operation_answers_as_documented_to_the_service_office(world: World) -> None:
    fuzz_as(world, Role.SERVICE_OFFICE)
