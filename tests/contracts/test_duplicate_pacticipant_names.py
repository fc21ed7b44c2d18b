"""The potential duplicate pacticipant name check on publish (shared reference §2.3, §3.1, §3.2;
the broker's FindPotentialDuplicatePacticipantNames and its `errors.duplicate_pacticipant` text)."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts.duplicate_names import name_words, potential_duplicate_names
from apps.contracts.models import Pacticipant, PactPublication, Version
from apps.contracts.services.find_or_create import pacticipant_find_or_create
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put


@pytest.mark.parametrize(
    "name, words",
    [
        ("a-foo-service", ["a", "foo", "service"]),
        ("a_foo_service", ["a", "foo", "service"]),
        ("FooAService", ["foo", "a", "service"]),
        ("Foo A Service", ["foo", "a", "service"]),
        ("S3 Bucket Service", ["s3", "bucket", "service"]),
        ("S3BucketService", ["s3", "bucket", "service"]),
        ("S3-Bucket-Service", ["s3", "bucket", "service"]),
        ("S3_Bucket_Service", ["s3", "bucket", "service"]),
        # Ruby's String#split keeps empty words in the middle and drops trailing ones.
        ("Foo  Bar", ["foo", "", "bar"]),
        ("Foo-", ["foo"]),
        ("", []),
    ],
)
def test_names_are_split_into_words_as_the_broker_does(name, words):
    assert name_words(name) == words


@pytest.mark.parametrize(
    "new_name, existing, duplicates",
    [
        ("accounts", ["accounts-receivable"], []),
        ("Accounts", ["Accounts Receivable"], []),
        ("The Accounts", ["Accounts"], []),
        (
            "accounts",
            ["account-service", "account-api", "account-provider"],
            ["account-service", "account-api", "account-provider"],
        ),
        ("accounts-api", ["account-service", "account-provider"], ["account-service", "account-provider"]),
        ("Contracts Service", ["Contracts Service", "Contracts", "Something"], []),
        ("Contracts", ["Contract Service", "Contacts", "Something"], ["Contract Service"]),
        ("Contracts Service", ["Contract", "Contacts", "Something"], ["Contract"]),
        ("Contract Service", ["Contracts", "Contacts", "Something"], ["Contracts"]),
        ("Contract Service", ["contracts", "Contacts", "Something"], ["contracts"]),
        ("ContractService", ["Contracts Service", "Contacts", "Something"], ["Contracts Service"]),
        ("Contract Service", ["ContractsService", "Contacts", "Something"], ["ContractsService"]),
        (
            "Contract_Service",
            ["ContractsService", "Contracts Service", "contracts-service", "Contacts", "Something"],
            ["ContractsService", "Contracts Service", "contracts-service"],
        ),
    ],
)
def test_potential_duplicates_follow_the_broker_rule(new_name, existing, duplicates):
    assert potential_duplicate_names(new_name, existing) == duplicates


def _message(new_name: str, existing: list[str]) -> str:
    names = "\n".join(f"* {name}" for name in existing)
    return (
        f'This is the first time a pact has been published for "{new_name}".\n'
        f'The name "{new_name}" is very similar to the following existing pacticipants:\n'
        f"{names}\n"
        "If you meant to specify one of the above names, please correct the pact configuration, "
        "and re-publish the pact.\n"
        f'If the pact is intended to be for a new consumer or provider, please manually create "{new_name}" '
        "using the following command from the Pact Broker CLI, and then re-publish the pact:\n\n"
        f'pact-broker create-or-update-pacticipant --name "{new_name}" --broker-base-url http://acme.localhost\n\n'
        "For information on the Pact Broker CLI see https://docs.pact.io/go/pbc-cli\n"
        "To disable this check, set `check_for_potential_duplicate_pacticipant_names` to false in the "
        "configuration.\n"
    )


def _doc(consumer="Foo", provider="Bar"):
    doc = pact_fixture("foo-bar")
    doc["consumer"]["name"], doc["provider"]["name"] = consumer, provider
    return doc


def _state(org):
    with schema_context(org.schema):
        return (
            sorted(Pacticipant.objects.values_list("name", flat=True)),
            Version.objects.count(),
            PactPublication.objects.count(),
        )


@pytest.fixture
def published(acme):
    """Foo publishes to "Bar Service"; Foo and "Bar Service" exist."""
    assert pact_put(acme.client(), _doc(provider="Bar Service"), provider="Bar Service").status_code == 201
    return acme


def test_put_with_a_new_near_duplicate_provider_name_is_409_text_and_writes_nothing(published):
    before = _state(published)

    response = pact_put(published.client(), _doc(provider="bar-service"), provider="bar-service", version="2")

    assert response.status_code == 409
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == _message("bar-service", ["Bar Service"])
    assert _state(published) == before


def test_each_new_near_duplicate_name_gets_its_block_and_patch_is_checked_too(published):
    with schema_context(published.schema):
        pacticipant_find_or_create(name="FooService")

    response = pact_put(
        published.client(), _doc("foos", "BarServices"), consumer="foos", provider="BarServices", method="patch"
    )

    assert response.status_code == 409
    assert response.content.decode() == (
        _message("foos", ["Foo", "FooService"]) + "\n" + _message("BarServices", ["Bar Service"])
    )


def test_exact_and_unrelated_names_publish_normally(published):
    assert (
        pact_put(published.client(), _doc(provider="Bar Service"), provider="Bar Service", version="2").status_code
        == 201
    )
    assert pact_put(published.client(), _doc(provider="Baz"), provider="Baz").status_code == 201


def test_a_bad_request_stays_a_400_before_the_duplicate_check(published):
    response = pact_put(published.client(), _doc(provider="Other"), provider="bar-service", version="2")

    assert response.status_code == 400
    assert "provider.name" in response.json()["errors"]


def test_the_check_can_be_switched_off(published, settings):
    settings.CHECK_FOR_POTENTIAL_DUPLICATE_PACTICIPANT_NAMES = False

    response = pact_put(published.client(), _doc(provider="bar-service"), provider="bar-service", version="2")

    assert response.status_code == 201
    assert "bar-service" in _state(published)[0]


def test_contracts_publish_answers_409_with_error_notices_and_writes_nothing(published):
    before = _state(published)

    response = contracts_post(
        published.client(),
        contract(_doc(provider="Baz"), provider="Baz"),
        contract(_doc(provider="BarService"), provider="BarService"),
        version="2",
        branch="main",
        tags=["dev"],
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    text = _message("BarService", ["Bar Service"])
    assert response.json() == {"notices": [{"type": "error", "text": text}], "errors": {"contracts": [text]}}
    assert _state(published) == before


def test_contracts_publish_of_known_names_is_not_refused(published):
    response = contracts_post(
        published.client(), contract(_doc(provider="Bar Service"), provider="Bar Service"), version="2"
    )

    assert response.status_code == 200, response.content
    assert json.loads(response.content)["notices"][0]["text"] == "Created Foo version 2"


def test_a_first_publish_into_an_empty_broker_is_never_a_duplicate(acme):
    assert pact_put(acme.client(), _doc("Foo", "foo-service"), provider="foo-service").status_code == 201
