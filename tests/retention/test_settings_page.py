"""Settings > Retention: administrators set keep-selectors and the dry-run switch; bad input is a 400."""

from django_tenants.utils import schema_context

from apps.retention.models import RetentionPolicy
from tests.accounts.conftest import member_create
from tests.ui.conftest import signed_in


def test_an_administrator_saves_keep_selectors_and_dry_run(acme, outsider):
    admin = signed_in(acme, acme.admin)
    page = admin.get("/settings/retention").content.decode()
    assert "Your plan keeps 90 days of history." in page
    response = admin.post(
        "/settings/retention/policy", {"keep_selectors": '[{"branch": "main"}, {"max_age": 30}]', "dry_run": "on"}
    )
    assert response.status_code == 302
    with schema_context(acme.schema):
        policy = RetentionPolicy.objects.get()
        assert policy.keep_selectors == [{"branch": "main"}, {"max_age": 30}] and policy.dry_run is True
    with schema_context(outsider.schema):
        assert not RetentionPolicy.objects.exists()


def test_bad_selectors_are_a_400_with_the_reason_and_change_nothing(acme):
    admin = signed_in(acme, acme.admin)
    for text, message in [
        ("{not json", "Keep-selectors: Expecting property name"),
        ('{"max_age": 3}', "Keep-selectors: Keep-selectors must be a JSON list of objects."),
        ('[{"max_age": -1}]', "Selector 1: max_age is a number of days (0 to 36500)."),
        ('[{"latest": false}]', "Selector 1: latest can only be true."),
    ]:
        response = admin.post("/settings/retention/policy", {"keep_selectors": text})
        assert response.status_code == 400
        assert message in response.content.decode()
    with schema_context(acme.schema):
        assert not RetentionPolicy.objects.exists()


def test_people_without_the_settings_permission_cannot_change_retention(acme):
    member = member_create(acme, email="dev@acme.example", roles=["user"])
    browser = signed_in(acme, member.user)
    assert browser.get("/settings/retention").status_code == 403
    assert browser.post("/settings/retention/policy", {"keep_selectors": "[]"}).status_code == 403
    assert browser.post("/settings/retention/dry-run").status_code == 403
