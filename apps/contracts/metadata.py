"""The `/metadata/{m}` URL segment: which consumer version(s) a pact URL was selected for.

The broker encodes a Rack nested query (`cv=12`, `cvt[]=prod&cv=12`, `cvn=1.0.0`, `w=true`,
`s[][b]=main&s[][cv]=12&p=false`) in base64 and decodes it when verification results come back, so
results (and webhooks) can be attributed to the right consumer version. The codec is the one in
`apps.core.rack` (URL-safe base64 without padding written, both alphabets read).
"""

from apps.core.rack import segment_decode, segment_encode


def metadata_encode(metadata: dict) -> str:
    return segment_encode(metadata)


def metadata_decode(segment: str | None) -> dict:
    """Rack-style parse; a new list element starts when a key repeats. Bad input gives {}."""
    return segment_decode(segment)


def consumer_version_ids(metadata: dict) -> list[int]:
    """Consumer version ids named by `cv` or by the selectors' `s[][cv]`."""
    selectors = metadata.get("s")
    selectors = selectors if isinstance(selectors, list) else []
    ids = []
    for raw in [metadata.get("cv"), *[s.get("cv") for s in selectors if isinstance(s, dict)]]:
        if raw is not None and str(raw).isdigit():
            ids.append(int(raw))
    return list(dict.fromkeys(ids))
