"""The contents of a pact's bodies and messages, made readable: V4's `{content, contentType,
encoded}` wrapper unwrapped, JSON pretty-printed, and binary contents decoded where the broker can.

Plugin interactions (V4 with `pluginConfiguration`) carry binary contents in base64. For protobuf,
the pact-protobuf-plugin writes what a reader needs into the pact itself: each interaction names a
descriptor by its key (`pluginConfiguration.protobuf.descriptorKey`, an MD5 of the proto file), and
`metadata.plugins[name=protobuf].configuration[<key>].protoDescriptors` holds a base64
`FileDescriptorSet`. The content type says which message it is (`application/protobuf;
message=AreaResponse`, unqualified or with its package), so the bytes decode into a message whose
JSON form (protobuf's canonical JSON mapping) is shown. The `protobuf` library does the decoding; the
descriptors come from a published pact, so anything wrong in them (a missing dependency, an unknown
message, bytes that do not parse) falls back to a hex view rather than failing the page.

Other binary contents are shown as a hex dump with their content type and size; base64 text and
JSON types are decoded to text.
"""

import base64
import binascii
import json
import string
from dataclasses import dataclass
from functools import lru_cache

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.message import DecodeError

HEX_LIMIT = 4096  # bytes shown in a hex view; the raw JSON keeps the rest
PRINTABLE = set(string.printable) - set("\t\n\r\x0b\x0c")


@dataclass
class Contents:
    text: str | None  # what is shown in the body's <pre>
    content_type: str = ""
    note: str = ""  # how it was decoded: "protobuf message area_calculator.AreaResponse, 5 bytes"


def pretty(value) -> str:
    return json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False)


def _media_type(content_type: str) -> tuple[str, dict]:
    """ "application/protobuf; message=X" -> ("application/protobuf", {"message": "X"})."""
    kind, *params = [p.strip() for p in str(content_type or "").split(";")]
    found = {}
    for param in params:
        key, _, value = param.partition("=")
        found[key.strip().lower()] = value.strip().strip('"')
    return kind.lower(), found


def _is_json(kind: str) -> bool:
    return kind == "application/json" or kind.endswith("+json")


def _is_text(kind: str) -> bool:
    return kind.startswith("text/") or kind in ("application/xml", "application/x-www-form-urlencoded")


def _is_protobuf(kind: str) -> bool:
    return kind in (
        "application/protobuf",
        "application/x-protobuf",
        "application/grpc",
        "application/vnd.google.protobuf",
    )


