"""Which pacts the consumer version selectors pick: one SQL statement for all selectors.

How it works (the Ruby broker's `PactsForVerificationRepository#find`, re-designed for a constant
number of statements):

1. Every selector becomes one *arm* of a `UNION ALL`. An arm yields rows of
   `contracts_latestpactpublication` (the current, non-overridden publication of each consumer
   version for this provider), plus what resolved it (branch or tag name, environment). Arms start
   from the provider's integrations, so their cost grows with the provider's consumers, each step
   an index lookup:
   - `mainBranch`        the head of each consumer's main branch (`BranchHead`, "latest" meaning 3:
                         the head version's pact, or nothing if the head has no pact for this provider);
   - `branch: "b"`       the head of branch b; `matchingBranch` is `branch` = the provider's branch;
   - `branch: true`      the heads of every branch;
   - `tag: t, latest`    the pact of the latest version carrying tag t (again nothing if that version
                         has no pact with this provider: the integration was removed);
   - `tag: t`            the pacts of every version carrying tag t;
   - `latest`            each consumer's latest pact with this provider;
   - `deployed` / `released` / `environment` the versions listed by `environments.py` (passed in as
                         an array), optionally in one environment.
   A `consumer` narrows any arm to one consumer.
2. `fallbackTag` arms are added after a CTE holding the arms above: they run only when no selected
   pact was the latest for the original tag (the broker checks across all consumers, so do we).
   `fallbackBranch` is validated and described but, as in the broker, never looked up.
3. No selectors means the broker's defaults, also as arms: per consumer, its main branch head if
   the main branch has any version, else the latest version tagged with the main branch's name,
   else its latest pact; plus everything deployed and everything released.

The rows are then grouped in Python by (consumer, content SHA): one pact per distinct content, with
every selector that picked it, represented by its newest consumer version (`SelectedPact.merge`).
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import connection

from apps.pacts_for_verification.environments import EnvironmentVersion

LP = "contracts_latestpactpublication"


@dataclass(frozen=True)
class Selector:
    """One consumer version selector as the broker holds it after parsing (`PactBroker::Pacts::Selector`).

    `deployedOrReleased` is split into a deployed and a released selector; `matchingBranch` gets
    `branch` = the provider version branch and `latest` = True; `branch` implies `latest` = True.
    """

    main_branch: bool = False
    tag: str | None = None
    branch: str | bool | None = None
    matching_branch: bool = False
    latest: bool | None = None
    fallback_tag: str | None = None
    fallback_branch: str | None = None
    consumer: str | None = None
    environment: str | None = None
    deployed: bool = False
    released: bool = False

    # What the selector asks for, in the broker's vocabulary (`Selector#type`).
    @property
    def overall_latest(self) -> bool:
        return bool(
            self.latest
            and not self.tag
            and not self.branch
            and not self.main_branch
            and not self.deployed
            and not self.released
            and not self.environment
        )

    @property
    def latest_for_tag(self) -> bool:
        return bool(self.latest and self.tag)

    @property
    def all_for_tag(self) -> bool:
        return bool(self.tag and not self.latest)

    @property
    def latest_for_branch(self) -> bool:
        return self.latest is True and isinstance(self.branch, str)

    @property
    def latest_for_each_branch(self) -> bool:
        return self.latest is True and self.branch is True

    @property
    def in_environment_only(self) -> bool:
        return bool(self.environment and not self.deployed and not self.released)


@dataclass
class Query:
    selectors: list[Selector] = field(default_factory=list)
    provider_version_branch: str | None = None
    provider_version_tags: list[str] = field(default_factory=list)
    include_pending_status: bool = True
    include_wip_pacts_since: datetime | None = None
    deprecated_get: bool = False


@dataclass(frozen=True)
class SelectorMatch:
    """A selector plus the consumer version (and environment) it matched, as the broker resolves it."""

    selector: Selector
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    resolved_branch: str | None = None  # the branch for `branch: true` and main-branch selectors
    environment: EnvironmentVersion | None = None


@dataclass
class SelectedPact:
    consumer_id: int
    consumer_name: str
    pact_version_id: int
    sha: str
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    selectors: list[SelectorMatch] = field(default_factory=list)


@dataclass
class _Arm:
    sql: str
    params: list
    selector: Selector | None  # None for default arms: the selector depends on the consumer
    default_kind: str | None = None  # "main_branch" | "latest_tag" | "latest"


def _consumer_filter(selector: Selector | None, column: str) -> tuple[str, list]:
    if selector is None or not selector.consumer:
        return "", []
    return f" AND {column} = (SELECT id FROM contracts_pacticipant WHERE name = %s)", [selector.consumer]


_FROM_INTEGRATIONS = "FROM contracts_integration i WHERE i.provider_id = %s"


def _branch_head_arm(selector, provider_id, branch_condition: str, branch_params: list, kind=None) -> _Arm:
    where, params = _consumer_filter(selector, "i.consumer_id")
    sql = (
        "SELECT {arm}, lp.id, bh.branch_name, NULL::int, NULL::text FROM contracts_integration i"
        " JOIN contracts_pacticipant c ON c.id = i.consumer_id"
        f" JOIN contracts_branchhead bh ON bh.pacticipant_id = i.consumer_id AND {branch_condition}"
        f" JOIN {LP} lp ON lp.consumer_version_id = bh.version_id AND lp.provider_id = i.provider_id"
        f" WHERE i.provider_id = %s{where}"
    )
    return _Arm(sql, [*branch_params, provider_id, *params], selector, kind)


def _latest_tag_arm(selector, provider_id, tag: str, extra_where: str = "", extra_params=(), kind=None) -> _Arm:
    where, params = _consumer_filter(selector, "i.consumer_id")
    sql = (
        "SELECT {arm}, lp.id, th.name, NULL::int, th.name FROM contracts_integration i"
        " CROSS JOIN LATERAL (SELECT t.version_id, t.name FROM contracts_tag t WHERE t.pacticipant_id ="
        " i.consumer_id AND t.name = %s ORDER BY t.version_order DESC LIMIT 1) th"
        f" JOIN {LP} lp ON lp.consumer_version_id = th.version_id AND lp.provider_id = i.provider_id"
        f" WHERE i.provider_id = %s{where}{extra_where}"
    )
    return _Arm(sql, [tag, provider_id, *params, *extra_params], selector, kind)


def _overall_latest_arm(selector, provider_id, extra_where: str = "", kind=None) -> _Arm:
    where, params = _consumer_filter(selector, "i.consumer_id")
    sql = (
        "SELECT {arm}, ol.id, NULL::text, NULL::int, NULL::text FROM contracts_integration i"
        f" CROSS JOIN LATERAL (SELECT lp.id FROM {LP} lp WHERE lp.consumer_id = i.consumer_id"
        " AND lp.provider_id = i.provider_id ORDER BY lp.consumer_version_order DESC LIMIT 1) ol"
        f" WHERE i.provider_id = %s{where}{extra_where}"
    )
    return _Arm(sql, [provider_id, *params], selector, kind)


def _environment_arm(selector, provider_id, environment_versions: list[EnvironmentVersion]) -> _Arm:
    picked = [
        (index, ev)
        for index, ev in enumerate(environment_versions)
        if (
            ev.kind == "deployed"
            and (selector.deployed or selector.in_environment_only)
            or ev.kind == "released"
            and (selector.released or selector.in_environment_only)
        )
        and (not selector.environment or ev.environment_name == selector.environment)
    ]
    where, params = _consumer_filter(selector, "lp.consumer_id")
    sql = (
        "SELECT {arm}, lp.id, NULL::text, ev.idx, NULL::text"
        " FROM unnest(%s::bigint[], %s::int[]) AS ev(version_id, idx)"
        f" JOIN {LP} lp ON lp.consumer_version_id = ev.version_id AND lp.provider_id = %s{where}"
    )
    return _Arm(sql, [[ev.version_id for _, ev in picked], [i for i, _ in picked], provider_id, *params], selector)


def _arms_for(selector: Selector, provider_id: int, environment_versions) -> list[_Arm]:
    if selector.deployed or selector.released or selector.environment:
        return [_environment_arm(selector, provider_id, environment_versions)]
    if selector.main_branch:
        return [_branch_head_arm(selector, provider_id, "bh.branch_name = c.main_branch", [])]
    if selector.latest_for_each_branch:
        return [_branch_head_arm(selector, provider_id, "TRUE", [])]
    if isinstance(selector.branch, str):
        return [_branch_head_arm(selector, provider_id, "bh.branch_name = %s", [selector.branch])]
    if selector.latest_for_tag:
        return [_latest_tag_arm(selector, provider_id, selector.tag)]
    if selector.all_for_tag:
        where, params = _consumer_filter(selector, "i.consumer_id")
        sql = (
            "SELECT {arm}, lp.id, NULL::text, NULL::int, NULL::text FROM contracts_integration i"
            " JOIN contracts_tag t ON t.pacticipant_id = i.consumer_id AND t.name = %s"
            f" JOIN {LP} lp ON lp.consumer_version_id = t.version_id AND lp.provider_id = i.provider_id"
            f" WHERE i.provider_id = %s{where}"
        )
        return [_Arm(sql, [selector.tag, provider_id, *params], selector)]
    if selector.overall_latest:
        return [_overall_latest_arm(selector, provider_id)]
    return []


def _default_arms(provider_id: int, environment_versions) -> tuple[list[_Arm], list[Selector]]:
    """The broker's default selectors, resolved per consumer inside the SQL."""
    has_head = (
        "EXISTS (SELECT 1 FROM contracts_branchhead x WHERE x.pacticipant_id = i.consumer_id"
        " AND x.branch_name = (SELECT main_branch FROM contracts_pacticipant WHERE id = i.consumer_id))"
    )
    has_tag = (
        "EXISTS (SELECT 1 FROM contracts_tag x WHERE x.pacticipant_id = i.consumer_id AND x.name ="
        " (SELECT main_branch FROM contracts_pacticipant WHERE id = i.consumer_id))"
    )
    main = _branch_head_arm(None, provider_id, "bh.branch_name = c.main_branch", [], kind="main_branch")
    tag_sql = (
        "SELECT {arm}, lp.id, th.name, NULL::int, th.name FROM contracts_integration i"
        " JOIN contracts_pacticipant c ON c.id = i.consumer_id"
        " CROSS JOIN LATERAL (SELECT t.version_id, t.name FROM contracts_tag t WHERE t.pacticipant_id ="
        " i.consumer_id AND t.name = c.main_branch ORDER BY t.version_order DESC LIMIT 1) th"
        f" JOIN {LP} lp ON lp.consumer_version_id = th.version_id AND lp.provider_id = i.provider_id"
        f" WHERE i.provider_id = %s AND NOT {has_head}"
    )
    latest = _overall_latest_arm(None, provider_id, f" AND NOT {has_head} AND NOT {has_tag}", kind="latest")
    deployed, released = Selector(deployed=True), Selector(released=True)
    arms = [
        main,
        _Arm(tag_sql, [provider_id], None, "latest_tag"),
        latest,
        _environment_arm(deployed, provider_id, environment_versions),
        _environment_arm(released, provider_id, environment_versions),
    ]
    return arms, [deployed, released]


