"""Pact content: parsing, the canonical SHA, interaction ids, merging and diffs.

Pure functions (no database). The rules follow the open-source broker (shared reference §1.2):

- the SHA identifies *verification-relevant* content: keys sorted recursively, the `interactions`
  (else `messages`) array sorted by each element's JSON, and only `interactions`, `messages` and the
  pact specification version kept. Whitespace, key order, interaction order and other metadata do
  not change it, so re-publishing the "same" pact from another build reuses the stored content and
  its verifications;
- the SHA is computed *before* `_id`s are added; the stored content then carries an `_id` (SHA1 of
  the interaction with sorted keys, without `_id`) as the first key of every interaction/message, used
  to match `testResults` of verifications.
"""

import difflib
import hashlib
import json

from apps.core.parsers import JSONBodyError, json_parse

INTERACTION_KEYS = ("interactions", "messages")


class ContentError(ValueError):
    """The body is not a JSON pact we can store."""


def pact_parse(text: str | bytes):
    """JSON object or array (the broker accepts non-pact JSON and arrays on PUT), within the size and
    nesting limits of `apps.core.parsers.json_parse`."""
    try:
        return json_parse(text)
    except JSONBodyError as exc:
        raise ContentError(str(exc)) from exc


def _dumps(value) -> str:
    # Ruby's to_json: no whitespace, non-ASCII and "/" left as they are.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def specification_version(doc) -> str | None:
    if not isinstance(doc, dict):
        return None
    metadata = doc.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key in ("pactSpecification", "pact-specification"):
        spec = metadata.get(key)
        if isinstance(spec, dict) and spec.get("version") is not None:
            return spec["version"]
    return metadata.get("pactSpecificationVersion")


def canonical_sha(doc) -> str:
    """SHA1 of the verification-relevant content (before `_id`s are added)."""
    sorted_doc = _sorted(doc)
    if isinstance(sorted_doc, dict) and any(key in sorted_doc for key in INTERACTION_KEYS):
        relevant = {}
        for key in INTERACTION_KEYS:
            if key in sorted_doc:
                relevant[key] = sorted_doc[key]
        # Only one array is sorted, as the broker does: interactions if present, else messages.
        array_key = "interactions" if "interactions" in relevant else "messages"
        if isinstance(relevant[array_key], list):
            relevant[array_key] = sorted(relevant[array_key], key=_dumps)
        spec = specification_version(doc)
        if spec is not None:
            relevant["pact_specification_version"] = spec
        return hashlib.sha1(_dumps(relevant).encode()).hexdigest()
    return hashlib.sha1(_dumps(sorted_doc).encode()).hexdigest()


def interaction_id(interaction: dict) -> str:
    without_id = {key: value for key, value in interaction.items() if key != "_id"}
    return hashlib.sha1(_dumps(_sorted(without_id)).encode()).hexdigest()


def with_interaction_ids(doc):
    """A copy with `_id` as the first key of every interaction/message (existing ones overwritten)."""
    if not isinstance(doc, dict):
        return doc
    result = dict(doc)
    for key in INTERACTION_KEYS:
        items = doc.get(key)
        if isinstance(items, list):
            result[key] = [
                {"_id": interaction_id(item), **{k: v for k, v in item.items() if k != "_id"}}
                if isinstance(item, dict)
                else item
                for item in items
            ]
    return result


def counts(doc) -> tuple[int, int]:
    """(interactions, messages) as the broker counts them."""
    if not isinstance(doc, dict):
        return 0, 0
    interactions = doc.get("interactions")
    messages = doc.get("messages")
    return (
        len(interactions) if isinstance(interactions, list) else 0,
        len(messages) if isinstance(messages, list) else 0,
    )


def pacticipant_name_in(doc, role: str) -> str | None:
    """`consumer.name` / `provider.name` inside the pact, when present."""
    if isinstance(doc, dict) and isinstance(doc.get(role), dict):
        name = doc[role].get("name")
        return name if isinstance(name, str) else None
    return None


def content_serialise(doc) -> str:
    return json.dumps(doc, ensure_ascii=False)


def content_load(stored: str):
    return json.loads(stored)


# --- Merge (PATCH) ---------------------------------------------------------------------------------


class MergeConflict(Exception):
    pass


def _provider_state(interaction: dict):
    for key in ("providerStates", "providerState", "provider_state"):
        if key in interaction:
            return interaction[key]
    return None


def _interaction_key(interaction: dict) -> str:
    """Description and provider state as one hashable key: what makes two interactions "the same"."""
    return _dumps([interaction.get("description"), _sorted(_provider_state(interaction))])


def _without_id(interaction: dict) -> dict:
    return {key: value for key, value in interaction.items() if key != "_id"}


def interactions_merge(existing, new):
    """Merge `new` into `existing`: replace same description + provider state, append others.

    Refused (MergeConflict) when either lacks `interactions` or an interaction with the same
    description and provider state has a different request (the broker's merge rule).
    Linear in the number of interactions: the merged list is indexed by description and provider
    state (the first interaction with a key is the one replaced, as a scan from the start would find).
    """
    if not (
        isinstance(existing, dict)
        and isinstance(new, dict)
        and isinstance(existing.get("interactions"), list)
        and isinstance(new.get("interactions"), list)
    ):
        raise MergeConflict("Pacts without interactions cannot be merged")
    merged = [dict(_without_id(item)) for item in existing["interactions"] if isinstance(item, dict)]
    index_of: dict[str, int] = {}
    for index, current in enumerate(merged):
        index_of.setdefault(_interaction_key(current), index)
    for incoming in new["interactions"]:
        if not isinstance(incoming, dict):
            raise MergeConflict("Pacts with interactions that are not objects cannot be merged")
        incoming = _without_id(incoming)
        key = _interaction_key(incoming)
        index = index_of.get(key)
        if index is None:
            index_of[key] = len(merged)
            merged.append(incoming)
            continue
        if merged[index].get("request") != incoming.get("request"):
            raise MergeConflict(f"Interaction '{incoming.get('description')}' has a different request")
        merged[index] = incoming
    return {**existing, "interactions": merged}


# --- Diff ------------------------------------------------------------------------------------------


def _for_diff(doc) -> list[str]:
    doc = content_load(doc) if isinstance(doc, str) else doc
    if isinstance(doc, dict):
        doc = {key: value for key, value in doc.items() if key in INTERACTION_KEYS} or doc
        doc = {
            key: ([_without_id(i) if isinstance(i, dict) else i for i in value] if isinstance(value, list) else value)
            for key, value in doc.items()
        }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def content_diff(old, new) -> str:
    """A line diff of the verification-relevant content ("-" old, "+" new), with context."""
    lines = difflib.unified_diff(_for_diff(old), _for_diff(new), lineterm="", n=3)
    body = [line for line in lines if not line.startswith(("---", "+++"))]
    return "\n".join(body) + ("\n" if body else "")
