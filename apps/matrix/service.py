"""The matrix and can-i-deploy: which versions have been verified with which, and may I deploy?

How a query is answered (the broker's lib/pact_broker/matrix/repository.rb and
docs/developer/matrix.md, re-designed for a constant number of SQL statements):

0. Parse: selectors (`q[][pacticipant]` with version / latest / tag / branch / mainBranch /
   environment) and options (latestby, limit, the target: latest / tag / environment /
   mainBranch, ignore selectors). `query_params.py`.
1. Resolve (1 statement, `resolution.selectors_resolve`): every specified and ignore selector
   becomes concrete version ids - an environment selector may stand for several versions (every
   version currently deployed or supported there), "latest" means the highest version order,
   "latest of a branch" the branch head. A version that was asked for but does not exist becomes
   the placeholder -1. Validation happens here too (unknown pacticipants, unknown environment).
   A specified selector is *ignored* when an ignore selector names its pacticipant, or its exact
   version.
2. Integrations and inferred selectors (1 statement,
   `resolution.integrations_and_inferred_resolve`): the pacticipants the specified versions
   integrate with; when the query has a target ("to the prod environment", "with the latest prod
   tag"), each such pacticipant gets an *inferred* selector resolved against that target.
3. Rows (1 statement, `rows.rows_find`): pacts of the selected consumer versions LEFT JOIN the
   verifications by the selected provider versions, ordered, limited, with version details.
   `latestby=cvp|cp` then keeps the newest row per group.
4. Summary (no SQL, `summary.summarise`): tri-state `deployable`, counts, reasons and notices.

So a matrix / can-i-deploy query costs 3 statements whatever the data volume. `matrix_page` (the
UI's browsable matrix) shares steps 0-2 and replaces step 3 by a page of rows and their count, with
`latestby` applied in SQL over every row (`row_pages.py`).
"""

from dataclasses import dataclass

from django.conf import settings

from apps.matrix.query_params import DEFAULT_LIMIT, MatrixOptions, UnresolvedSelector
from apps.matrix.resolution import (
    IntegrationRef,
    ResolvedMatrixSelector,
    integrations_and_inferred_resolve,
    selectors_resolve,
)
from apps.matrix.row_pages import rows_page
from apps.matrix.rows import Row, latestby_apply, rows_find
from apps.matrix.summary import Summary, summarise

LATESTBY_VALUES = ("cvpv", "cvp", "cp")


