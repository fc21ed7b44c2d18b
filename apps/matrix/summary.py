"""Deployability: the broker's DeploymentStatusSummary and its reasons, in plain Python (no SQL).

- `deployable` is tri-state: False when a considered specified selector names a version that does
  not exist; else None (unknown) when a considered row has no verification or a required
  integration has no row at all; else True iff every considered row succeeded (True with no rows:
  "there are no missing dependencies"). A pending verification that failed still fails.
- Rows and selectors matched by an ignore selector (the pacticipant by name, or that exact
  version) are ignored: they are shown (`ignored: true`) but decide nothing.
- Reasons come warning-first (type "warning"), then either the errors (type "error") or the
  success reason (type "success"). The texts are the broker's (ReasonDecorator).
"""

from dataclasses import dataclass

from apps.matrix.query_params import MatrixOptions
from apps.matrix.resolution import IntegrationRef, ResolvedMatrixSelector, _criteria_given
from apps.matrix.rows import Row

NO_ENVIRONMENT_WARNING = (
    "WARN: It is recommended to specify the environment into which you are deploying. "
    "Without the environment, this result will not be reliable."
)
NO_VERSION_WARNING = (
    "WARN: It is recommended to specify the version number (rather than the tag or branch) of the "
    "pacticipant you wish to deploy to avoid race conditions. Without a version number, this result "
    "will not be reliable."
)
SUCCESS = "All required verification results are published and successful"
NO_DEPENDENCIES_MISSING = "There are no missing dependencies"


@dataclass(frozen=True)
class Reason:
    type: str  # warning | error | success
    text: str


@dataclass
class Summary:
    deployable: bool | None
    reasons: list[Reason]
    counts: dict

    @property
    def reason(self) -> str:
        return "\n".join(r.text for r in self.reasons)

    def as_dict(self) -> dict:
        return {"deployable": self.deployable, "reason": self.reason, **self.counts}

    def notices(self) -> list[dict]:
        return [{"type": r.type, "text": r.text} for r in self.reasons]


def _dummy(pacticipant_id: int, name: str, version_id=None, number=None) -> ResolvedMatrixSelector:
    return ResolvedMatrixSelector(pacticipant_id, name, version_id=version_id, version_number=number, type="inferred")


class SelectorLookup:
    """Finds the selector that describes one side of a row (its exact version first, then by name)."""

    def __init__(self, selectors: list[ResolvedMatrixSelector]):
        self.by_version = {(s.pacticipant_id, s.version_id): s for s in reversed(selectors)}
        self.by_name: dict[str, ResolvedMatrixSelector] = {}
        for s in selectors:
            self.by_name.setdefault(s.pacticipant_name, s)

    def find(self, pacticipant_id, name, version_id=None, number=None) -> ResolvedMatrixSelector:
        if version_id is not None:
            found = self.by_version.get((pacticipant_id, version_id)) or self.by_version.get((pacticipant_id, None))
            return found or self.by_name.get(name) or _dummy(pacticipant_id, name, version_id, number)
        return self.by_name.get(name) or _dummy(pacticipant_id, name)


def cross_contract_failed(consumer: str, provider: str, reason: str) -> str:
    """Bi-directional testing: a failed cross-contract comparison (its reason from apps/provider_contracts)."""
    return f"The cross-contract comparison of the pact between {consumer} and {provider} failed: {reason}"


def cross_contract_passed(consumer: str, provider: str) -> str:
    return (
        f"The pact between {consumer} and {provider} was verified by a cross-contract comparison with the "
        "provider contract"
    )


