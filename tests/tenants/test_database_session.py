"""Every database session carries the statement timeout and the planner cost the settings name."""

import pytest
from django.conf import settings
from django.db import connection

from tenants.ddl import statement_timeout_lifted


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_sessions_have_the_statement_timeout_and_random_page_cost():
    options = settings.DATABASES["default"]["OPTIONS"]["options"]
    assert "-c statement_timeout=60000" in options  # settings_test's bound (5000 by default)
    assert _show("statement_timeout") == "1min"
    assert _show("random_page_cost") == "1.1"


@pytest.mark.django_db
def test_schema_wide_ddl_lifts_the_timeout_and_restores_it():
    with statement_timeout_lifted():
        assert (_show("statement_timeout"), _show("random_page_cost")) == ("0", "4")
    assert (_show("statement_timeout"), _show("random_page_cost")) == ("1min", "1.1")