class MatrixQueryInvalid(Exception):
    """The query cannot be answered; `errors` are the broker's messages (a 400 `{"errors": [...]}`)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class MatrixResult:
    rows: list[Row]  # considered rows, then ignored rows (marked `ignored`)
    summary: Summary
    specified: list[ResolvedMatrixSelector]
    inferred: list[ResolvedMatrixSelector]
    integrations: list[IntegrationRef]


def _validate_before_lookup(selectors: list[UnresolvedSelector], options: MatrixOptions) -> list[str]:
    errors = []
    for s in selectors:
        if s.pacticipant_name is None:
            errors.append("Please specify the pacticipant name")
        elif s.version_number and s.latest:
            errors.append(f"A version number and latest flag cannot both be specified for {s.pacticipant_name}")
    for s in options.ignore_selectors:
        if s.pacticipant_name is None:
            errors.append("Please specify the pacticipant name for the ignore selector")
    if not selectors:
        errors.append("Please provide 1 or more version selectors.")
    targets = [bool(options.tag), bool(options.environment_name), bool(options.main_branch)]
    if sum(targets) > 1:
        errors.append("Cannot specify more than one of tag, environment and mainBranch.")
    if options.latest and options.environment_name:
        errors.append("Cannot specify both latest=true and an environment.")
    try:
        limit = int(options.limit) if options.limit is not None else DEFAULT_LIMIT
    except (TypeError, ValueError):
        limit = 0
    if limit < 1:
        errors.append("The limit must be 1 or greater.")
    # The broker has no upper bound; an unbounded LIMIT lets one request ask for every row (and a
    # number past bigint fails in SQL), so larger values are clamped (docs/limits.md).
    options.limit = min(limit, settings.MATRIX_LIMIT_MAX)
    if options.latestby is not None and options.latestby not in LATESTBY_VALUES:
        errors.append(f"Invalid latestby value '{options.latestby}'. Allowed values: cvpv, cvp, cp")
    return errors


def _matches_ignore(pacticipant_id: int, version_id: int | None, ignores: list[ResolvedMatrixSelector]) -> bool:
    for ignore in ignores:
        if ignore.pacticipant_or_version_does_not_exist or ignore.pacticipant_id != pacticipant_id:
            continue
        if ignore.version_id is None or ignore.version_id == version_id:
            return True
    return False


@dataclass
class _Resolved:
    specified: list[ResolvedMatrixSelector]
    inferred: list[ResolvedMatrixSelector]
    ignores: list[ResolvedMatrixSelector]
    integrations: list[IntegrationRef]


def _resolve(selectors: list[UnresolvedSelector], options: MatrixOptions) -> _Resolved:
    """Steps 0-2: validate, resolve the selectors, find the integrations and inferred selectors."""
    errors = _validate_before_lookup(selectors, options)
    if errors:
        raise MatrixQueryInvalid(errors)
    resolution = selectors_resolve(selectors, options.ignore_selectors, options.environment_name)
    errors = [f"Pacticipant {name} not found" for name in resolution.missing_pacticipants]
    if options.environment_name and resolution.environment_id is None:
        errors.append(f"Environment with name '{options.environment_name}' does not exist")
    if errors:
        raise MatrixQueryInvalid(errors)

    ignores = resolution.ignore
    specified = resolution.specified
    for s in specified:
        s.ignore = _matches_ignore(s.pacticipant_id, s.version_id, ignores)
    integrations, inferred = integrations_and_inferred_resolve(
        specified, options, resolution.environment_id, specified_count=len(selectors)
    )
    for s in inferred:
        s.ignore = _matches_ignore(s.pacticipant_id, s.version_id, ignores)
    return _Resolved(specified=specified, inferred=inferred, ignores=ignores, integrations=integrations)


def matrix_find(selectors: list[UnresolvedSelector], options: MatrixOptions) -> MatrixResult:
    """Answer a matrix query (3 SQL statements). Raises MatrixQueryInvalid for a 400."""
    resolved = _resolve(selectors, options)
    specified, inferred, ignores, integrations = (
        resolved.specified,
        resolved.inferred,
        resolved.ignores,
        resolved.integrations,
    )
    all_rows = rows_find(
        specified + inferred, specified, latest_tables=options.latestby is not None, limit=options.limit
    )
    all_rows = latestby_apply(all_rows, options.latestby)
    if options.success is not None:
        all_rows = [row for row in all_rows if row.success in options.success]
    considered, ignored = [], []
    for row in all_rows:
        if _matches_ignore(row.consumer_id, row.consumer_version_id, ignores) or _matches_ignore(
            row.provider_id, row.provider_version_id, ignores
        ):
            row.ignored = True
            ignored.append(row)
        else:
            considered.append(row)
    summary = summarise(
        rows=considered,
        ignored_rows=ignored,
        specified=specified,
        inferred=inferred,
        ignore_selectors=ignores,
        integrations=integrations,
        options=options,
    )
    return MatrixResult(
        rows=considered + ignored, summary=summary, specified=specified, inferred=inferred, integrations=integrations
    )


@dataclass
class MatrixPage:
    rows: list[Row]
    total: int  # rows in all pages
    offset: int
    size: int


def matrix_page(selectors: list[UnresolvedSelector], options: MatrixOptions, *, number: int, size: int) -> MatrixPage:
    """Page `number` (from 1) of `size` rows of a matrix query, and the count of all its rows
    (3 SQL statements, `row_pages.py`): for browsing, where the API's `matrix_find` answers the
    newest `limit` rows. `latestby` applies to every row, not only to the newest `limit`; ignore
    selectors and the `success` filter are the API's and are not read here."""
    resolved = _resolve(selectors, options)
    offset = (number - 1) * size
    rows, total = rows_page(
        resolved.specified + resolved.inferred, resolved.specified, latestby=options.latestby, offset=offset, size=size
    )
    return MatrixPage(rows=rows, total=total, offset=offset, size=size)


def can_i_deploy(
    *,
    pacticipant: str,
    version: str | None = None,
    environment: str | None = None,
    to_tag: str | None = None,
    branch: str | None = None,
    latest_tag: str | None = None,
    ignore: list[UnresolvedSelector] | None = None,
) -> MatrixResult:
    """can-i-deploy one pacticipant version (or the latest with a tag, or a branch head) to an
    environment (every version live there is checked: latestby=cvpv, broker issue #903) or to the
    latest versions with a tag (latestby=cvp)."""
    selector = UnresolvedSelector(
        pacticipant_name=pacticipant,
        version_number=version,
        branch=branch,
        tag=latest_tag,
        latest=bool(branch or latest_tag),
    )
    if environment:
        options = MatrixOptions(environment_name=environment, latestby="cvpv", ignore_selectors=ignore or [])
    else:
        options = MatrixOptions(tag=to_tag, latest=True, latestby="cvp", ignore_selectors=ignore or [])
    return matrix_find([selector], options)
