"""Pending pacts: is a failing verification of this content allowed not to fail the provider build?

The rules (the Ruby broker's `PactVersion#pending_for_provider_branch?` and
`select_pending_provider_version_tags`), evaluated for all selected contents in ONE statement:

- With a provider version branch B, a content is pending unless it has a successful verification
  (a) from a provider version on branch B, or
  (b) from a provider version on *another* branch, made before branch B was created.
  (b) is how a new feature branch inherits what the main branch already verified: a pact verified
  by `main` yesterday is not pending for `feat-x` created today, but a pact first verified by
  `main` after `feat-x` was branched off is still pending for `feat-x`. If branch B does not exist
  yet (its first verification is about to create it), any earlier successful verification from any
  branch counts. Provider versions on no branch never count for (b). WIP verifications count.
- Otherwise, with provider version tags, each tag is pending unless the content was verified
  successfully by a provider version carrying that tag when it was verified
  (`SuccessfulVerificationForProviderTag`, a snapshot kept by the verification service), or by one
  carrying another tag before the tag was first used. The pact is pending if any tag is.
- With neither, a content is pending until it has been verified successfully by anybody.
"""

from django.db import connection

SUCCESSFUL_TAGS = "verifications_successfulverificationforprovidertag"


def pending_by_pact_version(
    *,
    provider_id: int,
    pact_version_ids: list[int],
    provider_version_branch: str | None,
    provider_version_tags: list[str],
) -> dict[int, tuple[bool, list[str]]]:
    """{pact_version_id: (pending, pending provider tags)} for every id given."""
    if not pact_version_ids:
        return {}
    ids = list(pact_version_ids)
    with connection.cursor() as cursor:
        if provider_version_branch:
            cursor.execute(
                "WITH b AS (SELECT created_at FROM contracts_branch WHERE pacticipant_id = %(p)s AND name = %(b)s)"
                " SELECT ids.id, NOT ("
                "  EXISTS (SELECT 1 FROM verifications_verification v JOIN contracts_branchversion bv"
                "   ON bv.version_id = v.provider_version_id AND bv.branch_name = %(b)s"
                "   WHERE v.pact_version_id = ids.id AND v.success)"
                "  OR EXISTS (SELECT 1 FROM verifications_verification v JOIN contracts_branchversion bv"
                "   ON bv.version_id = v.provider_version_id AND bv.branch_name <> %(b)s"
                "   WHERE v.pact_version_id = ids.id AND v.success"
                "   AND (NOT EXISTS (SELECT 1 FROM b) OR v.created_at < (SELECT created_at FROM b))))"
                " FROM unnest(%(ids)s::bigint[]) AS ids(id)",
                {"p": provider_id, "b": provider_version_branch, "ids": ids},
            )
            return {row[0]: (row[1], []) for row in cursor.fetchall()}
        if provider_version_tags:
            cursor.execute(
                "SELECT ids.id, ARRAY(SELECT tag FROM unnest(%(tags)s::text[]) WITH ORDINALITY AS t(tag, n)"
                f"  WHERE NOT EXISTS (SELECT 1 FROM {SUCCESSFUL_TAGS} s WHERE s.pact_version_id = ids.id"
                "   AND s.provider_version_tag_name = t.tag)"
                f"  AND NOT EXISTS (SELECT 1 FROM {SUCCESSFUL_TAGS} s WHERE s.pact_version_id = ids.id"
                "   AND s.provider_version_tag_name <> t.tag AND s.execution_date < COALESCE("
                "    (SELECT min(created_at) FROM contracts_tag WHERE pacticipant_id = %(p)s AND name = t.tag),"
                "    'infinity'::timestamptz))"
                "  ORDER BY t.n)"
                " FROM unnest(%(ids)s::bigint[]) AS ids(id)",
                {"p": provider_id, "tags": list(provider_version_tags), "ids": ids},
            )
            return {row[0]: (bool(row[1]), list(row[1])) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT ids.id, NOT EXISTS (SELECT 1 FROM verifications_verification v"
            " WHERE v.pact_version_id = ids.id AND v.success) FROM unnest(%(ids)s::bigint[]) AS ids(id)",
            {"ids": ids},
        )
        return {row[0]: (row[1], []) for row in cursor.fetchall()}
