"""Selector resolution: from what the user asked for to concrete version ids (2 SQL statements).

1. `selectors_resolve` turns the specified and ignore selectors into pacticipant and version ids
   in one statement (a VALUES list LATERAL-joined to one indexed lookup per selector kind:
   exact number, currently in an environment, tag (latest or all), branch head / branch
   versions (named or main branch), latest). A selector that names versions that do not exist
   resolves to NULL_VERSION_ID (-1): it matches no row and reads "no such version exists".
2. `integrations_and_inferred_resolve` finds the integrations of the specified pacticipants and,
   when the query has a target (latest / tag / environment / main branch), resolves the
   "other side" selectors for every integrated pacticipant that was not specified, in one
   statement:
   - consumer side (required): providers of the pacts published *for that consumer version*
     (not the integrations table: a consumer may drop a provider in a later version);
   - provider side (not required): consumers from the integrations table;
   - with two or more specified selectors and no target, only integrations between them.
"""

from dataclasses import dataclass, field

from django.db import connection

from apps.contracts.models import (
    BranchHead,
    BranchVersion,
    Integration,
    LatestPactPublication,
    Pacticipant,
    Tag,
    Version,
)
from apps.environments.models import CurrentlyDeployedVersion, Environment, ReleasedVersion
from apps.matrix.query_params import MatrixOptions, UnresolvedSelector

NULL_VERSION_ID = -1
NULL_PACTICIPANT_ID = -1

T = {
    "pacticipant": Pacticipant._meta.db_table,
    "version": Version._meta.db_table,
    "tag": Tag._meta.db_table,
    "branch_version": BranchVersion._meta.db_table,
    "branch_head": BranchHead._meta.db_table,
    "latest_pact": LatestPactPublication._meta.db_table,
    "integration": Integration._meta.db_table,
    "environment": Environment._meta.db_table,
    "currently_deployed": CurrentlyDeployedVersion._meta.db_table,
    "released": ReleasedVersion._meta.db_table,
}


@dataclass
class ResolvedMatrixSelector:
    """A matrix / can-i-deploy selector resolved to a pacticipant and a version (or to "any version"),
    the Ruby broker's `Matrix::ResolvedSelector`."""

    pacticipant_id: int
    pacticipant_name: str
    version_id: int | None = None  # None = any version; NULL_VERSION_ID = asked-for version missing
    version_number: str | None = None
    version_order: int | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False
    environment_name: str | None = None
    type: str = "specified"  # or "inferred"
    ignore: bool = False
    one_of_many: bool = False
    original: UnresolvedSelector = field(default_factory=UnresolvedSelector)

    @property
    def specified(self) -> bool:
        return self.type == "specified"

    @property
    def pacticipant_does_not_exist(self) -> bool:
        return self.pacticipant_id == NULL_PACTICIPANT_ID

    @property
    def version_does_not_exist(self) -> bool:
        return self.version_id == NULL_VERSION_ID

    @property
    def pacticipant_or_version_does_not_exist(self) -> bool:
        return self.pacticipant_does_not_exist or self.version_does_not_exist

    def description(self) -> str:
        """How the broker names a selector in reasons (the Ruby broker's ResolvedSelector#description)."""
        name, number = self.pacticipant_name, self.version_number
        found = self.version_id not in (None, NULL_VERSION_ID)
        number = number if found or self.original.version_number else None
        if self.latest and self.tag:
            return (
                f"the latest version of {name} with tag {self.tag} ({number})"
                if number
                else f"the latest version of {name} with tag {self.tag} (no such version exists)"
            )
        if self.latest and self.main_branch and not number:
            return f"the latest version of {name} from the main branch (no versions exist for this branch)"
        if self.main_branch and not number:
            return f"any version of {name} from the main branch (no versions exist for this branch)"
        if self.latest and self.branch:
            return (
                f"the latest version of {name} from branch {self.branch} ({number})"
                if number
                else f"the latest version of {name} from branch {self.branch} (no such version exists)"
            )
        if self.branch:
            prefix = "one of the versions" if self.one_of_many else "the version"
            return (
                f"{prefix} of {name} from branch {self.branch} ({number})"
                if number
                else f"a version of {name} from branch {self.branch} (no such version exists)"
            )
        if self.latest:
            return (
                f"the latest version of {name} ({number})"
                if number
                else f"the latest version of {name} (no such version exists)"
            )
        if self.tag:
            return (
                f"a version of {name} with tag {self.tag} ({number})"
                if number
                else f"a version of {name} with tag {self.tag} (no such version exists)"
            )
        if self.environment_name:
            prefix = "one of the versions" if self.one_of_many else "the version"
            return (
                f"{prefix} of {name} currently in {self.environment_name} ({number})"
                if number
                else f"a version of {name} currently in {self.environment_name} (no version is currently "
                f"recorded as deployed/released in this environment)"
            )
        if number and self.version_does_not_exist:
            return f"version {number} of {name} (no such version exists)"
        if number:
            return f"version {number} of {name}"
        if self.pacticipant_does_not_exist:
            return f"any version of {name} (no such pacticipant exists)"
        return f"any version of {name}"

    def version_does_not_exist_description(self) -> str:
        name = self.pacticipant_name
        if self.tag:
            return f"No version with tag {self.tag} exists for {name}"
        if self.branch:
            return f"No version of {name} from branch {self.branch} exists"
        if self.main_branch:
            return f"No version of {name} from the main branch exists"
        if self.environment_name:
            return (
                f"No version of {name} is currently recorded as deployed or released in environment "
                f"{self.environment_name}"
            )
        if self.version_number:
            return f"No pacts or verifications have been published for version {self.version_number} of {name}"
        return f"No pacts or verifications have been published for {name}"


