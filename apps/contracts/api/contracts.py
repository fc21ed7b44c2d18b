"""The request bodies of the contracts API, checked with the broker's rules and messages.

Pacticipant and version bodies: errors come back as `{"errors": {"<property>": ["<message>"]}}`
(the broker's short messages, first message per property). The publish-contracts body
(`POST /contracts/publish`) is parsed into the typed keyword arguments of `contracts_publish`; its
errors are all reported together, in the broker's order and with its texts.
"""

import base64
import binascii

from apps.contracts.services import content as pact_content
from apps.contracts.services.contracts import ContractToPublish
from apps.core.errors import ValidationFailed
from apps.core.names import NAME_MAX_LENGTH, name_too_long
from apps.core.parsers import JSONTooDeep, json_object

# API property -> model field, for the pacticipant properties a user may set.
PACTICIPANT_ATTRIBUTES = {
    "displayName": "display_name",
    "repositoryUrl": "repository_url",
    "repositoryName": "repository_name",
    "repositoryNamespace": "repository_namespace",
    "mainBranch": "main_branch",
}

# Pacticipant attributes stored in 255-character columns (repositoryUrl is unbounded text).
BOUNDED_ATTRIBUTES = ("displayName", "repositoryName", "repositoryNamespace", "mainBranch")


def _single_line(value: str) -> bool:
    return "\n" not in value and "\r" not in value


def pacticipant_errors(body: dict, *, creating: bool) -> dict:
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, [message])

    # Bounded before anything else runs on them (apps/core/names.py); all are 255-character columns.
    for key in ("name", *BOUNDED_ATTRIBUTES):
        if name_too_long(body.get(key)):
            fail(key, f"size cannot be greater than {NAME_MAX_LENGTH}")

    name = body.get("name")
    if creating and "name" not in body:
        fail("name", "is missing")
    if "name" in body and "name" not in errors:
        if not isinstance(name, str):
            fail("name", "must be a string")
        elif not name.strip():
            fail("name", "must be filled")
        elif not _single_line(name):
            # the broker checks this twice (two rules) and so says it twice
            errors["name"] = ["cannot contain multiple lines", "cannot contain multiple lines"]
    for key in PACTICIPANT_ATTRIBUTES:
        value = body.get(key)
        if value is None or key in errors:
            continue
        if not isinstance(value, str):
            fail(key, "must be a string")
        elif not _single_line(value):
            fail(key, "cannot contain multiple lines")
        elif key == "displayName" and not value.strip():
            fail(key, "can't be blank")
        elif key == "mainBranch" and " " in value:
            fail(key, "cannot contain spaces")
    return errors


def pacticipant_attributes(body: dict, *, creating: bool = False) -> dict[str, str | None]:
    """The settable properties the body gives, by model field (the `attributes` of the pacticipant
    services), or ValidationFailed (400)."""
    errors = pacticipant_errors(body, creating=creating)
    if errors:
        raise ValidationFailed(errors)
    return {field: body.get(key) for key, field in PACTICIPANT_ATTRIBUTES.items() if key in body}


def version_input(body: dict, *, replace: bool) -> dict:
    """The keyword arguments of `version_create_or_update` for a PUT (`replace`: an absent buildUrl
    becomes null) or PATCH (only the properties given) body, or ValidationFailed (400)."""
    _version_validate(body)
    arguments = {}
    if replace or "buildUrl" in body:
        arguments["build_url"] = body.get("buildUrl")
    if "tags" in body:
        arguments["tag_names"] = [tag["name"] for tag in body["tags"] or []]
    return arguments


def _version_validate(body: dict) -> None:
    errors: dict[str, list[str]] = {}
    build_url = body.get("buildUrl")
    if isinstance(build_url, int | float) and not isinstance(build_url, bool):
        build_url = body["buildUrl"] = str(build_url)  # the broker keeps a number as its text
    if build_url is not None and not isinstance(build_url, str):
        errors["buildUrl"] = ["buildUrl must be a string"]
    tags = body.get("tags")
    if tags is not None:
        if not isinstance(tags, list):
            errors["tags"] = ["tags must be an array"]
        else:
            for index, tag in enumerate(tags):
                name = tag.get("name") if isinstance(tag, dict) else None
                if not isinstance(name, str) or not name.strip():
                    errors.setdefault("tags", []).append(f"tags name can't be blank (at index {index})")
                elif name_too_long(name):
                    errors.setdefault("tags", []).append(
                        f"tags name size cannot be greater than {NAME_MAX_LENGTH} (at index {index})"
                    )
    if errors:
        raise ValidationFailed(errors)


def contracts_parse(body) -> dict:
    """Check a publish-contracts body; return the keyword arguments of `contracts_publish` (its
    `contracts` parsed into `ContractToPublish`) or raise ValidationFailed (400)."""
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
        elif key in ("consumerName", "providerName", "content") and (not isinstance(value, str) or not value.strip()):
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
                fail(
                    "contracts",
                    f"{role} name in contract content ('{in_content}') must match {key} in contract "
                    f"params ('{expected}') {at}",
                )
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
        type(value), type(value).__name__
    )
