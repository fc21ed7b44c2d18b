"""The differential harness: scenarios, placeholders, normalisation and comparison.

A scenario is a request sequence: `setup` steps build the data (only their status is compared),
`steps` are the requests under test (status, content type, the headers clients read and the
normalised body are compared). The same scenario is run against the open-source broker by
`python -m tests.compat.record` (which writes the golden files) and against our server by
tests/compat/test_replay.py. Nothing here imports Django: the recorder runs without it.

Placeholders: `{{name}}` in a step's path, headers or body is replaced by a value captured from an
earlier response of the same run (`capture={"name": "json.path"}`, `"header:Location"`, a `|last`
suffix keeps the last path segment), so environment uuids, webhook uuids and pact SHAs flow from
one request to the next on either server.

Normalisation (applied to both sides before comparing): the base URL becomes `{base}`; captured
values become `{{name}}`; timestamps keep their shape with digits masked (`+00:00` versus `Z` still
differs); uuids, verification numbers, triggered-webhook ids and the consumer-version ids inside
pact metadata segments become placeholders; the 500 error reference is masked.
"""

from __future__ import annotations

import base64
import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

# Headers a client reads, compared when either side sends them.
COMPARED_HEADERS = ("Location", "Allow", "X-Pact-Consumer-Version")


@dataclass
class Step:
    method: str
    path: str
    body: Any = None  # dict/list: JSON; str/bytes: sent as is; None: no body
    headers: dict[str, str | None] = field(default_factory=dict)
    capture: dict[str, str] = field(default_factory=dict)
    body_mode: str = "full"  # "full" | "none" (status and headers only, e.g. HTML pages)

    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Scenario:
    id: str
    steps: list[Step]
    setup: list[Step] = field(default_factory=list)
    doc: str = ""


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes


Send = Callable[[str, str, dict[str, str], bytes | None], Response]


def request_headers(step: Step) -> dict[str, str]:
    headers = {"Accept": "application/hal+json"}
    if step.body is not None:
        headers["Content-Type"] = "application/json"
    for name, value in step.headers.items():
        headers.pop(name, None)
        if value is not None:
            headers[name] = value
    return headers


def _substitute(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_substitute(v, values) for v in value]
    if isinstance(value, dict):
        return {_substitute(k, values): _substitute(v, values) for k, v in value.items()}
    return value


def _encode_body(body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _dig(document: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(document, list):
            document = document[int(part)]
        else:
            document = document[part]
    return document


def _capture(spec: str, response: Response) -> str | None:
    spec, _, transform = spec.partition("|")
    try:
        if spec.startswith("header:"):
            value = response.headers.get(spec[7:].lower())
        else:
            value = _dig(json.loads(response.body), spec)
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if value is None:
        return None
    value = str(value)
    if transform == "last":
        value = unquote(value.rstrip("/").rsplit("/", 1)[-1])
    return value


# ---------------------------------------------------------------------------------------------
# Normalisation

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}| UTC)?")
UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
METADATA = re.compile(r"/metadata/([A-Za-z0-9_%=-]+)")
VERIFICATION_NUMBER = re.compile(r"/verification-results/(\d+)")
TRIGGERED = re.compile(r"/triggered-webhooks/([A-Za-z0-9_-]+)")
WEBHOOK_UUID = re.compile(r"/webhooks/[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])")
# The verification number inside a link name ("Verification result 230 for ..."): the same sequence
# number the href carries (masked as `{n}` there); the reference's counts every scenario it recorded.
VERIFICATION_TITLE = re.compile(r"^Verification result \d+ for ")
# The day in a version's link title ("Version 1.0.0 - 07/12/2026"): the wall-clock date of the version's
# creation, so the recording day on the reference's side and today on ours.
VERSION_TITLE_DATE = re.compile(r"^(Version .+ - )\d{2}/\d{2}/\d{4}$")
REFERENCE = re.compile(r"reference:? [A-Za-z0-9]{6,}|\"reference\": ?\"[A-Za-z0-9]+\"")


def _mask_timestamp(match: re.Match) -> str:
    return re.sub(r"\d", "9", match.group(0))


def _metadata(match: re.Match) -> str:
    raw = unquote(match.group(1))
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return match.group(0)
    # consumer version ids (cv) differ between databases; numbers, tags and flags do not
    decoded = re.sub(r"(\bcv\]?=)\d+", r"\1{id}", unquote(decoded))
    return "/metadata/{" + decoded + "}"


