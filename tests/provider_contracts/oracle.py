"""Running the corpus through PactFlow's comparator (the oracle) and through ours, and diffing verdicts.

A *pair* is a folder of tests/provider_contracts/corpus/ with `pact.json` and an `oas.yaml` or
`oas.json`. Verdicts are compared for the whole pair and for each interaction (an interaction is
incompatible when either side reports an error at it), so one pact can hold many cases.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from apps.provider_contracts.comparison import compare

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
RUNNER = ROOT / "tools" / "openapi-comparator" / "compare.mjs"
WHOLE = "pact"  # the key of a pair's overall verdict in a verdict map


@dataclass
class Pair:
    name: str  # "pactflow/request-body", "ours/servers-base-path"
    oas: Path
    pact: Path


def pairs() -> list[Pair]:
    found = []
    for pact in sorted(CORPUS.glob("*/*/pact.json")):
        oas = next((pact.parent / n for n in ("oas.yaml", "oas.json") if (pact.parent / n).exists()), None)
        if oas is not None:
            found.append(Pair(str(pact.parent.relative_to(CORPUS)), oas, pact))
    return found


def _interaction_index(location: str) -> int | None:
    prefix = "[root].interactions["
    if location and location.startswith(prefix):
        return int(location[len(prefix) :].split("]")[0])
    return None


def oracle_verdicts(batch: list[Pair]) -> dict[str, dict]:
    """{pair name: {"pact": "compatible"|"incompatible", 0: ..., 1: ...}} from the npm package."""
    lines = "".join(json.dumps({"oas": str(p.oas), "pact": str(p.pact)}) + "\n" for p in batch)
    done = subprocess.run(
        ["node", str(RUNNER), "--jsonl"], input=lines, capture_output=True, text=True, check=True, timeout=600
    )
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(answers) == len(batch), done.stderr
    verdicts = {}
    for pair, answer in zip(batch, answers, strict=True):
        count = len(json.loads(pair.pact.read_text()).get("interactions") or [])
        verdict = {WHOLE: "incompatible" if answer["verdict"] != "compatible" else "compatible"}
        if answer["verdict"] != "error":
            failing = {
                _interaction_index((r.get("mockDetails") or {}).get("location", ""))
                for r in answer["results"]
                if r["type"] == "error"
            }
            verdict.update({i: "incompatible" if i in failing else "compatible" for i in range(count)})
        verdicts[pair.name] = verdict
    return verdicts


def our_verdicts(batch: list[Pair]) -> dict[str, dict]:
    verdicts = {}
    for pair in batch:
        pact = json.loads(pair.pact.read_text())
        result = compare(pact, pair.oas.read_text())
        count = len(pact.get("interactions") or []) if isinstance(pact, dict) else 0
        failing = {m.interaction_index for m in result.errors}
        verdict = {WHOLE: "compatible" if result.compatible else "incompatible"}
        if not any(m.interaction_index is None for m in result.errors):
            verdict.update({i: "incompatible" if i in failing else "compatible" for i in range(count)})
        verdicts[pair.name] = verdict
    return verdicts


def disagreements(ours: dict[str, dict], theirs: dict[str, dict]) -> dict[tuple[str, str], str]:
    """{(pair, "pact" or interaction index as text): our verdict} wherever the two differ."""
    found = {}
    for name, verdict in theirs.items():
        for key, value in verdict.items():
            if key in ours[name] and ours[name][key] != value:
                found[(name, str(key))] = ours[name][key]
    return found


def expected_disagreements() -> dict[tuple[str, str], dict]:
    listed = yaml.safe_load((CORPUS / "expected_disagreements.yaml").read_text()) or []
    return {(entry["pair"], str(entry["interaction"])): entry for entry in listed}