@dataclass(frozen=True)
class IntegrationRef:
    consumer_id: int
    consumer_name: str
    provider_id: int
    provider_name: str
    required: bool


# The versions one selector stands for. `s` has: number, env_id, tag, branch, main, latest; `p` is
# the pacticipant. Exactly one arm applies to a selector; each arm is one indexed lookup.
_VERSIONS_LATERAL = """
LEFT JOIN LATERAL (
    SELECT v.id, v.number, v."order" FROM {version} v
     WHERE s.number IS NOT NULL AND v.pacticipant_id = p.id AND v.number = s.number
    UNION ALL
    SELECT v.id, v.number, v."order" FROM {currently_deployed} c JOIN {version} v ON v.id = c.version_id
     WHERE s.number IS NULL AND s.env_id IS NOT NULL AND c.environment_id = s.env_id AND c.pacticipant_id = p.id
    UNION ALL
    SELECT v.id, v.number, v."order" FROM {released} r JOIN {version} v ON v.id = r.version_id
     WHERE s.number IS NULL AND s.env_id IS NOT NULL AND r.environment_id = s.env_id AND r.pacticipant_id = p.id
       AND r.support_ended_at IS NULL
    UNION ALL
    (SELECT v.id, v.number, v."order" FROM {tag} t JOIN {version} v ON v.id = t.version_id
      WHERE s.number IS NULL AND s.env_id IS NULL AND s.tag IS NOT NULL AND t.pacticipant_id = p.id
        AND t.name = s.tag
      ORDER BY t.version_order DESC LIMIT CASE WHEN s.latest THEN 1 END)
    UNION ALL
    SELECT v.id, v.number, v."order" FROM {branch_head} h JOIN {version} v ON v.id = h.version_id
     WHERE s.number IS NULL AND s.env_id IS NULL AND s.tag IS NULL AND s.latest AND h.pacticipant_id = p.id
       AND h.branch_name = COALESCE(s.branch, CASE WHEN s.main THEN p.main_branch END)
    UNION ALL
    SELECT v.id, v.number, v."order" FROM {branch_version} b JOIN {version} v ON v.id = b.version_id
     WHERE s.number IS NULL AND s.env_id IS NULL AND s.tag IS NULL AND NOT s.latest AND b.pacticipant_id = p.id
       AND b.branch_name = COALESCE(s.branch, CASE WHEN s.main THEN p.main_branch END)
    UNION ALL
    (SELECT v.id, v.number, v."order" FROM {version} v
      WHERE s.number IS NULL AND s.env_id IS NULL AND s.tag IS NULL AND s.branch IS NULL AND NOT s.main
        AND s.latest AND v.pacticipant_id = p.id
      ORDER BY v."order" DESC LIMIT 1)
) v ON true
""".format(**T)


def _selector_values(rows: list[tuple]) -> tuple[str, list]:
    """A typed VALUES list for (idx, name, number, tag, branch, main, latest, env)."""
    placeholders = ", ".join(
        ["(%s::int, %s::text, %s::text, %s::text, %s::text, %s::bool, %s::bool, %s::text)"] * len(rows)
    )
    return placeholders, [value for row in rows for value in row]


