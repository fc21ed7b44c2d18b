"""The documentation tests read files only: no database, no cache, so the suite-wide fixtures that
need them are replaced here by no-ops (same names, so pytest uses these for tests in this folder)."""

import pytest


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    yield


@pytest.fixture(scope="module", autouse=True)
def _vacuum_catalogs():
    yield
