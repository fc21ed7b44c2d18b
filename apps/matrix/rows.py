"""The matrix rows: pacts of the selected consumer versions LEFT JOIN their verifications (1 SQL).

A row is (consumer version, provider, pact publication) joined to a verification of that pact's
*content* (PactVersion) by a selected provider version, or NULLs when there is none. Because
verifications attach to content, a new consumer version publishing identical content is verified
already ("pre-verified").

- With `latestby` (what clients use) the pact side is LatestPactPublication (the current revision
  per consumer version and provider) and the verification side LatestVerification (the newest
  result per content and provider version), so each (consumer version, provider version) appears
  once. Without it, every revision and every verification is a row.
- With one selector the rows are those where it is the consumer (all verifications) *or* the
  provider (pacts whose content its versions verified); with more, the consumer version must match
  a selector, the provider must be a selected pacticipant, the verifying provider version must
  match a selector, and either side must be a specified pacticipant.
- Rows are ordered by last action (newest first) and cut at `limit` in SQL; the version details
  the HAL rows show (tags, branches, environments) are aggregated in the same statement, for the
  limited rows only.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from apps.contracts.models import PactPublication, PactVersion
from apps.matrix.resolution import ResolvedMatrixSelector, T
from apps.provider_contracts.models import ComparisonVerification
from apps.verifications.models import LatestVerification, Verification

T2 = {
    **T,
    "pact_publication": PactPublication._meta.db_table,
    "pact_version": PactVersion._meta.db_table,
    "verification": Verification._meta.db_table,
    "latest_verification": LatestVerification._meta.db_table,
    "comparison_verification": ComparisonVerification._meta.db_table,
}


@dataclass
class Row:
    consumer_id: int
    consumer_name: str
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    provider_id: int
    provider_name: str
    pact_publication_id: int
    pact_revision_number: int
    pact_created_at: datetime
    pact_version_sha: str
    provider_version_id: int | None
    provider_version_number: str | None
    provider_version_order: int | None
    verification_id: int | None
    verification_number: int | None
    success: bool | None
    verified_at: datetime | None
    consumer_version_tags: list
    consumer_version_branches: list
    consumer_version_environments: list
    provider_version_tags: list | None
    provider_version_branches: list | None
    provider_version_environments: list | None
    # Bi-directional testing: the verification is a cross-contract comparison of the pact with the
    # provider's contract (apps/provider_contracts); this is its reason. None for a Pact verification.
    cross_contract: str | None = None
    ignored: bool = False


def _version_details(alias: str) -> str:
    """Tags (with latest flag), branch versions (with head flag) and current environments of a version."""
    return f"""
    (SELECT COALESCE(json_agg(json_build_object(
                'name', t.name,
                'latest', NOT EXISTS (SELECT 1 FROM {T2["tag"]} t2 WHERE t2.pacticipant_id = t.pacticipant_id
                                        AND t2.name = t.name AND t2.version_order > t.version_order))
            ORDER BY t.created_at, t.name), '[]'::json)
       FROM {T2["tag"]} t WHERE t.version_id = {alias}.id) AS {alias}_tags,
    (SELECT COALESCE(json_agg(json_build_object(
                'name', b.branch_name,
                'latest', EXISTS (SELECT 1 FROM {T2["branch_head"]} h WHERE h.branch_version_id = b.id))
            ORDER BY b.created_at, b.id), '[]'::json)
       FROM {T2["branch_version"]} b WHERE b.version_id = {alias}.id) AS {alias}_branches,
    (SELECT COALESCE(json_agg(json_build_object(
                'uuid', e.uuid, 'name', e.name, 'displayName', e.display_name, 'production', e.production,
                'createdAt', e.created_at) ORDER BY e.name), '[]'::json)
       FROM {T2["environment"]} e
      WHERE e.id IN (SELECT c.environment_id FROM {T2["currently_deployed"]} c WHERE c.version_id = {alias}.id
                     UNION
                     SELECT r.environment_id FROM {T2["released"]} r
                      WHERE r.version_id = {alias}.id AND r.support_ended_at IS NULL)) AS {alias}_envs
    """


def _either(*conditions) -> str:
    present = [c for c in conditions if c]
    return f"({' OR '.join(present)})" if present else "FALSE"


def _newest_rows_of_pacticipant(latest_tables: bool) -> str:
    """The candidate rows of a one-pacticipant query (every version, as consumer or as provider),
    bounded so that the top `limit` rows by last action are among them without reading the
    pacticipant's whole history.

    A row's order key is the later of its publication's and its verification's creation. So a row
    in the top `limit` either has one of the `limit` newest verifications of the pacticipant
    (`newest_v`, with every publication of that content), or one of its `limit` newest
    publications (`newest_p`) with a verification made before it, of which only the `limit`
    highest ids can rank (same key, ties broken by verification id), or no verification at all.
    Pact content belongs to one consumer and one provider, so any publication and verification
    sharing content with the pacticipant's are rows of the matrix.
    """
    pp, latest_pact = T2["pact_publication"], T2["latest_pact"]
    if latest_tables:  # the current revision per consumer version; the newest result per provider version
        v_table, v_id = T2["latest_verification"], "verification_id"
        p_filter = f"AND EXISTS (SELECT 1 FROM {latest_pact} l WHERE l.pact_publication_id = p.id)"
        content_publications = (
            f"SELECT l.pact_publication_id FROM {latest_pact} l WHERE l.pact_version_id = nv.pact_version_id"
        )
    else:
        v_table, v_id = T2["verification"], "id"
        p_filter = ""
        content_publications = f"SELECT p.id FROM {pp} p WHERE p.pact_version_id = nv.pact_version_id"
    newest_v = " UNION ".join(
        f"(SELECT x.{v_id} AS id, x.pact_version_id FROM {v_table} x WHERE x.{side} = %(pacticipant_id)s "
        f"ORDER BY x.created_at DESC LIMIT %(limit)s)"
        for side in ("consumer_id", "provider_id")
    )
    newest_p = (
        f"(SELECT p.id, p.pact_version_id, p.created_at FROM {pp} p WHERE p.consumer_id = %(pacticipant_id)s "
        f"{p_filter} ORDER BY p.created_at DESC LIMIT %(limit)s) UNION "
        f"(SELECT p.id, p.pact_version_id, p.created_at FROM {pp} p WHERE p.provider_id = %(pacticipant_id)s "
        f"{p_filter} AND EXISTS (SELECT 1 FROM {v_table} x WHERE x.pact_version_id = p.pact_version_id) "
        f"ORDER BY p.created_at DESC LIMIT %(limit)s)"
    )
    return f"""
        WITH newest_v AS ({newest_v}), newest_p AS ({newest_p})
        SELECT publication.id AS pp_id, nv.id AS v_id
          FROM newest_v nv CROSS JOIN LATERAL ({content_publications}) publication(id)
        UNION
        SELECT np.id, earlier.id
          FROM newest_p np CROSS JOIN LATERAL (
               SELECT x.{v_id} AS id FROM {v_table} x
                WHERE x.pact_version_id = np.pact_version_id AND x.created_at <= np.created_at
                ORDER BY x.{v_id} DESC LIMIT %(limit)s) earlier
        UNION
        SELECT np.id, NULL FROM newest_p np
         WHERE NOT EXISTS (SELECT 1 FROM {v_table} x WHERE x.pact_version_id = np.pact_version_id)
    """


def candidates_sql(
    selectors: list[ResolvedMatrixSelector],
    specified: list[ResolvedMatrixSelector],
    *,
    latest_tables: bool,
    bound: bool,
    one_pacticipant_as_one: bool = False,
) -> tuple[str, dict]:
    """The candidate rows' SQL (`pp_id`, `v_id`) and its parameters; `limit` is left to the caller.
    `bound`: a one-pacticipant query reads only what can rank in the top `limit` rows (the matrix
    API); a page that counts every row (the UI's, `row_pages.py`) needs them all.
    `one_pacticipant_as_one`: selectors that all name one pacticipant (a branch or an environment
    resolves to one selector per version) are one selector - its rows as consumer or as provider.
    The API keeps the broker's reading (several selectors: only rows between them), the UI's
    filters need this one."""
    version_ids = [s.version_id for s in selectors if s.version_id is not None]
    any_version_ids = list({s.pacticipant_id for s in selectors if s.version_id is None})
    params = {
        "version_ids": version_ids,
        "any_version_ids": any_version_ids,
        "all_ids": list({s.pacticipant_id for s in selectors}),
        "specified_ids": list({s.pacticipant_id for s in specified}),
    }
    if latest_tables:
        pacts = f"{T2['latest_pact']} l JOIN {T2['pact_publication']} pp ON pp.id = l.pact_publication_id"
        consumer_version = "l.consumer_version_id"
        verification_join = f"({T2['latest_verification']} lv JOIN {T2['verification']} v ON v.id = lv.verification_id)"
        verification_pact, verification_pv = "lv.pact_version_id", "lv.provider_version_id"
    else:
        pacts = f"{T2['pact_publication']} pp"
        consumer_version = "pp.consumer_version_id"
        verification_join = f"{T2['verification']} v"
        verification_pact, verification_pv = "v.pact_version_id", "v.provider_version_id"
    # Only the forms the selectors use: an OR across two tables would hide the indexes from the planner.
    consumer_matches = _either(
        version_ids and f"{consumer_version} = ANY(%(version_ids)s)",
        any_version_ids and "pp.consumer_id = ANY(%(any_version_ids)s)",
    )
    provider_version_matches = _either(
        version_ids and f"{verification_pv} = ANY(%(version_ids)s)",
        any_version_ids and "v.provider_id = ANY(%(any_version_ids)s)",
    )
    columns = "pp.id AS pp_id, v.id AS v_id"
    single = len(selectors) == 1 or (one_pacticipant_as_one and len(params["all_ids"]) == 1)
    if len(selectors) == 1 and not version_ids and bound:
        params["pacticipant_id"] = any_version_ids[0]
        candidates = _newest_rows_of_pacticipant(latest_tables)
    elif single:
        candidates = f"""
        SELECT {columns} FROM {pacts}
          LEFT JOIN {verification_join} ON {verification_pact} = pp.pact_version_id
         WHERE {consumer_matches}
        UNION
        SELECT {columns} FROM {verification_join}
          JOIN {pacts} ON pp.pact_version_id = {verification_pact} AND pp.provider_id = v.provider_id
         WHERE {provider_version_matches}
        """
    else:
        candidates = f"""
        SELECT {columns} FROM {pacts}
          LEFT JOIN {verification_join}
            ON {verification_pact} = pp.pact_version_id AND {provider_version_matches}
         WHERE {consumer_matches}
           AND pp.provider_id = ANY(%(all_ids)s)
           AND (pp.consumer_id = ANY(%(specified_ids)s) OR pp.provider_id = ANY(%(specified_ids)s))
        """
    return candidates, params


# A row's order: last action first (the later of its publication and its verification).
ROW_ORDER = """GREATEST(pp.created_at, COALESCE(v.created_at, pp.created_at)) DESC,
              cv."order" DESC, v.id DESC NULLS FIRST"""


def row_select(limited: str, leading: str = "") -> str:
    """The columns of `Row`, in its order (after the `leading` ones), for the (pp_id, v_id) pairs of
    the relation `limited`."""
    return f"""
    SELECT {leading} pp.consumer_id, cp.name, cv.id, cv.number, cv."order",
           pp.provider_id, prp.name, pp.id, pp.revision_number, pp.created_at, pv_content.sha,
           pv.id, pv.number, pv."order", v.id, v.number, v.success, v.execution_date,
           {_version_details("cv")},
           {_version_details("pv")},
           (SELECT x.reason FROM {T2["comparison_verification"]} x WHERE x.verification_id = v.id)
      FROM {limited}
      JOIN {T2["pact_publication"]} pp ON pp.id = limited.pp_id
      JOIN {T2["pact_version"]} pv_content ON pv_content.id = pp.pact_version_id
      JOIN {T2["pacticipant"]} cp ON cp.id = pp.consumer_id
      JOIN {T2["pacticipant"]} prp ON prp.id = pp.provider_id
      JOIN {T2["version"]} cv ON cv.id = pp.consumer_version_id
      LEFT JOIN {T2["verification"]} v ON v.id = limited.v_id
      LEFT JOIN {T2["version"]} pv ON pv.id = v.provider_version_id
    """


def rows_find(
    selectors: list[ResolvedMatrixSelector], specified: list[ResolvedMatrixSelector], *, latest_tables: bool, limit: int
) -> list[Row]:
    candidates, params = candidates_sql(selectors, specified, latest_tables=latest_tables, bound=True)
    params["limit"] = limit
    sql = f"""
    WITH candidates AS ({candidates}),
    limited AS (
        SELECT c.pp_id, c.v_id FROM candidates c
          JOIN {T2["pact_publication"]} pp ON pp.id = c.pp_id
          JOIN {T2["version"]} cv ON cv.id = pp.consumer_version_id
          LEFT JOIN {T2["verification"]} v ON v.id = c.v_id
         ORDER BY {ROW_ORDER}
         LIMIT %(limit)s
    )
    {row_select("limited")}
     ORDER BY {ROW_ORDER}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Row(*record) for record in cursor.fetchall()]


def latestby_apply(rows: list[Row], latestby: str | None) -> list[Row]:
    """cvp: per consumer version and provider keep the newest provider version's row; cp: per
    consumer and provider keep the newest consumer version (then provider version). Rows without a
    verification are always kept (there is only one such row per consumer version and provider)."""
    if latestby not in ("cvp", "cp"):
        return rows
    best: dict[tuple, Row] = {}
    for row in rows:
        if latestby == "cvp":
            key = (row.consumer_version_id, row.provider_id)
            rank = (row.provider_version_order or -1,)
        else:
            key = (row.consumer_id, row.provider_id)
            rank = (row.consumer_version_order, row.provider_version_order or -1)
        current = best.get(key)
        if current is None:
            best[key] = row
            continue
        current_rank = (
            (current.provider_version_order or -1,)
            if latestby == "cvp"
            else (current.consumer_version_order, current.provider_version_order or -1)
        )
        if rank > current_rank:
            best[key] = row
    kept = {id(row) for row in best.values()}
    return [row for row in rows if id(row) in kept]