def summarise(
    *,
    rows: list[Row],
    ignored_rows: list[Row],
    specified: list[ResolvedMatrixSelector],
    inferred: list[ResolvedMatrixSelector],
    ignore_selectors: list[ResolvedMatrixSelector],
    integrations: list[IntegrationRef],
    options: MatrixOptions,
) -> Summary:
    lookup = SelectorLookup(specified + inferred)
    ignored_pacticipants = {
        s.pacticipant_id for s in ignore_selectors if s.version_id is None and not s.pacticipant_does_not_exist
    }
    all_pairs = {(r.consumer_id, r.provider_id) for r in rows + ignored_rows}
    required_without_row = [
        i
        for i in integrations
        if i.required
        and (i.consumer_id, i.provider_id) not in all_pairs
        and i.consumer_id not in ignored_pacticipants
        and i.provider_id not in ignored_pacticipants
    ]
    missing_specified = [s for s in specified if s.version_does_not_exist and not s.ignore]

    if missing_specified:
        deployable = False
    elif any(r.success is None for r in rows) or required_without_row:
        deployable = None
    else:
        deployable = all(r.success for r in rows)

    warnings = [
        Reason("warning", f"WARN: Cannot ignore {s.description()}")
        for s in ignore_selectors
        if s.pacticipant_or_version_does_not_exist
    ]
    # The broker's "bad practice" warnings: no target for what looks like a can-i-deploy of one
    # application; no version number anywhere in a query that names more than pacticipants.
    # ("to latest" is no target here: the broker asks for a tag, an environment or the main branch)
    if len(specified) == 1 and not (options.tag or options.environment_name or options.main_branch):
        warnings.append(Reason("warning", NO_ENVIRONMENT_WARNING))
    beyond_names = [s for s in specified if _criteria_given(s.original)]
    if beyond_names and not any(s.original.version_number for s in specified):
        warnings.append(Reason("warning", NO_VERSION_WARNING))

    def sides(consumer_id, consumer_name, provider_id, provider_name, row: Row | None = None):
        if row is None:
            return lookup.find(consumer_id, consumer_name), lookup.find(provider_id, provider_name)
        return (
            lookup.find(consumer_id, consumer_name, row.consumer_version_id, row.consumer_version_number),
            lookup.find(provider_id, provider_name, row.provider_version_id, row.provider_version_number),
        )

    errors: list[Reason] = []
    if missing_specified:
        errors = [Reason("error", s.version_does_not_exist_description()) for s in missing_specified]
    else:
        for integration in required_without_row:
            c, p = sides(
                integration.consumer_id, integration.consumer_name, integration.provider_id, integration.provider_name
            )
            errors.append(Reason("error", f"There is no verified pact between {c.description()} and {p.description()}"))
        for row in rows:
            if row.success is False:
                c, p = sides(row.consumer_id, row.consumer_name, row.provider_id, row.provider_name, row)
                if row.cross_contract:
                    errors.append(
                        Reason("error", cross_contract_failed(c.description(), p.description(), row.cross_contract))
                    )
                    continue
                errors.append(
                    Reason(
                        "error", f"The verification for the pact between {c.description()} and {p.description()} failed"
                    )
                )
        for row in rows:
            if row.success is None:
                c, p = sides(row.consumer_id, row.consumer_name, row.provider_id, row.provider_name, row)
                errors.append(
                    Reason("error", f"There is no verified pact between {c.description()} and {p.description()}")
                )
    errors = list(dict.fromkeys(errors))
    if errors:
        outcome = errors
    elif rows:
        outcome = [Reason("success", SUCCESS)]
        for row in rows:
            if row.cross_contract:
                c, p = sides(row.consumer_id, row.consumer_name, row.provider_id, row.provider_name, row)
                outcome.append(Reason("success", cross_contract_passed(c.description(), p.description())))
        outcome = list(dict.fromkeys(outcome))
    else:
        outcome = [Reason("success", NO_DEPENDENCIES_MISSING)]

    counts = {
        "success": sum(1 for r in rows if r.success is True),
        "failed": sum(1 for r in rows if r.success is False),
        "unknown": len(required_without_row) + sum(1 for r in rows if r.success is None),
    }
    if ignore_selectors:
        counts["ignored"] = len(ignored_rows)
    return Summary(deployable=deployable, reasons=warnings + outcome, counts=counts)
