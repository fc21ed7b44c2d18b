"""Two identical SCIM creates at the same moment: one team and SCIM's 409 `uniqueness`, never a 500
from the unique index (issue 17). The race is forced: the first request's transaction holds its new
team uncommitted until the second has reached its name check, exactly the window in which a
check-then-insert fails."""

import threading
import time

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.accounts.models import Team
from sso.scim import services as scim_services
from sso.scim.patch import GroupChanges
from tests.sso.scim.conftest import GROUP, error_of, scim_org_make


@pytest.mark.django_db(transaction=True)
def test_two_identical_group_creates_at_once_give_one_team_and_a_409(acme, outsider, idp, monkeypatch):
    scim = scim_org_make(acme, idp)
    theirs = scim_org_make(outsider, idp)
    first_holds_its_team, second_at_its_check = threading.Event(), threading.Event()
    check = scim_services._team_name_check

    def check_announced(name, team=None):
        if threading.current_thread().name == "second":
            second_at_its_check.set()
        return check(name, team)

    monkeypatch.setattr(scim_services, "_team_name_check", check_announced)
    outcome = {}

    def first():
        try:
            with schema_context(acme.schema), transaction.atomic():
                scim_services.scim_group_create(actor=scim.account, changes=GroupChanges(name="Payments"))
                first_holds_its_team.set()
                second_at_its_check.wait(30)
                time.sleep(0.5)  # the second request checks (and would insert) while this team is uncommitted
        finally:
            connection.close()

    def second():
        try:
            first_holds_its_team.wait(30)
            outcome["response"] = scim.scim().post("/Groups", {"schemas": [GROUP], "displayName": "Payments"})
        except Exception as exc:  # without the lock: the unique index's IntegrityError, a 500
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first, name="first"), threading.Thread(target=second, name="second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert second_at_its_check.is_set()
    assert "error" not in outcome, outcome.get("error")
    response = outcome["response"]
    assert response.status_code == 409, response.content
    assert error_of(response) == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "409",
        "scimType": "uniqueness",
        "detail": "There is already a team called Payments.",
    }
    with schema_context(acme.schema):
        assert Team.objects.filter(name="Payments").count() == 1
    # The other organisation may have its own Payments team.
    assert theirs.scim().post("/Groups", {"schemas": [GROUP], "displayName": "Payments"}).status_code == 201
