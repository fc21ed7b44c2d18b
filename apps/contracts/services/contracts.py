"""`POST /contracts/publish`: a consumer version, its branch and tags, and all its pacts in one go.

Validation and wording follow the broker's publish-contracts contract; the response `notices` are
the lines the Pact CLIs print, so their texts match the broker's `messages.*` locale entries.
"""
import base64
import binascii
from dataclasses import dataclass, field

from django.db import transaction

from apps.contracts import hooks
from apps.contracts.models import Pacticipant, Version
from apps.contracts.services import content as pact_content
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipants_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.pacts import (
    ModificationRefused,
    PactToWrite,
    PactWritten,
    integration_limits_check,
    modification_refused_message,
    pacts_write,
    published_events_schedule,
)
from apps.core.errors import Conflict, ValidationFailed
from apps.core.names import NAME_MAX_LENGTH, name_too_long
from apps.core.parsers import JSONTooDeep, json_object


@dataclass
class ContractToPublish:
    consumer_name: str
    provider_name: str
    doc: object
    merge: bool = False


@dataclass
class Notice:
    type: str
    text: str


@dataclass
class ContractsPublished:
    pacticipant: Pacticipant
    version: Version
    version_created: bool
    tags: list[str]
    written: list[PactWritten]
    notices: list[Notice] = field(default_factory=list)


def _single_line(value) -> bool:
    return isinstance(value, str) and "\n" not in value and "\r" not in value


def contracts_parse(body) -> dict:
    """Validate the request body; returns keyword arguments for `contracts_publish` or raises 400."""
    json_object(body)
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(message)

    for key in ("pacticipantName", "pacticipantVersionNumber"):
        value = body.get(key)
        if key not in body:
            fail(key, "is missing")
        elif not isinstance(value, str):
            fail(key, "must be a string")
        elif not value.strip():
            fail(key, "must be filled")
        elif name_too_long(value):  # bounded before any other check (apps/core/names.py)
            fail(key, f"size cannot be greater than {NAME_MAX_LENGTH}")
    if isinstance(body.get("pacticipantVersionNumber"), str) and not _single_line(body["pacticipantVersionNumber"]):
        fail("pacticipantVersionNumber", "cannot contain multiple lines")
    branch = body.get("branch")
    if branch is not None:
        if not isinstance(branch, str):
            fail("branch", "must be a string")
        elif not branch.strip():
            fail("branch", "cannot be blank")
        elif name_too_long(branch):
            fail("branch", f"size cannot be greater than {NAME_MAX_LENGTH}")
        elif not _single_line(branch):
            fail("branch", "cannot contain multiple lines")
    build_url = body.get("buildUrl")
    if build_url is not None and not isinstance(build_url, str):
        fail("buildUrl", "must be a string")
    elif build_url is not None and not _single_line(build_url):
        fail("buildUrl", "cannot contain multiple lines")
    tags = body.get("tags") or []
    if not isinstance(tags, list):
        fail("tags", "must be an array")
        tags = []
    for index, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            fail("tags", f"must be filled (at index {index})")
        elif name_too_long(tag):
            fail("tags", f"size cannot be greater than {NAME_MAX_LENGTH} (at index {index})")

    contracts = body.get("contracts")
    parsed = []
    if "contracts" not in body:
        fail("contracts", "is missing")
    elif not isinstance(contracts, list):
        fail("contracts", "must be an array")
    else:
        for index, contract in enumerate(contracts):
            item = _contract_parse(contract, index, body.get("pacticipantName"), fail)
            if item is not None:
                parsed.append(item)
    if errors:
        raise ValidationFailed(errors)
    return {
        "pacticipant_name": body["pacticipantName"],
        "version_number": body["pacticipantVersionNumber"],
        "branch": branch,
        "tags": tags,
        "build_url": build_url,
        "contracts": parsed,
    }


