"""Fixtures for the whole suite."""

import pytest

from lianqi.testing.browser import browser, page  # noqa: F401  (browser fixtures)
from lianqi.testing.contracts import world  # noqa: F401  (re-exported fixture)
from lianqi.testing.seeds import reseed


@pytest.fixture(autouse=True)
def _seeded_reference_data(request: pytest.FixtureRequest) -> None:
    """A test that runs in real transactions starts from a flushed database: give it back the
    reference data the migrations seed, as every other test has it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in request.fixturenames
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    reseed()
