"""Summarise the differences between the golden files and our answers dumped by a replay run
(`COMPAT_DUMP=/tmp/ours pytest tests/compat/test_replay.py`):

    python -m tests.compat.diff /tmp/ours            # one line per differing scenario and facet
    python -m tests.compat.diff /tmp/ours -v ID...   # the full differences of some scenarios
    python -m tests.compat.diff /tmp/ours --known    # a known_differences.py grouped by symptom

`--known` prints a first grouping of what differs by symptom (a starting point when scenarios are
added in bulk); the groups and reasons in known_differences.py are then edited by hand.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.compat.harness import compare
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
    "body": "body shape: links, titles, fields or values differ",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dump")
    parser.add_argument("-v", dest="verbose", nargs="*", default=None)
    parser.add_argument("--known", action="store_true")
    args = parser.parse_args(argv)
    dump = Path(args.dump)
    groups: dict[str, list[str]] = {}
    for group, scenarios in all_scenarios().items():
        golden = json.loads((GOLDEN / f"{group}.json").read_text())
        for scenario in scenarios:
            ours = dump / f"{scenario.id}.json"
            if scenario.id not in golden or not ours.exists():
                continue
            differences = compare(golden[scenario.id], json.loads(ours.read_text()))
            if not differences:
                continue
            groups.setdefault(classify(golden[scenario.id], json.loads(ours.read_text())), []).append(scenario.id)
            if args.known:
                continue
            if args.verbose is not None and (not args.verbose or scenario.id in args.verbose):
                print(f"== {scenario.id}\n" + "\n".join(differences))
            elif args.verbose is None:
                print(f"{group} {scenario.id}: " + " | ".join(d.splitlines()[0][:150] for d in differences))
    if args.known:
        print("KNOWN: dict[str, tuple[str, list[str]]] = {")
        for name, ids in groups.items():
            print(f"    {name!r}: (\n        {GROUP_REASONS[name]!r},\n        [")
            for i in range(0, len(ids), 4):
                print("            " + " ".join(f"{x!r}," for x in ids[i:i + 4]))
            print("        ],\n    ),")
        print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
