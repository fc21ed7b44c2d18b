"""The input contracts of provider contract publication: the bodies of PactFlow's
`POST /provider-contracts/provider/{p}/publish` and of the older `PUT /contracts/provider/{p}/version/{v}`,
read into the typed arguments of `provider_contract_publish`, or a 400 with the errors by field."""

import base64
import binascii

from apps.core.errors import ValidationFailed
from apps.core.parsers import json_object
from apps.provider_contracts.services.publish import ContractToPublish

SPECIFICATIONS = ("oas",)


def _single_line(value) -> bool:
    return isinstance(value, str) and "\n" not in value and "\r" not in value


def _text_field(body: dict, key: str, fail, *, at: str = "", required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            fail(key, f"is missing{at}")
        return None
    if not isinstance(value, str):
        fail(key, f"must be a string{at}")
        return None
    if required and not value.strip():
        fail(key, f"cannot be blank.{at}")
        return None
    return value


def _decode(value: str, key: str, fail) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        fail(key, "is not valid Base64")
        return None


def _self_verification_parse(results, prefix: str, fail) -> dict:
    if results is None:
        return {}
    if not isinstance(results, dict):
        fail(prefix, "must be an object")
        return {}
    parsed = {}
    success = results.get("success")
    if success is not None and not isinstance(success, bool):
        fail(f"{prefix}.success", "must be a boolean")
    parsed["success"] = success if isinstance(success, bool) else None
    for key in ("content", "contentType", "format", "verifier", "verifierVersion"):
        value = results.get(key)
        if value is not None and not isinstance(value, str):
            fail(f"{prefix}.{key}", "must be a string")
            value = None
        parsed[key] = value
    if parsed["content"] is not None:
        raw = _decode(parsed["content"], f"{prefix}.content", fail)
        parsed["content"] = None if raw is None else raw.decode("utf-8", errors="replace")
    return {
        "success": parsed["success"],
        "content": parsed["content"],
        "content_type": parsed["contentType"],
        "format": parsed["format"],
        "verifier": parsed["verifier"],
        "verifier_version": parsed["verifierVersion"],
    }


def _contract_parse(
    contract: dict, fail, *, prefix: str, specification_key: str, results_key: str
) -> ContractToPublish | None:
    content = _text_field(contract, "content", lambda k, m: fail(f"{prefix}{k}", m), required=True)
    content_type = _text_field(contract, "contentType", lambda k, m: fail(f"{prefix}{k}", m))
    specification = contract.get(specification_key, "oas")
    if specification not in SPECIFICATIONS:
        fail(f"{prefix}{specification_key}", f"must be one of: {', '.join(SPECIFICATIONS)}")
    results = _self_verification_parse(contract.get(results_key), f"{prefix}{results_key}", fail)
    raw = _decode(content, f"{prefix}content", fail) if content is not None else None
    if raw is None:
        return None
    return ContractToPublish(
        content=raw, content_type=content_type, specification=specification or "oas", self_verification=results
    )


def publish_params_parse(body) -> dict:
    """The body of `POST /provider-contracts/provider/{p}/publish`; keyword arguments for
    `provider_contract_publish`, or a 400 with the errors by field."""
    json_object(body)
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(message)

    number = _text_field(body, "pacticipantVersionNumber", fail, required=True)
    if number is not None and not _single_line(number):
        fail("pacticipantVersionNumber", "cannot contain multiple lines")
    branch = _text_field(body, "branch", fail)
    if branch is not None and (not branch.strip() or not _single_line(branch)):
        fail("branch", "cannot be blank." if not branch.strip() else "cannot contain multiple lines")
    build_url = _text_field(body, "buildUrl", fail)
    tags = body.get("tags") or []
    if not isinstance(tags, list):
        fail("tags", "must be an array")
        tags = []
    for index, tag in enumerate(tags):
        if not isinstance(tag, str) or not tag.strip():
            fail("tags", f"cannot be blank. (at index {index})")
    contract = body.get("contract")
    parsed = None
    if contract is None:
        fail("contract", "is missing")
    elif not isinstance(contract, dict):
        fail("contract", "must be an object")
    else:
        parsed = _contract_parse(
            contract, fail, prefix="contract.", specification_key="specification", results_key="selfVerificationResults"
        )
    if errors:
        raise ValidationFailed(errors)
    return {"version_number": number, "branch": branch, "tags": tags, "build_url": build_url, "contract": parsed}


def legacy_params_parse(body) -> dict:
    """The body of the older `PUT /contracts/provider/{p}/version/{v}` (branch and tags are set by
    the client with separate calls)."""
    json_object(body)
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(message)

    parsed = _contract_parse(body, fail, prefix="", specification_key="contractType", results_key="verificationResults")
    if errors:
        raise ValidationFailed(errors)
    return {"contract": parsed}
