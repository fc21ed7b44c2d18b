"""Work-in-progress pacts: new pacts the provider has not verified yet, verified without failing the build.

Only when `includeWipPactsSince` is given and the provider names its branch (or tags). One statement
(the Ruby broker's `PactsForVerificationRepository#find_wip`, with its 2026 optimisations):

1. Candidates: current publications for the provider, *published* after the since-date, whose
   consumer version is the head of one of the consumer's branches or the latest version of one of
   its tags (one row per such branch/tag).
2. Branch mode (provider branch B) drops a candidate whose content was successfully verified, not as
   WIP, by a version of B; or by a version on another branch before B's first version was created
   (the inheritance rule of pending pacts). Both look only at verifications executed in the last
   `PACT_BROKER_VERIFIED_BY_OTHER_BRANCH_LOOKBACK_DAYS` days (30), which keeps the query bounded.
3. Tag mode does the same per provider tag, from the tag snapshot of successful verifications.
4. Pacts already selected explicitly (same consumer and content) are dropped by the caller; the rest
   are always pending, `wip: true`, selected "latest for branch/tag" of the head they came from.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

LP = "contracts_latestpactpublication"
SUCCESSFUL_TAGS = "verifications_successfulverificationforprovidertag"


@dataclass(frozen=True)
class WipRow:
    provider_tag: str | None
    branch_name: str | None
    tag_name: str | None
    consumer_id: int
    consumer_name: str
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    pact_version_id: int
    sha: str


# From the provider's publications since the date (an index range on (provider, created_at)), each
# row carrying what the answer needs, so the result is not joined back to the latest-pact table.
_CANDIDATE_COLUMNS = "lp.consumer_id, lp.consumer_version_id, lp.consumer_version_order, lp.pact_version_id"
_CANDIDATES = (
    "cand AS ("
    f" SELECT bh.branch_name AS branch_name, NULL::text AS tag_name, {_CANDIDATE_COLUMNS}"
    f" FROM contracts_pactpublication pp JOIN {LP} lp ON lp.pact_publication_id = pp.id"
    " JOIN contracts_branchhead bh ON bh.pacticipant_id = lp.consumer_id AND bh.version_id = lp.consumer_version_id"
    " WHERE pp.provider_id = %(p)s AND pp.created_at > %(since)s"
    " UNION ALL"
    f" SELECT NULL::text, t.name, {_CANDIDATE_COLUMNS}"
    f" FROM contracts_pactpublication pp JOIN {LP} lp ON lp.pact_publication_id = pp.id"
    " JOIN contracts_tag t ON t.version_id = lp.consumer_version_id"
    " WHERE pp.provider_id = %(p)s AND pp.created_at > %(since)s AND NOT EXISTS (SELECT 1 FROM contracts_tag t2"
    "  WHERE t2.pacticipant_id = t.pacticipant_id AND t2.name = t.name AND t2.version_order > t.version_order))"
)

# Version number and content SHA by key lookups (a join lets the planner hash whole tables).
_DETAILS = (
    " c.name, cand.consumer_id, cand.consumer_version_id,"
    " (SELECT v.number FROM contracts_version v WHERE v.id = cand.consumer_version_id),"
    " cand.consumer_version_order, cand.pact_version_id,"
    " (SELECT pv.sha FROM contracts_pactversion pv WHERE pv.id = cand.pact_version_id) FROM {source}"
    " JOIN contracts_pacticipant c ON c.id = cand.consumer_id"
)


# The look-back is on execution dates; also bounding creation (a day wider) lets the provider's
# newest-results index (provider, created_at) find them without reading every result of every branch
# version. Only a result dated more than a day after it was recorded could be missed.
_RECENT = " AND vf.created_at > now() - make_interval(days => %(lookback)s + 1)"


def wip_rows(
    *, provider_id: int, since: datetime, provider_version_branch: str | None, provider_version_tags: list[str]
) -> list[WipRow]:
    if provider_version_branch:
        sql = (
            "WITH " + _CANDIDATES + ","
            " first_version AS (SELECT v.created_at FROM contracts_branchversion bv"
            "  JOIN contracts_version v ON v.id = bv.version_id"
            "  WHERE bv.pacticipant_id = %(p)s AND bv.branch_name = %(b)s ORDER BY bv.version_order LIMIT 1)"
            " SELECT NULL::text, cand.branch_name, cand.tag_name,"
            + _DETAILS.format(source="cand")
            + " WHERE NOT EXISTS (SELECT 1 FROM verifications_verification vf JOIN contracts_branchversion bv"
            "  ON bv.version_id = vf.provider_version_id AND bv.pacticipant_id = %(p)s AND bv.branch_name = %(b)s"
            "  WHERE vf.pact_version_id = cand.pact_version_id AND vf.provider_id = %(p)s AND vf.success"
            "  AND NOT vf.wip AND vf.execution_date > now() - make_interval(days => %(lookback)s)" + _RECENT + ")"
            " AND NOT EXISTS (SELECT 1 FROM verifications_verification vf JOIN contracts_branchversion bv"
            "  ON bv.version_id = vf.provider_version_id AND bv.pacticipant_id = %(p)s AND bv.branch_name <> %(b)s"
            "  WHERE vf.pact_version_id = cand.pact_version_id AND vf.provider_id = %(p)s AND vf.success"
            "  AND NOT vf.wip AND vf.execution_date > now() - make_interval(days => %(lookback)s)"
            + _RECENT
            + "  AND vf.execution_date < COALESCE((SELECT created_at FROM first_version), 'infinity'::timestamptz))"
        )
        params = {
            "p": provider_id,
            "since": since,
            "b": provider_version_branch,
            "lookback": settings.PACT_BROKER_VERIFIED_BY_OTHER_BRANCH_LOOKBACK_DAYS,
        }
    elif provider_version_tags:
        sql = (
            "WITH "
            + _CANDIDATES
            + " SELECT pt.tag, cand.branch_name, cand.tag_name,"
            + _DETAILS.format(source="unnest(%(tags)s::text[]) AS pt(tag) CROSS JOIN cand")
            + f" WHERE NOT EXISTS (SELECT 1 FROM {SUCCESSFUL_TAGS} s WHERE s.pact_version_id = cand.pact_version_id"
            "  AND s.provider_version_tag_name = pt.tag AND NOT s.wip)"
            f" AND NOT EXISTS (SELECT 1 FROM {SUCCESSFUL_TAGS} s WHERE s.pact_version_id = cand.pact_version_id"
            "  AND s.provider_version_tag_name <> pt.tag AND NOT s.wip AND s.execution_date < COALESCE("
            "   (SELECT min(created_at) FROM contracts_tag WHERE pacticipant_id = %(p)s AND name = pt.tag),"
            "   'infinity'::timestamptz))"
        )
        params = {"p": provider_id, "since": since, "tags": list(provider_version_tags)}
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            WipRow(
                provider_tag=r[0],
                branch_name=r[1],
                tag_name=r[2],
                consumer_name=r[3],
                consumer_id=r[4],
                consumer_version_id=r[5],
                consumer_version_number=r[6],
                consumer_version_order=r[7],
                pact_version_id=r[8],
                sha=r[9],
            )
            for r in cursor.fetchall()
        ]
