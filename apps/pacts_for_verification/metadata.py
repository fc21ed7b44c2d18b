"""The metadata segment of the pact URLs returned by pacts-for-verification.

    <base>/pacts/provider/{p}/consumer/{c}/pact-version/{sha}/metadata/{m}

`m` is base64url (no padding) of a Rack nested query string, exactly as the Ruby broker builds it:

- a WIP pact:       `w=true`
- any other pact:   one `s[]` entry per selector that picked the content, then `p` (pending):
                    `s[][b]=<branch>&s[][t]=<tag>&s[][l]=<latest>&s[][e]=<environment>&s[][cv]=<consumer
                    version id>&...&p=<true|false>` (absent keys left out; keys are percent-escaped)

The pact GET endpoint and the verification publish endpoint (`.../metadata/{m}/verification-results`)
decode it with `metadata_decode`: `metadata_consumer_version_ids(m)` lists the consumer versions the
results are for (webhooks fire per consumer version), `metadata_is_wip(m)` and `metadata_is_pending(m)`
give the `wip` and `pact_pending` flags to store on the verification. A segment that does not decode
is treated as empty, never as an error (the broker logs and ignores it).
"""

# One codec for the segment, shared with the pact and verification endpoints that read it back.
from apps.contracts.metadata import consumer_version_ids, metadata_decode, metadata_encode

__all__ = ["metadata_decode", "metadata_encode"]


def metadata_for_verifiable_pact(*, wip: bool, selectors: list[dict], pending: bool | None) -> dict:
    """`build_metadata_for_pact_for_verification`: selectors are dicts with b, t, l, e, cv (None left out)."""
    if wip:
        return {"w": True}
    body = {"s": [{k: v for k, v in s.items() if v is not None} for s in selectors]}
    if pending is not None:
        body["p"] = pending
    return body


def metadata_consumer_version_ids(segment: str | None) -> list[int]:
    return consumer_version_ids(metadata_decode(segment))


def metadata_is_wip(segment: str | None) -> bool:
    return metadata_decode(segment).get("w") == "true"


def metadata_is_pending(segment: str | None) -> bool | None:
    decoded = metadata_decode(segment)
    if decoded.get("w") == "true":
        return True
    return {"true": True, "false": False}.get(decoded.get("p"))