class Normaliser:
    def __init__(self, base: str, values: dict[str, str]):
        self.base = base.rstrip("/")
        # longest first so that a value inside another does not break it
        self.values = sorted(((v, k) for k, v in values.items() if v and len(v) >= 6), key=lambda item: -len(item[0]))

    def text(self, text: str) -> str:
        text = text.replace(self.base, "{base}").replace(quote(self.base, safe=""), "{base}")
        for value, name in self.values:
            if not re.fullmatch(r"[0-9a-f]{40}", value):  # SHAs are content hashes: equal on both sides
                text = text.replace(value, "{{" + name + "}}")
        text = METADATA.sub(_metadata, text)
        text = VERIFICATION_NUMBER.sub("/verification-results/{n}", text)
        text = TRIGGERED.sub("/triggered-webhooks/{uuid}", text)
        text = TIMESTAMP.sub(_mask_timestamp, text)
        text = UUID.sub("{uuid}", text)
        return REFERENCE.sub("reference {ref}", text)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {
                self.text(k): "{ref}" if k == "reference" and isinstance(v, str) else self.value(v)
                for k, v in value.items()
            }
        return value

    def response(self, step: Step, response: Response) -> dict:
        content_type = response.headers.get("content-type")
        result: dict[str, Any] = {
            "request": self.text(step.label()),
            "status": response.status,
            "content_type": content_type,
        }
        headers = {
            name: self.text(response.headers[name.lower()])
            for name in COMPARED_HEADERS
            if name.lower() in response.headers
        }
        if headers:
            result["headers"] = headers
        result["body"] = self.body(step, content_type or "", response.body)
        return result

    def body(self, step: Step, content_type: str, body: bytes) -> Any:
        if step.body_mode == "none":
            return None
        if not body:
            return ""
        if "html" in content_type:
            return "<html>"
        text = body.decode("utf-8", errors="replace")
        if "json" in content_type:
            try:
                return {"json": self.value(json.loads(text))}
            except ValueError:
                pass
        return self.text(text)


# ---------------------------------------------------------------------------------------------
# Running and comparing


def run(scenario: Scenario, send: Send, base: str) -> dict:
    """Run a scenario; return its normalised record: setup statuses and step responses."""
    values: dict[str, str] = {}
    raw: list[tuple[Step, Response]] = []
    setup_statuses = []
    for index, step in enumerate(scenario.setup + scenario.steps):
        path = _substitute(step.path, values)
        headers = _substitute(request_headers(step), values)
        body = _encode_body(_substitute(step.body, values))
        response = send(step.method, path, headers, body)
        for name, spec in step.capture.items():
            captured = _capture(spec, response)
            if captured is not None:
                values[name] = captured
        if index < len(scenario.setup):
            setup_statuses.append(response.status)
        else:
            raw.append((step, response))
    normaliser = Normaliser(base, values)
    return {"setup": setup_statuses, "steps": [normaliser.response(step, response) for step, response in raw]}


def _pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()


RELATIONSHIPS_CSV = re.compile(r"(?:\d+,[^,\n]*,1,1,0,\d+(?:,\d+)*\n)+")


def _mask_relationship_ids(text: str) -> str:
    """The broker's relationships CSV carries database ids (first column, and the provider ids after
    the sixth): each becomes `{idN}`, numbered by first appearance, so the structure still compares."""
    ids: dict[str, str] = {}

    def mask(value: str) -> str:
        if value == "0":
            return value
        return ids.setdefault(value, f"{{id{len(ids) + 1}}}")

    lines = []
    for line in text.splitlines():
        fields = line.split(",")
        lines.append(",".join([mask(fields[0]), *fields[1:6], *(mask(f) for f in fields[6:])]))
    return "\n".join(lines) + "\n"


def _late_mask(value: Any) -> Any:
    """Masks added after some golden files were recorded, applied to both sides when comparing:
    the 500 error reference, the random uuids of webhooks created without a capture, the database
    ids in the relationships CSV, the verification number in a verification's link name, the day in
    a version's link title."""
    if isinstance(value, str):
        if RELATIONSHIPS_CSV.fullmatch(value):
            return _mask_relationship_ids(value)
        value = VERIFICATION_TITLE.sub("Verification result {n} for ", value)
        value = VERSION_TITLE_DATE.sub(r"\1{dd/mm/yyyy}", value)
        return WEBHOOK_UUID.sub("/webhooks/{uuid}", value)
    if isinstance(value, list):
        return [_late_mask(v) for v in value]
    if isinstance(value, dict):
        return {
            k: "{ref}"
            if k == "reference" and isinstance(v, str)
            else "{uuid}"
            if k == "uuid" and isinstance(v, str) and WEBHOOK_UUID.fullmatch(f"/webhooks/{v}")
            else _late_mask(v)
            for k, v in value.items()
        }
    return value


def compare(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences between a golden record and ours (empty when they agree)."""
    expected, actual = _late_mask(expected), _late_mask(actual)
    diffs = []
    if expected["setup"] != actual["setup"]:
        diffs.append(f"setup statuses: reference {expected['setup']}, ours {actual['setup']}")
    for index, (want, got) in enumerate(zip(expected["steps"], actual["steps"], strict=True)):
        where = f"step {index} ({want['request']})"
        if want["status"] != got["status"]:
            diffs.append(f"{where}: status reference {want['status']}, ours {got['status']}")
        if want["content_type"] != got["content_type"]:
            diffs.append(f"{where}: content type reference {want['content_type']!r}, ours {got['content_type']!r}")
        if want.get("headers", {}) != got.get("headers", {}):
            diffs.append(f"{where}: headers reference {want.get('headers', {})}, ours {got.get('headers', {})}")
        if want["body"] != got["body"]:
            diff = difflib.unified_diff(
                _pretty(want["body"]), _pretty(got["body"]), "reference", "ours", lineterm="", n=2
            )
            diffs.append(f"{where}: body\n" + "\n".join(list(diff)[:80]))
    return diffs
