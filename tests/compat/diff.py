"""Summarise the differences between the golden files and our answers dumped by a replay run
(`COMPAT_DUMP=/tmp/ours pytest tests/compat/test_replay.py`):

    python -m tests.compat.diff /tmp/ours            # one line per differing scenario and facet
    python -m tests.compat.diff /tmp/ours -v ID...   # the full differences of some scenarios
    python -m tests.compat.diff /tmp/ours --known    # a known_differences.py grouped by symptom
    python -m tests.compat.diff /tmp/ours --prune    # drop from known_differences.py what now agrees

`--known` prints a first grouping of what differs by symptom (a starting point when scenarios are
added in bulk); the groups and reasons in known_differences.py are then edited by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from pathlib import Path

from tests.compat.harness import compare
from tests.compat.known_differences import KNOWN, known_ids
from tests.compat.scenarios import all_scenarios

GOLDEN = Path(__file__).resolve().parent / "golden"


GROUP_REASONS = {
    "missing-route": "route not served by us yet (we answer 404 where the broker serves it)",
    "negotiation": "Accept negotiation: the broker answers 406 where the resource cannot produce the "
    "requested type, or ignores Accept where we do not",
    "not-found-text": "404 body: the broker names what is missing (`No pacticipant with name 'X' found`) or "
    "answers the generic JSON 404",
    "validation-text": "validation messages: the broker's texts and keys differ from ours",
    "status": "a different status for the same request",
    "headers": "Location (or Allow) header differs",
    "content-type": "content type differs",
    "body": "body shape: links, titles, fields or values differ in",
    "setup": "an earlier request of the scenario already answers differently",
}


def classify(golden: dict, ours: dict) -> str:
    if golden["setup"] != ours["setup"]:
        return "setup"
    for want, got in zip(golden["steps"], ours["steps"], strict=True):
        if want == got:
            continue
        if want["status"] != got["status"]:
            if got["status"] == 404 and (got["content_type"] or "").startswith("text/html"):
                return "missing-route"
            if want["status"] == 406 or got["status"] == 406:
                return "negotiation"
            return "status"
        if want["status"] == 404 and want["body"] != got["body"]:
            return "not-found-text"
        if want["status"] in (400, 422) and want["body"] != got["body"]:
            return "validation-text"
        if want.get("headers", {}) != got.get("headers", {}):
            return "headers"
        if want["content_type"] != got["content_type"]:
            return "content-type"
        return "body"
    return "body"


def known_source(groups: dict[str, list[str]]) -> str:
    lines = ["KNOWN: dict[str, tuple[str, list[str]]] = {"]
    for name, ids in groups.items():
        reason = textwrap.wrap(
            KNOWN["deliberate"][0]
            if name == "deliberate"
            else GROUP_REASONS.get(name, GROUP_REASONS["body"] + f" {name[5:]}"),
            100,
        )
        lines.append(f"    {json.dumps(name)}: (")
        parts = [json.dumps(part + " " if i < len(reason) - 1 else part) for i, part in enumerate(reason)]
        lines.append("        (" + "\n         ".join(parts) + "),")
        lines.append("        [")
        line = "           "
        for scenario_id in ids:
            if len(line) + len(scenario_id) + 4 > 116:
                lines.append(line)
                line = "           "
            line += f" {json.dumps(scenario_id)},"
        lines.append(line)
        lines.append("        ],")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dump")
    parser.add_argument("-v", dest="verbose", nargs="*", default=None)
    parser.add_argument("--known", action="store_true")
    parser.add_argument("--prune", action="store_true")
    args = parser.parse_args(argv)
    dump = Path(args.dump)
    groups: dict[str, list[str]] = {}
    agreeing: list[str] = []
    deliberate = set(KNOWN.get("deliberate", ("", []))[1])
    for group, scenarios in all_scenarios().items():
        golden = json.loads((GOLDEN / f"{group}.json").read_text())
        for scenario in scenarios:
            ours = dump / f"{scenario.id}.json"
            if scenario.id not in golden or not ours.exists():
                continue
            differences = compare(golden[scenario.id], json.loads(ours.read_text()))
            if not differences:
                agreeing.append(scenario.id)
                continue
            kind = classify(golden[scenario.id], json.loads(ours.read_text()))
            if scenario.id in deliberate:
                kind = "deliberate"
            elif kind == "body":
                kind = f"body ({group})"
            groups.setdefault(kind, []).append(scenario.id)
            if args.known:
                continue
            if args.verbose is not None and (not args.verbose or scenario.id in args.verbose):
                print(f"== {scenario.id}\n" + "\n".join(differences))
            elif args.verbose is None:
                print(f"{group} {scenario.id}: " + " | ".join(d.splitlines()[0][:150] for d in differences))
    if args.known:
        print(known_source(groups))
    if args.prune:
        path = Path(__file__).resolve().parent / "known_differences.py"
        text = path.read_text()
        for scenario_id in agreeing:
            text = re.sub(rf'\s*"{re.escape(scenario_id)}",', "", text)
        path.write_text(text)
        print(f"pruned: {[i for i in agreeing if i in known_ids()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