def selected_pacts(
    *, provider_id: int, selectors: list[Selector], environment_versions: list[EnvironmentVersion]
) -> list[SelectedPact]:
    """Run the selection (one statement) and merge by (consumer, content)."""
    arms = (
        [arm for s in selectors for arm in _arms_for(s, provider_id, environment_versions)]
        if selectors
        else _default_arms(provider_id, environment_versions)[0]
    )
    fallback = [s for s in selectors if s.fallback_tag and s.latest_for_tag]
    parts, params = [], []
    for index, arm in enumerate(arms):
        parts.append(arm.sql.format(arm=index))
        params += arm.params
    sql = "WITH sel(arm, lp_id, resolved_name, env_idx, latest_tag) AS (" + " UNION ALL ".join(parts) + ")"
    source = "sel"
    first_fallback_arm = len(arms)
    if fallback:
        fallback_parts = []
        for selector in fallback:
            arm = _latest_tag_arm(
                selector,
                provider_id,
                selector.fallback_tag,
                " AND NOT EXISTS (SELECT 1 FROM sel WHERE sel.latest_tag = %s)",
                [selector.tag],
            )
            arms.append(arm)
            fallback_parts.append(arm.sql.format(arm=len(arms) - 1))
            params += arm.params
        sql += ", allsel AS (SELECT * FROM sel UNION ALL " + " UNION ALL ".join(fallback_parts) + ")"
        source = "allsel"
    sql += (
        " SELECT s.arm, s.resolved_name, s.env_idx, lp.consumer_id, c.name, lp.consumer_version_id, v.number,"
        " lp.consumer_version_order, lp.pact_version_id, pv.sha"
        f" FROM {source} s JOIN {LP} lp ON lp.id = s.lp_id"
        " JOIN contracts_pacticipant c ON c.id = lp.consumer_id"
        " JOIN contracts_version v ON v.id = lp.consumer_version_id"
        " JOIN contracts_pactversion pv ON pv.id = lp.pact_version_id"
        " ORDER BY s.arm, lp.consumer_version_order"
    )
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    merged: dict[tuple[int, str], SelectedPact] = {}
    for arm_index, resolved_name, env_idx, consumer_id, consumer_name, cv_id, cv_number, cv_order, pv_id, sha in rows:
        arm = arms[arm_index]
        selector = _resolved_selector_template(
            arm, consumer_name, resolved_name, fallback_used=arm_index >= first_fallback_arm
        )
        resolved = SelectorMatch(
            selector=selector,
            consumer_version_id=cv_id,
            consumer_version_number=cv_number,
            consumer_version_order=cv_order,
            resolved_branch=resolved_name if (selector.main_branch or selector.branch is True) else None,
            environment=environment_versions[env_idx] if env_idx is not None else None,
        )
        pact = merged.get((consumer_id, sha))
        if pact is None:
            pact = merged[(consumer_id, sha)] = SelectedPact(
                consumer_id, consumer_name, pv_id, sha, cv_id, cv_number, cv_order
            )
        elif cv_order > pact.consumer_version_order:
            pact.consumer_version_id, pact.consumer_version_number = cv_id, cv_number
            pact.consumer_version_order = cv_order
        pact.selectors.append(resolved)
    return list(merged.values())


def _resolved_selector_template(arm: _Arm, consumer_name: str, resolved_name, fallback_used) -> Selector:
    if arm.default_kind == "main_branch":
        return Selector(main_branch=True, consumer=consumer_name)
    if arm.default_kind == "latest_tag":
        return Selector(tag=resolved_name, latest=True, consumer=consumer_name)
    if arm.default_kind == "latest":
        return Selector(latest=True, consumer=consumer_name)
    if not fallback_used:
        # A pact found without the fallback: the broker drops the fallback keys when it resolves the selector.
        return replace(arm.selector, fallback_tag=None, fallback_branch=None)
    return arm.selector