def _contract_parse(contract, index: int, pacticipant_name, fail) -> ContractToPublish | None:
    """One contract's checks, in the broker's order and with its texts: presence, allowed values,
    the content (Base64, JSON, an object, the names in it), then consumerName against
    pacticipantName. The broker reports all of them together."""
    at = f"(at index {index})"
    if not isinstance(contract, dict):
        fail("contracts", f"must be a hash {at}")
        return None
    ok = True
    for key in ("consumerName", "providerName", "content", "contentType", "specification"):
        value = contract.get(key)
        if key not in contract:
            fail("contracts", f"{key} is missing {at}")
            ok = False
        elif key in ("consumerName", "providerName", "content") and (not isinstance(value, str)
                                                                      or not value.strip()):
            fail("contracts", f"{key} must be filled {at}")
            ok = False
        elif key != "content" and name_too_long(value):
            fail("contracts", f"{key} size cannot be greater than {NAME_MAX_LENGTH} {at}")
            ok = False
    if "contentType" in contract and contract["contentType"] != "application/json":
        fail("contracts", f"contentType must be one of: application/json {at}")
        ok = False
    if "specification" in contract and contract["specification"] != "pact":
        fail("contracts", f"specification must be one of: pact {at}")
        ok = False
    on_conflict = contract.get("onConflict", "overwrite")
    if on_conflict not in ("overwrite", "merge"):
        fail("contracts", f"onConflict must be one of: overwrite, merge {at}")
        ok = False
    consumer_name = contract.get("consumerName")
    doc = _content_parse(contract, at, fail)
    if doc is None:
        ok = False
    elif ok:  # the names inside the content are compared only with names that are themselves valid
        for role, key in (("consumer", "consumerName"), ("provider", "providerName")):
            in_content = pact_content.pacticipant_name_in(doc, role)
            expected = contract.get(key)
            if in_content is not None and isinstance(expected, str) and in_content != expected:
                fail("contracts", f"{role} name in contract content ('{in_content}') must match {key} in contract "
                                  f"params ('{expected}') {at}")
                ok = False
                break
    if isinstance(pacticipant_name, str) and isinstance(consumer_name, str) and consumer_name != pacticipant_name:
        fail("contracts", f"consumerName ('{consumer_name}') must match pacticipantName ('{pacticipant_name}') {at}")
        ok = False
    if not ok:
        return None
    return ContractToPublish(consumer_name, contract["providerName"], doc, merge=on_conflict == "merge")


def _content_parse(contract: dict, at: str, fail) -> dict | None:
    content = contract.get("content")
    if not isinstance(content, str):
        fail("contracts", f"is not valid Base64 {at}")
        return None
    try:
        decoded = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        # the broker then still tries to parse what it decoded, and says so too
        fail("contracts", f"is not valid Base64 {at}")
        fail("contracts", f"content could not be parsed as application/json {at}")
        return None
    try:
        doc = pact_content.pact_parse(decoded)
    except pact_content.ContentError as exc:
        if "UTF-8" in str(exc):
            message = "contains a non UTF-8 character"
        elif isinstance(exc.__cause__, JSONTooDeep):
            message = f"content is invalid: {exc}"
        else:
            message = "content could not be parsed as application/json"
        fail("contracts", f"{message} {at}")
        return None
    if not isinstance(doc, dict):
        fail("contracts", f"parsed content was expected to be a Hash but was a {_ruby_class(doc)} {at}")
        return None
    return doc


def _ruby_class(value) -> str:
    """The Ruby class name the broker's message shows for a parsed JSON value."""
    if isinstance(value, bool):
        return "TrueClass" if value else "FalseClass"
    return {list: "Array", str: "String", int: "Integer", float: "Float", type(None): "NilClass"}.get(
        type(value), type(value).__name__)


def _version_notice(created: bool, name: str, number: str, branch: str | None, tags: list[str]) -> Notice:
    action = "Created" if created else "Updated"
    text = f"{action} {name} version {number}"
    if branch:
        text += f" with branch {branch}"
    if tags:
        text += f" {'and' if branch else 'with'} tags {', '.join(tags)}"
    return Notice("debug", text)


