import pytest
from django_tenants.utils import schema_context


@pytest.fixture
def in_acme(acme):
    """Run the test body inside acme's schema (data built with tests.support.factories)."""
    with schema_context(acme.schema):
        yield acme