def hex_view(data: bytes) -> str:
    """16 bytes a line: offset, bytes in hex, printable characters (as `xxd` shows them)."""
    lines = []
    for offset in range(0, min(len(data), HEX_LIMIT), 16):
        chunk = data[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        chars = "".join(chr(b) if chr(b) in PRINTABLE and b < 128 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {chars}")
    if len(data) > HEX_LIMIT:
        lines.append(f"… {len(data) - HEX_LIMIT} more bytes in the raw JSON")
    return "\n".join(lines)


def _size(data: bytes) -> str:
    return "1 byte" if len(data) == 1 else f"{len(data)} bytes"


@lru_cache(maxsize=32)
def _pool(descriptor_set: str) -> tuple[descriptor_pool.DescriptorPool, tuple[str, ...]]:
    """A descriptor pool of one base64 FileDescriptorSet and the full names of its messages (cached:
    the same pact is shown many times)."""
    files = descriptor_pb2.FileDescriptorSet.FromString(base64.b64decode(descriptor_set, validate=True)).file
    pool = descriptor_pool.DescriptorPool()
    added, pending = set(), list(files)
    while pending:  # dependencies first, whatever the order in the set
        ready = [f for f in pending if set(f.dependency) <= added] or pending[:1]
        for proto in ready:
            pool.Add(proto)
            added.add(proto.name)
            pending.remove(proto)
    names = []

    def collect(prefix, messages):
        for message in messages:
            names.append(f"{prefix}{message.name}")
            collect(f"{prefix}{message.name}.", message.nested_type)

    for proto in files:
        collect(f"{proto.package}." if proto.package else "", proto.message_type)
    return pool, tuple(names)


def _protobuf_json(data: bytes, message: str, descriptor_set: str) -> tuple[str, str] | None:
    """(JSON text, full message name), or None when it cannot be decoded with these descriptors."""
    try:
        pool, names = _pool(descriptor_set)
        wanted = message.lstrip(".")
        full = wanted if wanted in names else next((n for n in names if n.rsplit(".", 1)[-1] == wanted), None)
        if full is None:
            return None
        decoded = message_factory.GetMessageClass(pool.FindMessageTypeByName(full)).FromString(data)
        shown = json_format.MessageToDict(decoded, always_print_fields_with_no_presence=True)
    except (DecodeError, TypeError, ValueError, KeyError, binascii.Error, RecursionError):
        return None
    return pretty(shown), full


def contents(value, *, descriptors: dict[str, str] | None = None, descriptor_key: str = "") -> Contents | None:
    """A body or message's contents for people. `descriptors` maps a descriptor key to its base64
    FileDescriptorSet (from the pact's metadata); `descriptor_key` is the interaction's."""
    if value is None:
        return None
    if not (
        isinstance(value, dict)
        and "content" in value
        and set(value) <= {"content", "contentType", "encoded", "contentTypeHint"}
    ):
        return Contents(value if isinstance(value, str) else pretty(value))
    content, content_type = value.get("content"), str(value.get("contentType") or "")
    encoded = str(value.get("encoded") or "").lower() if value.get("encoded") not in (False, None) else ""
    kind, params = _media_type(content_type)
    if encoded == "json" and isinstance(content, str):
        try:
            return Contents(pretty(json.loads(content)), content_type)
        except ValueError:
            return Contents(content, content_type)
    if encoded != "base64" or not isinstance(content, str):
        shown = contents(content)
        return Contents(shown.text if shown else None, content_type)
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return Contents(content, content_type, "not valid base64, shown as published")
    if _is_protobuf(kind) and params.get("message"):
        descriptor_set = (descriptors or {}).get(descriptor_key)
        if descriptor_set is None and descriptors and len(descriptors) == 1:
            descriptor_set = next(iter(descriptors.values()))
        decoded = _protobuf_json(data, params["message"], descriptor_set) if descriptor_set else None
        if decoded:
            text, full = decoded
            return Contents(text, content_type, f"protobuf message {full}, {_size(data)}, shown as JSON")
        reason = (
            "no descriptor in the pact" if not descriptor_set else "could not be decoded with the pact's descriptor"
        )
        return Contents(hex_view(data), content_type, f"{_size(data)}, {reason}: shown as hex")
    if _is_json(kind) or _is_text(kind):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return Contents(hex_view(data), content_type, f"{_size(data)}, not UTF-8 text: shown as hex")
        if _is_json(kind):
            try:
                text = pretty(json.loads(text))
            except ValueError:
                pass
        return Contents(text, content_type, f"{_size(data)}, decoded from base64")
    return Contents(hex_view(data), content_type, f"{_size(data)}, shown as hex")


def plugin_descriptors(metadata: dict) -> dict[str, str]:
    """Descriptor key → base64 FileDescriptorSet, from `metadata.plugins[name=protobuf]`."""
    found = {}
    for plugin in metadata.get("plugins") if isinstance(metadata.get("plugins"), list) else []:
        if not isinstance(plugin, dict) or plugin.get("name") != "protobuf":
            continue
        configuration = plugin.get("configuration")
        for key, entry in configuration.items() if isinstance(configuration, dict) else []:
            if isinstance(entry, dict) and isinstance(entry.get("protoDescriptors"), str):
                found[str(key)] = entry["protoDescriptors"]
    return found
