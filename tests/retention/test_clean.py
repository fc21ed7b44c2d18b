"""Retention clean-up: what it keeps (selectors, plan limit, deployed and released), what it deletes, dry run."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.contracts.models import PactPublication, PactVersion, Version
from apps.retention.models import RetentionRun
from apps.retention.services import organisation_clean
from apps.verifications.models import Verification
from tests.support import factories

OLD = timezone.now() - timedelta(days=200)
CAN_I_DEPLOY = "/can-i-deploy?pacticipant=Web&version=1.0.0&environment=production"


def _history():
    """Web 1.0.0 (old, deployed to production), 1.0.1..1.0.3 (old, main), 1.0.4 (old, tag prod, released
    then support ended), 1.0.5 (new, main head); API 7.0.0 (old, deployed) verifies 1.0.0."""
    first = factories.pact_publish("Web", "1.0.0", "API", branch="main", at=OLD, description="v0")
    factories.verify(first, "7.0.0", branch="main", at=OLD)
    factories.deploy("Web", "1.0.0", "production")
    factories.deploy("API", "7.0.0", "production")
    for number in ("1.0.1", "1.0.2", "1.0.3"):
        publication = factories.pact_publish("Web", number, "API", branch="main", at=OLD, description=number)
        factories.verify(publication, f"7.0.{number[-1]}0", at=OLD)
    factories.pact_publish("Web", "1.0.4", "API", tags=["prod"], at=OLD, description="tagged")
    factories.release("Web", "1.0.4", "test", support_ended=True)
    factories.pact_publish("Web", "1.0.5", "API", branch="main", description="new")


def _numbers(pacticipant: str) -> list[str]:
    return sorted(Version.objects.filter(pacticipant__name=pacticipant).values_list("number", flat=True))


def test_the_clean_up_keeps_heads_latest_tags_deployed_and_recent_versions_and_deletes_the_rest(acme, outsider):
    with schema_context(outsider.schema):
        factories.pact_publish("Web", "0.0.1", "API", branch="main", at=OLD)
        factories.pact_publish("Web", "0.0.2", "API", branch="feature", at=OLD)
        factories.pact_publish("Web", "0.0.3", "API", branch="feature", at=OLD)
    with schema_context(acme.schema):
        _history()
        before = acme.client().get(CAN_I_DEPLOY)
        assert before.status_code == 200 and before.json()["summary"]["deployable"] is True
        report = organisation_clean(keep_selectors=[], plan_days=90, dry_run=False)
        # 1.0.0 deployed, 1.0.4 latest "prod" tag, 1.0.5 main head and latest; 7.0.0 deployed and
        # main's head, 7.0.30 the provider's latest version.
        assert _numbers("Web") == ["1.0.0", "1.0.4", "1.0.5"]
        assert _numbers("API") == ["7.0.0", "7.0.30"]
        assert report["deleted"]["contracts_version"] == 5
        assert report["deleted"]["contracts_pactpublication"] == 3
        assert report["deleted"]["contracts_latestpactpublication"] == 3
        assert report["deleted"]["verifications_verification"] == 2
        # The contents only 1.0.1 and 1.0.2 had; 1.0.3's stays, 7.0.30 (kept) verified it.
        assert report["deleted"]["contracts_pactversion"] == 2
        assert not PactVersion.objects.filter(publications__isnull=True, verifications__isnull=True).exists()
        assert Verification.objects.filter(provider_version__number="7.0.0").count() == 1
        after = acme.client().get(CAN_I_DEPLOY)
        assert after.status_code == 200 and after.json() == before.json()
        run = RetentionRun.objects.get()
        assert run.dry_run is False and run.report["deleted"]["contracts_version"] == 5
    with schema_context(outsider.schema):
        assert _numbers("Web") == ["0.0.1", "0.0.2", "0.0.3"]


def test_a_dry_run_reports_what_would_go_and_deletes_nothing(acme):
    with schema_context(acme.schema):
        _history()
        count = Version.objects.count()
        report = organisation_clean(keep_selectors=[], plan_days=90, dry_run=True)
        assert Version.objects.count() == count
        assert report["versions_to_delete"] == 5
        assert report["pacticipants"]["Web"] == {"versions": 3, "from": "1.0.1", "to": "1.0.3"}
        assert report["pacticipants"]["API"] == {"versions": 2, "from": "7.0.10", "to": "7.0.20"}


def test_the_plan_history_limit_caps_a_selector_that_keeps_a_whole_branch(acme):
    with schema_context(acme.schema):
        _history()
        organisation_clean(keep_selectors=[{"branch": "main"}], plan_days=90, dry_run=False)
        # main's old versions are beyond the plan's 90 days; deployed ones and branch heads always stay
        # (1.0.4 heads the "prod" branch its first tag made).
        assert _numbers("Web") == ["1.0.0", "1.0.4", "1.0.5"]
        assert _numbers("API") == ["7.0.0"]


def test_a_plan_without_a_limit_and_no_selectors_keeps_everything(acme):
    with schema_context(acme.schema):
        _history()
        count = Version.objects.count()
        report = organisation_clean(keep_selectors=[], plan_days=None, dry_run=False)
        assert Version.objects.count() == count and report["deleted"] == {}


def test_a_currently_deployed_version_is_kept_whatever_the_selectors(acme):
    with schema_context(acme.schema):
        _history()
        organisation_clean(keep_selectors=[{"max_age": 0, "pacticipant": "Nobody"}], plan_days=None, dry_run=False)
        assert "1.0.0" in _numbers("Web") and "7.0.0" in _numbers("API")
        assert PactPublication.objects.filter(consumer_version__number="1.0.0").exists()


def test_the_command_dry_run_prints_the_report_and_refuses_bad_selectors(acme):
    with schema_context(acme.schema):
        _history()
    out = io.StringIO()
    call_command("org_clean", org="acme", dry_run=True, stdout=out)
    assert json.loads(out.getvalue())["versions_to_delete"] == 5
    with pytest.raises(CommandError, match="unknown key"):
        call_command("org_clean", org="acme", keep='[{"colour": "red"}]', stdout=io.StringIO())
    with pytest.raises(CommandError, match="--keep"):
        call_command("org_clean", org="acme", keep="not json", stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no organisation"):
        call_command("org_clean", org="nope", stdout=io.StringIO())
    with schema_context(acme.schema):
        assert Version.objects.count() == 10


def test_the_daily_task_follows_the_organisations_policy_and_plan(acme):
    from apps.retention.services import retention_policy_set
    from apps.retention.tasks import clean

    with schema_context(acme.schema):
        _history()
        retention_policy_set(keep_selectors=[], dry_run=True)
        count = Version.objects.count()
    report = clean(acme.schema)  # what the worker runs (inside the organisation's schema)
    assert report["dry_run"] is True and report["versions_to_delete"] == 5 and report["plan_retention_days"] == 90
    with schema_context(acme.schema):
        assert Version.objects.count() == count
        retention_policy_set(keep_selectors=[], dry_run=False)
    assert clean(acme.schema)["deleted"]["contracts_version"] == 5


def test_the_clean_up_and_the_closed_organisations_deletion_are_scheduled():
    from config.celery import app

    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"retention.clean_all", "tenants.closed_delete"} <= schedule