def _selector_row(idx: int, s: UnresolvedSelector) -> tuple:
    return (idx, s.pacticipant_name, s.version_number, s.tag, s.branch, s.main_branch, s.latest, s.environment_name)


@dataclass
class Resolution:
    specified: list[ResolvedMatrixSelector]
    ignore: list[ResolvedMatrixSelector]
    missing_pacticipants: list[str]
    environment_id: int | None


def _criteria_given(s: UnresolvedSelector) -> bool:
    return bool(s.version_number or s.latest or s.tag or s.branch or s.main_branch or s.environment_name)


def _build(
    rows_by_idx: dict, idx: int, original: UnresolvedSelector, type_: str, options: MatrixOptions | None = None
) -> list[ResolvedMatrixSelector]:
    """ResolvedSelectors (one per version found) from the SQL rows of one selector."""
    rows = rows_by_idx.get(idx, [])
    seen, versions = set(), []
    for row in rows:
        if row["version_id"] is not None and row["version_id"] not in seen:
            seen.add(row["version_id"])
            versions.append(row)
    first = rows[0] if rows else None
    if first is None or first["pacticipant_id"] is None:
        return [
            ResolvedMatrixSelector(
                NULL_PACTICIPANT_ID,
                original.pacticipant_name,
                type=type_,
                original=original,
                version_number=original.version_number,
            )
        ]
    base = dict(
        pacticipant_id=first["pacticipant_id"],
        pacticipant_name=first["pacticipant_name"],
        type=type_,
        original=original,
        latest=original.latest,
        tag=original.tag,
        branch=original.branch,
        main_branch=original.main_branch,
        environment_name=original.environment_name,
    )
    if options is not None:  # an inferred selector takes the query's target
        base.update(
            latest=options.latest,
            tag=options.tag,
            main_branch=options.main_branch,
            environment_name=options.environment_name,
        )
    if not versions:
        wanted = _criteria_given(original) if options is None else options.infers_selectors()
        return [
            ResolvedMatrixSelector(
                **base, version_id=NULL_VERSION_ID if wanted else None, version_number=original.version_number
            )
        ]
    resolved = []
    for row in versions:
        selector = ResolvedMatrixSelector(
            **base,
            version_id=row["version_id"],
            version_number=row["version_number"],
            version_order=row["version_order"],
            one_of_many=len(versions) > 1,
        )
        if selector.main_branch and not selector.branch:
            selector.branch = first["main_branch"]
        resolved.append(selector)
    return resolved


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [col.name for col in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def selectors_resolve(
    specified: list[UnresolvedSelector], ignore: list[UnresolvedSelector], environment_name: str | None
) -> Resolution:
    """One statement: specified + ignore selectors to versions, and the option environment's id."""
    rows = [_selector_row(i, s) for i, s in enumerate(specified)]
    rows += [_selector_row(len(specified) + i, s) for i, s in enumerate(ignore)]
    values, params = _selector_values(rows)
    sql = f"""
    WITH sel(idx, name, number, tag, branch, main, latest, env) AS (VALUES {values}),
    s AS (
        SELECT sel.*, e.id AS env_id FROM sel LEFT JOIN {T["environment"]} e ON e.name = sel.env
    )
    SELECT s.idx, p.id AS pacticipant_id, p.name AS pacticipant_name, p.main_branch,
           v.id AS version_id, v.number AS version_number, v."order" AS version_order,
           (SELECT id FROM {T["environment"]} WHERE name = %s) AS option_environment_id
      FROM s
      LEFT JOIN {T["pacticipant"]} p ON p.name = s.name
      {_VERSIONS_LATERAL}
     ORDER BY s.idx, v."order" DESC NULLS LAST
    """
    result = _fetch(sql, [*params, environment_name])
    by_idx: dict[int, list[dict]] = {}
    for row in result:
        by_idx.setdefault(row["idx"], []).append(row)
    resolved_specified, missing = [], []
    for i, selector in enumerate(specified):
        built = _build(by_idx, i, selector, "specified")
        if built[0].pacticipant_does_not_exist:
            missing.append(selector.pacticipant_name)
        resolved_specified.extend(built)
    resolved_ignore = []
    for i, selector in enumerate(ignore):
        resolved_ignore.extend(_build(by_idx, len(specified) + i, selector, "specified"))
    return Resolution(
        specified=resolved_specified,
        ignore=resolved_ignore,
        missing_pacticipants=missing,
        environment_id=result[0]["option_environment_id"] if result else None,
    )


def integrations_and_inferred_resolve(
    specified: list[ResolvedMatrixSelector], options: MatrixOptions, environment_id: int | None, specified_count: int
) -> tuple[list[IntegrationRef], list[ResolvedMatrixSelector]]:
    """One statement: the integrations to check and the resolved "other side" selectors."""
    version_ids = [s.version_id for s in specified if s.version_id is not None]
    any_version_ids = [s.pacticipant_id for s in specified if s.version_id is None]
    all_ids = list({s.pacticipant_id for s in specified})
    infer = options.infers_selectors()
    if infer or specified_count == 1:
        integrations_sql = f"""
        SELECT DISTINCT l.consumer_id, l.provider_id, true AS required
          FROM {T["latest_pact"]} l WHERE l.consumer_version_id = ANY(%(version_ids)s)
        UNION
        SELECT i.consumer_id, i.provider_id, true FROM {T["integration"]} i
         WHERE i.consumer_id = ANY(%(any_version_ids)s)
        UNION
        SELECT i.consumer_id, i.provider_id, false FROM {T["integration"]} i WHERE i.provider_id = ANY(%(all_ids)s)
        """
    else:
        integrations_sql = f"""
        SELECT DISTINCT l.consumer_id, l.provider_id, true AS required
          FROM {T["latest_pact"]} l
         WHERE l.consumer_version_id = ANY(%(version_ids)s) AND l.provider_id = ANY(%(all_ids)s)
        UNION
        SELECT i.consumer_id, i.provider_id, true FROM {T["integration"]} i
         WHERE i.consumer_id = ANY(%(any_version_ids)s) AND i.provider_id = ANY(%(all_ids)s)
        """
    inferred_sql = ""
    if infer:
        inferred_sql = f"""
        UNION ALL
        SELECT 'S', p.id, p.name, NULL::bigint, p.main_branch, NULL::bool,
               v.id, v.number, v."order"
          FROM (SELECT DISTINCT x.id FROM integ,
                LATERAL (VALUES (integ.consumer_id), (integ.provider_id)) AS x(id)
                WHERE x.id <> ALL(%(all_ids)s)) others
          JOIN {T["pacticipant"]} p ON p.id = others.id
          CROSS JOIN (SELECT NULL::text AS number, %(env_id)s::bigint AS env_id, %(tag)s::text AS tag,
                             NULL::text AS branch, %(main)s::bool AS main, %(latest)s::bool AS latest) s
          {_VERSIONS_LATERAL}
        """
    sql = f"""
    WITH integ AS ({integrations_sql})
    SELECT 'I' AS kind, integ.consumer_id AS a_id, c.name AS a_name, integ.provider_id AS b_id,
           pr.name AS b_name, integ.required, NULL::bigint AS version_id, NULL::text AS version_number,
           NULL::bigint AS version_order
      FROM integ JOIN {T["pacticipant"]} c ON c.id = integ.consumer_id
      JOIN {T["pacticipant"]} pr ON pr.id = integ.provider_id
    {inferred_sql}
    ORDER BY 1, 3, 9 DESC NULLS LAST
    """
    params = {
        "version_ids": version_ids,
        "any_version_ids": any_version_ids,
        "all_ids": all_ids,
        "env_id": environment_id,
        "tag": options.tag,
        "main": options.main_branch,
        "latest": options.latest,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    pairs: dict[tuple[int, int], IntegrationRef] = {}
    inferred_rows: dict[int, list[dict]] = {}
    for kind, a_id, a_name, b_id, b_name, required, version_id, version_number, version_order in result:
        if kind == "I":
            key = (a_id, b_id)
            if key not in pairs or (required and not pairs[key].required):
                pairs[key] = IntegrationRef(a_id, a_name, b_id, b_name, bool(required))
        else:
            inferred_rows.setdefault(a_id, []).append(
                {
                    "pacticipant_id": a_id,
                    "pacticipant_name": a_name,
                    "main_branch": b_name,
                    "version_id": version_id,
                    "version_number": version_number,
                    "version_order": version_order,
                }
            )
    inferred: list[ResolvedMatrixSelector] = []
    for pacticipant_id in sorted(inferred_rows, key=lambda pid: inferred_rows[pid][0]["pacticipant_name"]):
        rows = inferred_rows[pacticipant_id]
        original = UnresolvedSelector(pacticipant_name=rows[0]["pacticipant_name"])
        inferred.extend(_build({0: rows}, 0, original, "inferred", options))
    return list(pairs.values()), inferred