def contracts_publish(*, pacticipant_name: str, version_number: str, contracts: list[ContractToPublish],
                      branch: str | None = None, tags: list[str] | tuple = (), build_url: str | None = None,
                      pact_url) -> ContractsPublished:
    """Publish a consumer version's contracts in one transaction.

    `pact_url(consumer, provider, version_number)` builds the pact URL shown in the notices. Raises
    Conflict (409, the broker's `{notices, errors: {contracts}}` body) when content would change for
    an existing version while modification is not allowed.
    """
    tags = list(tags)
    # No savepoint: inside a request's transaction any failure rolls the whole request back.
    with transaction.atomic(savepoint=False):
        integration_limits_check(consumer_name=pacticipant_name, provider_names=[c.provider_name for c in contracts])
        pacticipants = pacticipants_find_or_create(names=[pacticipant_name, *[c.provider_name for c in contracts]])
        consumer = pacticipants[pacticipant_name]
        found = version_find_or_create(pacticipant=consumer, number=version_number, build_url=build_url)
        if branch:
            branch_version_find_or_create(version=found.version, branch_name=branch)
        tags_find_or_create(found=found, names=tags, branch_given=bool(branch))
        to_write = [PactToWrite(pacticipants[c.provider_name], c.doc, c.merge) for c in contracts]
        try:
            written = pacts_write(consumer=consumer, found=found, pacts=to_write, merge_may_modify=False)
        except ModificationRefused as refused:
            raise Conflict(_conflict_body(pacticipant_name, version_number, refused),
                           content_type="application/json;charset=utf-8")
        published_events_schedule(consumer=consumer, version=found.version, written=written, branch=branch,
                                  tags=tuple(tags), build_url=build_url)
        notices = [_version_notice(found.created, pacticipant_name, version_number, branch, tags)]
        if not branch:
            notices.append(Notice("prompt", "  Next steps:\n    Configure the version branch to be the value of "
                                            "your repository branch."))
        verified_providers = _providers_with_verifications(consumer, [w.provider for w in written])
        for item in written:
            notices.extend(_pact_notices(item, pacticipant_name, version_number,
                                         pact_url(pacticipant_name, item.provider.name, version_number),
                                         item.provider.pk in verified_providers))
    return ContractsPublished(pacticipant=consumer, version=found.version, version_created=found.created,
                              tags=tags, written=written, notices=notices)


def _conflict_body(consumer: str, version: str, refused: ModificationRefused) -> dict:
    notices = []
    for conflict in refused.conflicts:
        text = modification_refused_message(consumer, version, conflict.provider.name)
        notices.append({"type": "error", "text": text})
        notices.append({"type": "info", "text": conflict.diff})
    return {"notices": notices,
            "errors": {"contracts": [n["text"] for n in notices if n["type"] == "error"]}}


def _providers_with_verifications(consumer: Pacticipant, providers: list[Pacticipant]) -> set[int]:
    return hooks.providers_verified(consumer_id=consumer.pk, provider_ids=[p.pk for p in providers])


def _pact_notices(item: PactWritten, consumer: str, version: str, url: str, verified: bool) -> list[Notice]:
    provider = item.provider.name
    where = f"for {consumer} version {version} and provider {provider}"
    # "cicumstances" is the broker's own spelling; CLIs and users grep these texts.
    if item.merged:
        notices = [Notice("success", f"Pact content merged with existing content {where}.")]
    elif item.content_changed:
        notices = [Notice("warning", f"Pact with changed content published over existing content {where}. This "
                                     "is not recommended in normal cicumstances and may indicate that you have not "
                                     "configured your Pact pipeline correctly. For more information see "
                                     "https://docs.pact.io/go/versioning")]
    elif item.existed:
        notices = [Notice("success", f"Pact successfully republished {where} with no content changes.")]
    else:
        notices = [Notice("success", f"Pact successfully published {where}.")]
    notices.append(Notice("debug", f"  View the published pact at {url}"))
    steps = []
    if not verified:
        steps.append(Notice("prompt", f"    * Add Pact verification tests to the {provider} build. "
                                      "See https://docs.pact.io/go/provider_verification"))
    # Until webhooks exist there is never one configured, so the broker's webhook prompt always shows.
    steps.append(Notice("prompt", f"    * Configure separate {provider} pact verification build and webhook to "
                                  "trigger it when the pact content changes. See https://docs.pact.io/go/webhooks"))
    return notices + [Notice("prompt", "  Next steps:")] + steps
