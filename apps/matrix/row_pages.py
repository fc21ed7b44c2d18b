"""One page of matrix rows and the count of them all, in one SQL statement (the UI's matrix page).

The matrix API answers as the Ruby broker does: the newest `limit` rows, then `latestby=cvp|cp`
keeps one row per group among them (`rows.latestby_apply`, in Python). A page of a browsable
matrix cannot work that way - the groups would straddle pages and no total could be counted - so
here the whole query runs in SQL, over the same candidate rows (`rows.candidates_sql`) and with the
same row columns (`rows.row_select`):

1. candidates: every (pact publication, verification) pair the selectors match (no top-`limit`
   bound, since every row is counted); a filter on one application alone ("Foo's versions on
   branch main", several versions) reads as one selector: Foo's rows as consumer or as provider;
2. `latestby` (cvp: the newest provider version per consumer version and provider; cp: the newest
   consumer version, then provider version, per consumer and provider; cvpv is already one row
   per consumer version and provider version in the latest tables) as a window `row_number()`;
3. the total (`count(*)`) and the page (`ORDER BY last action LIMIT size OFFSET offset`), the
   version details aggregated for the page's rows only. A page past the end still answers one
   row, all NULL but the total, so the count never needs a second statement.
"""

from django.db import connection

from apps.matrix.resolution import ResolvedMatrixSelector
from apps.matrix.rows import ROW_ORDER, T2, Row, candidates_sql, row_select

# row_number() partitions: which rows compete for one place under each latestby.
_GROUPS = {
    "cvp": ("pp.consumer_version_id, pp.provider_id", 'pv."order" DESC NULLS LAST'),
    "cp": ("pp.consumer_id, pp.provider_id", 'cv."order" DESC, pv."order" DESC NULLS LAST'),
}


def rows_page(
    selectors: list[ResolvedMatrixSelector],
    specified: list[ResolvedMatrixSelector],
    *,
    latestby: str | None,
    offset: int,
    size: int,
) -> tuple[list[Row], int]:
    """(the rows of the page, newest first; how many rows there are in all)."""
    candidates, params = candidates_sql(
        selectors, specified, latest_tables=latestby is not None, bound=False, one_pacticipant_as_one=True
    )
    params.update(offset=offset, size=size)
    if latestby in _GROUPS:
        partition, preference = _GROUPS[latestby]
        rank = f"row_number() OVER (PARTITION BY {partition} ORDER BY {preference}, {ROW_ORDER})"
    else:
        rank = "1"
    sql = f"""
    WITH candidates AS ({candidates}),
    ranked AS (
        SELECT c.pp_id, c.v_id, {rank} AS rank,
               GREATEST(pp.created_at, COALESCE(v.created_at, pp.created_at)) AS last_action,
               cv."order" AS cv_order, v.id AS verification_id
          FROM candidates c
          JOIN {T2["pact_publication"]} pp ON pp.id = c.pp_id
          JOIN {T2["version"]} cv ON cv.id = pp.consumer_version_id
          LEFT JOIN {T2["verification"]} v ON v.id = c.v_id
          LEFT JOIN {T2["version"]} pv ON pv.id = v.provider_version_id
    ),
    kept AS (SELECT * FROM ranked WHERE rank = 1),
    limited AS (
        SELECT pp_id, v_id, row_number() OVER (ORDER BY last_action DESC, cv_order DESC,
                                                       verification_id DESC NULLS FIRST) AS position
          FROM kept
         ORDER BY last_action DESC, cv_order DESC, verification_id DESC NULLS FIRST
         LIMIT %(size)s OFFSET %(offset)s
    ),
    page AS ({row_select("limited", leading="limited.position,")})
    SELECT totals.total, page.*
      FROM (SELECT count(*) AS total FROM kept) totals
      LEFT JOIN page ON true
     ORDER BY page.position
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    total = records[0][0] if records else 0
    # (total, position, *Row columns); an empty page is one record of NULLs.
    return [Row(*record[2:]) for record in records if record[1] is not None], total
