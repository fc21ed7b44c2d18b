"""The request body of `POST .../verification-results`, parsed into `verification_record`'s arguments."""

from urllib.parse import urlparse

from django.utils.dateparse import parse_datetime

from apps.contracts.semver import version_number_error
from apps.core.errors import ValidationFailed
from apps.core.names import NAME_MAX_LENGTH, name_too_long
from apps.core.parsers import json_object


def verification_params_parse(body) -> dict:
    """Validate the request body (the broker's verification contract); 400 on errors."""
    json_object(body)
    errors: dict[str, list[str]] = {}
    if "success" not in body:
        errors["success"] = ["is missing"]
    elif not isinstance(body["success"], bool):
        errors["success"] = ["must be boolean"]
    number = body.get("providerApplicationVersion")
    if "providerApplicationVersion" not in body:
        errors["providerApplicationVersion"] = ["is missing"]
    elif not isinstance(number, str) or not number.strip():
        errors["providerApplicationVersion"] = ["must be filled"]
    elif name_too_long(number):  # bounded before the semantic version regexes
        errors["providerApplicationVersion"] = [f"size cannot be greater than {NAME_MAX_LENGTH}"]
    elif message := version_number_error(number):
        errors["providerApplicationVersion"] = [message]  # only with semantic version ordering
    build_url = body.get("buildUrl")
    if build_url is not None:
        parsed = urlparse(build_url) if isinstance(build_url, str) else None
        if parsed is None or not (parsed.scheme and parsed.netloc):
            errors["buildUrl"] = ["is not a valid URL eg. http://example.org"]
    execution_date = None
    if body.get("verificationDate") is not None:
        execution_date = parse_datetime(str(body["verificationDate"]))
        if execution_date is None:
            errors["verificationDate"] = ["must be a date time"]
    if errors:
        raise ValidationFailed(errors)
    verified_by = body.get("verifiedBy") if isinstance(body.get("verifiedBy"), dict) else {}
    client = verified_by.get("clientLanguage") if isinstance(verified_by.get("clientLanguage"), dict) else {}
    return {
        "success": body["success"],
        "provider_version_number": number,
        "build_url": build_url,
        "test_results": body.get("testResults"),
        "execution_date": execution_date,
        "verified_by": {
            "implementation": verified_by.get("implementation"),
            "version": verified_by.get("version"),
            "client_implementation": client.get("name"),
            "client_version": client.get("version"),
            "client_test_framework": client.get("testFramework"),
        },
    }
