"""A pact document made readable: interactions and messages of every Pact specification version,
and a line diff between two pacts.

- V1/V2: `interactions[]` with `providerState`, request `query` as a string.
- V3: `providerStates[]` (name and params), request `query` as a map of lists, `messages[]` with
  `contents` and `metadata`.
- V4: `interactions[]` with a `type`: "Synchronous/HTTP" (bodies wrapped as `{content, contentType,
  encoded}`), "Asynchronous/Messages" (`contents`, `metadata`), "Synchronous/Messages" (a
  `request` message and a list of `response` messages); `pending` and `comments` may be present.
Anything unknown is still shown, as JSON, rather than dropped. Plugin interactions (V4 with
`pluginConfiguration`, e.g. gRPC through the protobuf plugin) show their plugin, transport and
`interactionMarkup` (CommonMark, rendered with raw HTML off); their binary contents are decoded by
`apps/ui/pact_contents.py` (protobuf as JSON when the pact holds the descriptors, else hex).
"""

import difflib
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from apps.ui.pact_contents import contents as decoded_contents
from apps.ui.pact_contents import plugin_descriptors, pretty

# CommonMark with raw HTML off: a pact's markup is the publisher's text, so any HTML in it is shown
# as text; markdown-it also refuses javascript:/data: link targets.
MARKUP = MarkdownIt("commonmark", {"html": False})


@dataclass
class Part:
    """A request, response or message: a title line, headers/metadata, and a body."""

    title: str = ""
    headers: dict = field(default_factory=dict)
    body: str | None = None
    content_type: str = ""  # of a V4 body or message contents
    note: str = ""  # how binary contents were decoded (apps/ui/pact_contents.py)


@dataclass
class Interaction:
    kind: str  # http | message | sync-message | other
    description: str
    states: list[dict]  # [{"name": ..., "params": ...}]
    request: Part | None = None
    responses: list[Part] = field(default_factory=list)
    pending: bool = False
    comments: list[str] = field(default_factory=list)
    # Matching rules: (where, path, rule) such as ("Response body", "$.id", "type"), so a reader
    # sees which values are examples and which must match exactly.
    rules: list[tuple[str, str, str]] = field(default_factory=list)
    outcome: object = None  # its Case in the latest verification (apps/ui/verification_results.py)
    plugin: str = ""  # "protobuf (service Calculator/calculateOne)" for V4 plugin interactions
    transport: str = ""  # "grpc"
    markup: SafeString | None = None  # interactionMarkup rendered as HTML

    @property
    def shown_as_hex(self) -> bool:
        """Some contents could not be decoded: the plugin's markup is then opened beside the hex."""
        parts = [self.request, *self.responses]
        return any(part is not None and "shown as hex" in part.note for part in parts)


@dataclass
class PactDocument:
    consumer: str
    provider: str
    specification: str
    interactions: list[Interaction]
    metadata: dict
    raw: str  # pretty-printed JSON
    error: str | None = None


def _query(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return "?" + value
    if isinstance(value, dict):
        pairs = []
        for key, values in value.items():
            for item in values if isinstance(values, list) else [values]:
                pairs.append((key, item))
        return "?" + urlencode(pairs)
    return ""


def _headers(value) -> dict:
    if not isinstance(value, dict):
        return {}
    return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in value.items()}


def _states(item: dict) -> list[dict]:
    if isinstance(item.get("providerStates"), list):
        return [
            {"name": s.get("name", ""), "params": pretty(s["params"]) if s.get("params") else None}
            for s in item["providerStates"]
            if isinstance(s, dict)
        ]
    if item.get("providerState") or item.get("provider_state"):
        return [{"name": item.get("providerState") or item.get("provider_state"), "params": None}]
    return []


def _part(title: str, headers: dict, value, plugin: dict) -> Part:
    shown = decoded_contents(value, **plugin)
    if shown is None:
        return Part(title, headers)
    return Part(title, headers, shown.text, shown.content_type, shown.note)


