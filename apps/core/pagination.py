"""The one pagination, the broker's (§2.4): `page`/`size`, or the legacy `pageNumber`/`pageSize`.

Without any of them most of the broker's lists are not paginated (`always=False`); with only one,
the other defaults (page 1, size 100). Values must be integers >= 1, else 400 with the broker's
texts under the parameter's own name (`{"errors": {"size": ["must be greater than or equal to 1"]}}`).
The broker has no upper bound on the page size; here it is clamped (`PAGE_SIZE_MAX`, or a smaller
`max_size` a resource asks for), so one request cannot ask for a whole table; the page block reports
the size actually used.

A paginated body carries a `page` block (`totalPages` is at least 1, as Sequel counts) and
`next`/`previous` links built from the resource URL with `size` and `page` only, as the broker
builds them (so the broker drops `q` from them); a resource of ours whose filters must survive the
next link names them in `keep`.

Pages for people (the UI) never answer 400: `page_number_or_first` reads a bad or absent number as 1.
"""

from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from django.conf import settings

from apps.core.errors import ValidationFailed
from apps.core.hal import base_url

DEFAULT_PAGE_SIZE = 100
PARAMS = ("page", "size", "pageNumber", "pageSize")
UI_PAGE_NUMBER_MAX = 100_000


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int


def _integer(raw: str) -> int | None:
    # ASCII only: Python's int() also reads other scripts' digits, which no client means as a number.
    if not raw.isascii():
        return None
    try:
        return int(raw)
    except ValueError:
        return None


def page_request(
    request, *, always: bool = False, default_size: int = DEFAULT_PAGE_SIZE, max_size: int | None = None
) -> PageRequest | None:
    """The requested page, None when the list is to be unpaginated, or a 400 on bad values."""
    values, errors = {}, {}
    for key in PARAMS:
        raw = request.query_params.get(key)
        if raw is None or raw == "":
            continue
        value = _integer(raw)
        if value is None:
            errors[key] = ["must be an integer"]
            continue
        if value < 1:
            errors[key] = ["must be greater than or equal to 1"]
        values[key] = value
    if errors:
        raise ValidationFailed(errors)
    number = values.get("page", values.get("pageNumber"))
    size = values.get("size", values.get("pageSize"))
    if number is None and size is None and not always:
        return None
    limit = min(max_size or settings.PAGE_SIZE_MAX, settings.PAGE_SIZE_MAX)
    return PageRequest(number=number or 1, size=min(size or default_size, limit))


def _page_url(request, page: PageRequest, number: int, keep: tuple[str, ...]) -> str:
    resource = base_url(request) + request.get_full_path().split("?", 1)[0]
    kept = [(key, value) for key in keep for value in request.query_params.getlist(key)]
    return f"{resource}?{urlencode([*kept, ('size', page.size), ('page', number)])}"


def paginate(request, rows, page: PageRequest | None, *, keep: tuple[str, ...] = ()) -> tuple[list, dict | None]:
    """(items of the page, {"page": block, "links": next/previous}) or (all items, None)."""
    if page is None:
        return list(rows), None
    total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    start = (page.number - 1) * page.size
    # A page past the end is empty without asking the database (an OFFSET past bigint would fail).
    items = list(rows[start : start + page.size]) if start < total else []
    total_pages = max(1, ceil(total / page.size))
    links = {}
    if page.number < total_pages:
        links["next"] = {"href": _page_url(request, page, page.number + 1, keep), "title": "Next page"}
    if page.number > 1:
        links["previous"] = {"href": _page_url(request, page, page.number - 1, keep), "title": "Previous page"}
    block = {"number": page.number, "size": page.size, "totalElements": total, "totalPages": total_pages}
    return items, {"page": block, "links": links}


def page_number_or_first(request) -> int:
    """The `page` of a page for people: a whole number from 1, anything else is the first page."""
    raw = request.GET.get("page", "")
    number = _integer(raw)
    return number if number is not None and 0 < number < UI_PAGE_NUMBER_MAX else 1
