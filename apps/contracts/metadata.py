"""The `/metadata/{m}` URL segment: which consumer version(s) a pact URL was selected for.

The broker encodes a Rack nested query (`cv=12`, `cvt[]=prod&cv=12`, `cvn=1.0.0`, `w=true`,
`s[][b]=main&s[][cv]=12&p=false`) in base64 and decodes it when verification results come back, so
results (and webhooks) can be attributed to the right consumer version. We write URL-safe base64
without padding (the segment sits in a path) and read both alphabets.
"""
import base64
import binascii
import re
from urllib.parse import quote, unquote_plus


def _pairs(metadata: dict) -> list[tuple[str, str]]:
    pairs = []
    for key, value in metadata.items():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    pairs += [(f"{key}[][{k}]", str(v).lower() if isinstance(v, bool) else str(v))
                              for k, v in item.items() if v is not None]
                else:
                    pairs.append((f"{key}[]", str(item)))
        elif value is not None:
            pairs.append((key, str(value).lower() if isinstance(value, bool) else str(value)))
    return pairs


def metadata_encode(metadata: dict) -> str:
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in _pairs(metadata))
    return base64.urlsafe_b64encode(query.encode()).decode().rstrip("=")


_LIST_ITEM = re.compile(r"^(\w+)\[\]\[(\w+)\]$")


def metadata_decode(segment: str | None) -> dict:
    """Rack-style parse; a new list element starts when a key repeats. Bad input gives {}."""
    if not segment:
        return {}
    try:
        padded = segment.replace("-", "+").replace("_", "/") + "=" * (-len(segment) % 4)
        query = base64.b64decode(padded, validate=True).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return {}
    result: dict = {}
    for part in filter(None, query.split("&")):
        key, _, value = part.partition("=")
        key, value = unquote_plus(key), unquote_plus(value)
        item = _LIST_ITEM.match(key)
        if item:
            items = result.setdefault(item.group(1), [])
            if not items or item.group(2) in items[-1]:
                items.append({})
            items[-1][item.group(2)] = value
        elif key.endswith("[]"):
            result.setdefault(key[:-2], []).append(value)
        else:
            result[key] = value
    return result


def consumer_version_ids(metadata: dict) -> list[int]:
    """Consumer version ids named by `cv` or by the selectors' `s[][cv]`."""
    ids = []
    for raw in [metadata.get("cv"), *[s.get("cv") for s in metadata.get("s", []) if isinstance(s, dict)]]:
        if raw is not None and str(raw).isdigit():
            ids.append(int(raw))
    return list(dict.fromkeys(ids))
