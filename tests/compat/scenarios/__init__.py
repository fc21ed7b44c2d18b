"""Every scenario, by group: the group is the golden file's name (tests/compat/golden/<group>.json).

To add a scenario: add it to the list of a module here (or a new module listed in GROUPS), record it
with `python -m tests.compat.record -k <id>` against the reference, and commit the golden file.
"""

from importlib import import_module

from tests.compat.harness import Scenario

GROUPS = (
    "index",
    "pacticipants",
    "versions",
    "pacts",
    "publish",
    "verifications",
    "environments",
    "matrix",
    "for_verification",
    "webhooks",
)


def all_scenarios() -> dict[str, list[Scenario]]:
    groups = {group: import_module(f"tests.compat.scenarios.{group}").SCENARIOS for group in GROUPS}
    seen: set[str] = set()
    for scenarios in groups.values():
        for scenario in scenarios:
            assert scenario.id not in seen, f"duplicate scenario id {scenario.id}"
            seen.add(scenario.id)
    return groups
