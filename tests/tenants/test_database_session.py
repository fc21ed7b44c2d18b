"""Every database session carries the statement timeout and the planner cost the settings name."""
import pytest
from django.db import connection


def _show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_sessions_have_the_statement_timeout_and_random_page_cost():
    assert _show("statement_timeout") == "5s"
    assert _show("random_page_cost") == "1.1"