def _http(item: dict, plugin: dict) -> Interaction:
    request = item.get("request") if isinstance(item.get("request"), dict) else {}
    response = item.get("response") if isinstance(item.get("response"), dict) else {}
    return Interaction(
        kind="http",
        description=str(item.get("description", "")),
        states=_states(item),
        request=_part(
            f"{request.get('method', 'GET').upper()} {request.get('path', '/')}{_query(request.get('query'))}",
            _headers(request.get("headers")),
            request.get("body"),
            plugin,
        ),
        responses=[
            _part(str(response.get("status", "")), _headers(response.get("headers")), response.get("body"), plugin)
        ],
    )


def _metadata(value) -> dict:
    """A message's metadata (topic, contentType, Kafka keys…): strings as they are, the rest as JSON."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in value.items()}


def _message_part(message: dict, title: str, plugin: dict) -> Part:
    contents = message.get("contents", message.get("content"))
    return _part(title, _metadata(message.get("metadata") or message.get("metaData")), contents, plugin)


def _markup(item: dict) -> SafeString | None:
    markup = item.get("interactionMarkup")
    if not isinstance(markup, dict) or not isinstance(markup.get("markup"), str) or not markup["markup"].strip():
        return None
    if str(markup.get("markupType") or "COMMON_MARK").upper() == "HTML":
        # Raw HTML from a publisher is never put into the page: shown as its text.
        return mark_safe(f"<pre><code>{escape(markup['markup'])}</code></pre>")
    return mark_safe(MARKUP.render(markup["markup"]))  # raw HTML off (MARKUP above): escaped


def _plugin(item: dict) -> tuple[str, str]:
    """("protobuf (service Calculator/calculateOne)", descriptor key) of a V4 plugin interaction."""
    configuration = item.get("pluginConfiguration")
    if not isinstance(configuration, dict) or not configuration:
        return "", ""
    names, key = [], ""
    for name, settings in configuration.items():
        settings = settings if isinstance(settings, dict) else {}
        key = key or str(settings.get("descriptorKey") or "")
        service = settings.get("service")
        names.append(f"{name} (service {service})" if service else str(name))
    return ", ".join(names), key


def _interaction(item, *, in_messages: bool, descriptors: dict) -> Interaction:
    if not isinstance(item, dict):
        return Interaction("other", "", [], request=Part("", {}, pretty(item)))
    kind = item.get("type")
    plugin_name, descriptor_key = _plugin(item)
    plugin = {"descriptors": descriptors, "descriptor_key": descriptor_key}
    if kind == "Synchronous/Messages":
        request = item.get("request") if isinstance(item.get("request"), dict) else {}
        responses = item.get("response") if isinstance(item.get("response"), list) else []
        found = Interaction(
            "sync-message",
            str(item.get("description", "")),
            _states(item),
            request=_message_part(request, "", plugin),
            responses=[_message_part(r, "", plugin) for r in responses if isinstance(r, dict)],
        )
    elif kind == "Asynchronous/Messages" or (in_messages and kind is None):
        found = Interaction(
            "message", str(item.get("description", "")), _states(item), request=_message_part(item, "", plugin)
        )
    elif kind in (None, "Synchronous/HTTP"):
        found = _http(item, plugin)
    else:
        found = Interaction(
            "other", str(item.get("description", "")), _states(item), request=Part(kind, {}, pretty(item))
        )
    found.plugin, found.transport = plugin_name, str(item.get("transport") or "")
    found.markup = _markup(item)
    if found.kind == "http":
        for side, where in (("request", "Request"), ("response", "Response")):
            part = item.get(side) if isinstance(item.get(side), dict) else {}
            found.rules += _rules(part.get("matchingRules"), where)
    elif found.kind == "sync-message":
        request = item.get("request") if isinstance(item.get("request"), dict) else {}
        found.rules += _rules(request.get("matchingRules"), "Request")
        for response in item.get("response") if isinstance(item.get("response"), list) else []:
            if isinstance(response, dict):
                found.rules += _rules(response.get("matchingRules"), "Response")
    else:
        found.rules += _rules(item.get("matchingRules"), "Message")
    found.pending = bool(item.get("pending"))
    comments = item.get("comments")
    if isinstance(comments, dict):
        found.comments = [str(t) for t in comments.get("text") or []]
    return found


def _matcher_text(matcher) -> str:
    if not isinstance(matcher, dict):
        return str(matcher)
    name = str(matcher.get("match") or "type")
    extras = [
        f"{key} {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}"
        for key, value in matcher.items()
        if key != "match"
    ]
    return name + (f" ({', '.join(extras)})" if extras else "")


def _rule_text(rule) -> str:
    """A V3/V4 rule (`{"matchers": [...], "combine": "AND"}`) or a V2 one (`{"match": "type"}`)."""
    if isinstance(rule, dict) and isinstance(rule.get("matchers"), list):
        joiner = " or " if rule.get("combine") == "OR" else " and "
        return joiner.join(_matcher_text(m) for m in rule["matchers"])
    return _matcher_text(rule)


def _rules(rules, where: str) -> list[tuple[str, str, str]]:
    """Matching rules of one request, response or message, in the V2 (`{"$.body.x": rule}`) or the
    V3/V4 shape (`{"body": {"$.x": rule}, "header": {...}, "path": rule}`)."""
    if not isinstance(rules, dict):
        return []
    found = []
    for key, value in rules.items():
        if key.startswith("$."):  # V2: one flat map of JSON paths
            category, _, rest = key[2:].partition(".")
            found.append((f"{where} {category}", f"$.{rest}" if rest else "$", _rule_text(value)))
        elif isinstance(value, dict) and "matchers" in value:  # V3 path: one rule
            found.append((f"{where} {key}", "", _rule_text(value)))
        elif isinstance(value, dict):
            for path, rule in value.items():
                found.append((f"{where} {key}", str(path), _rule_text(rule)))
    return found


def _list(value) -> list:
    return value if isinstance(value, list) else []


def pact_document(content: str) -> PactDocument:
    try:
        document = json.loads(content)
    except (TypeError, ValueError) as exc:
        return PactDocument("", "", "", [], {}, content or "", error=f"This pact is not valid JSON: {exc}")
    if not isinstance(document, dict):
        return PactDocument("", "", "", [], {}, pretty(document), error="This pact is not a JSON object.")
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    spec = metadata.get("pactSpecification") or metadata.get("pact-specification") or {}
    descriptors = plugin_descriptors(metadata)
    interactions = [
        _interaction(i, in_messages=False, descriptors=descriptors) for i in _list(document.get("interactions"))
    ]
    interactions += [
        _interaction(m, in_messages=True, descriptors=descriptors) for m in _list(document.get("messages"))
    ]
    return PactDocument(
        consumer=(document.get("consumer") or {}).get("name", ""),
        provider=(document.get("provider") or {}).get("name", ""),
        specification=spec.get("version", "") if isinstance(spec, dict) else "",
        interactions=interactions,
        metadata=metadata,
        raw=pretty(document),
    )


def _canonical(content: str) -> list[str]:
    """Pretty JSON without the broker's interaction `_id`s, so equal contracts diff as equal."""
    try:
        document = json.loads(content)
    except (TypeError, ValueError):
        return (content or "").splitlines()
    for key in ("interactions", "messages"):
        for item in _list(document.get(key)) if isinstance(document, dict) else []:
            if isinstance(item, dict):
                item.pop("_id", None)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def pact_diff(older: str, newer: str, *, older_name: str, newer_name: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) pairs: kind is add, remove, hunk, file or same."""
    lines = []
    for line in difflib.unified_diff(
        _canonical(older), _canonical(newer), fromfile=older_name, tofile=newer_name, lineterm="", n=3
    ):
        if line.startswith(("---", "+++")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "remove"
        else:
            kind = "same"
        lines.append((kind, line))
    return lines
