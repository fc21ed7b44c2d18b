"""The matrix page: a browsing tool over apps/matrix's query (the same selectors the API and the Pact
CLI use), filtered by application pair and, on each side, by version, branch, tag or environment;
paged in SQL (`apps.matrix.service.matrix_page`: a page of rows and the count of them all).

A verdict ("yes, you can deploy") is an answer to a question with a target: it is shown only when
an environment to deploy to is chosen, and then comes from `matrix_find`, as the API's answer to
the same query with `environment=` (what the CLI's can-i-deploy asks). Without a target the page
shows rows and counts, never a verdict."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render

from apps.accounts.permissions import Perm, require_permission
from apps.core.pagination import page_number_or_first
from apps.environments.queries import environments_list
from apps.matrix.query_params import MatrixOptions, UnresolvedSelector
from apps.matrix.service import LATESTBY_VALUES, MatrixQueryInvalid, matrix_find, matrix_page
from apps.ui import queries
from apps.ui.views.deploy import ANSWERS, LATESTBY_CHOICES

SIDES = (("consumer", "Consumer"), ("provider", "Provider"))
FILTERS = ("version", "branch", "tag", "environment")  # one of them a side
PAGE_SIZES = (50, 100)


@dataclass
class Side:
    key: str
    title: str
    application: str
    version: str
    branch: str
    tag: str
    environment: str
    latest: bool

    def filters_given(self) -> list[str]:
        return [name for name in FILTERS if getattr(self, name)]

    def selector(self) -> UnresolvedSelector:
        # "Latest only" narrows a branch or a tag (or all versions) to its newest; a number or an
        # environment names its versions already.
        latest = self.latest and not (self.version or self.environment)
        return UnresolvedSelector(
            pacticipant_name=self.application,
            version_number=self.version or None,
            branch=self.branch or None,
            tag=self.tag or None,
            environment_name=self.environment or None,
            latest=latest,
        )


def _text(request, name: str, limit: int = 255) -> str:
    return request.GET.get(name, "").strip()[:limit]


def _sides(request) -> list[Side]:
    return [
        Side(
            key=key,
            title=title,
            application=_text(request, key),
            latest=request.GET.get(f"{key}_latest") == "1",
            **{name: _text(request, f"{key}_{name}") for name in FILTERS},
        )
        for key, title in SIDES
    ]


def _errors(sides: list[Side], target: str) -> list[str]:
    errors = []
    for side in sides:
        given = side.filters_given()
        if len(given) > 1:
            errors.append(
                f"{side.title}: filter by one of version, branch, tag or environment, not {' and '.join(given)}."
            )
        if (given or side.latest) and not side.application:
            errors.append(f"Choose the {side.key} application to filter its versions.")
    if target and not any(side.application for side in sides):
        errors.append("Choose an application to ask whether it can be deployed.")
    return errors


def _size(request) -> int:
    raw = request.GET.get("size", "")
    return int(raw) if raw in {str(size) for size in PAGE_SIZES} else PAGE_SIZES[0]


@require_permission(Perm.CONTRACT_DATA_READ)
def matrix(request):
    sides = _sides(request)
    target = _text(request, "to")
    latestby = request.GET.get("latestby", "cvp")
    latestby = latestby if latestby in LATESTBY_VALUES else ""
    size, number = _size(request), page_number_or_first(request)
    errors = _errors(sides, target)
    selectors = [side.selector() for side in sides if side.application]
    page = verdict = None
    if selectors and not errors:
        try:
            page = matrix_page(
                selectors,
                MatrixOptions(latestby=latestby or None, environment_name=target or None),
                number=number,
                size=size,
            )
            if target:  # what can-i-deploy answers for these versions to that environment
                verdict = matrix_find(
                    selectors,
                    MatrixOptions(latestby="cvpv", environment_name=target, limit=settings.MATRIX_LIMIT_MAX),
                )
        except MatrixQueryInvalid as invalid:
            errors, page, verdict = invalid.errors, None, None
    # Page links keep every filter (and the page size); the form sends them all again.
    keep = [(key, value) for key, value in request.GET.items() if key not in ("page", "limit") and value]
    return render(
        request,
        "ui/matrix.html",
        {
            "sides": sides,
            "target": target,
            "latestby": latestby,
            "size": size,
            "page_sizes": PAGE_SIZES,
            "page": page,
            "pager": _pager(page, number, keep) if page else None,
            "result": verdict,
            "answer": ANSWERS[verdict.summary.deployable] if verdict else None,
            "errors": errors,
            "pacticipants": queries.pacticipants_all(),
            "environments": environments_list(),
            "latestby_choices": LATESTBY_CHOICES,
            "chosen": bool(selectors),
        },
        status=400 if errors else 200,
    )


def _pager(page, number: int, keep: list[tuple[str, str]]) -> dict:
    pages = max(1, -(-page.total // page.size))
    query = urlencode(keep)
    link = f"?{query}&page=" if query else "?page="
    return {
        "number": number,
        "pages": pages,
        "first": page.offset + 1 if page.rows else 0,
        "last": page.offset + len(page.rows) if page.rows else 0,
        "total": page.total,
        "previous": f"{link}{min(number, pages + 1) - 1}" if number > 1 else None,
        "next": f"{link}{number + 1}" if number < pages else None,
    }
