"""The broker's pagination (§2.4): `page`/`size`, or the legacy `pageNumber`/`pageSize`.

Without any of them most lists are not paginated; with only one, the other defaults (page 1,
size 100). Values must be integers >= 1, else 400; sizes over `PAGE_SIZE_MAX` are clamped to it.
A paginated body carries a `page` block and `next`/`previous` links built from the resource URL
without its other query parameters (so `q` is dropped from them, as in the broker).
"""
from dataclasses import dataclass
from math import ceil

from django.conf import settings

from apps.contracts.hal.urls import resource_url
from apps.core.errors import ValidationFailed

DEFAULT_PAGE_SIZE = 100
PARAMS = ("page", "size", "pageNumber", "pageSize")


@dataclass(frozen=True)
class PageRequest:
    number: int
    size: int


def page_request(request, *, always: bool = False) -> PageRequest | None:
    """The requested page, None when the list is to be unpaginated, or a 400 on bad values."""
    values, errors = {}, {}
    for key in PARAMS:
        raw = request.query_params.get(key)
        if raw is None or raw == "":
            continue
        try:
            value = int(raw)
        except ValueError:
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
    # The broker has no upper bound on the page size; here it is clamped to PAGE_SIZE_MAX, so one
    # request cannot ask for a whole table (the page block reports the size actually used).
    size = min(size or DEFAULT_PAGE_SIZE, settings.PAGE_SIZE_MAX)
    return PageRequest(number=number or 1, size=size)


def paginate(request, rows, page: PageRequest | None) -> tuple[list, dict | None]:
    """(items of the page, {"page": block, "links": next/previous}) or (all items, None)."""
    if page is None:
        return list(rows), None
    total = rows.count()
    start = (page.number - 1) * page.size
    # A page past the end is empty without asking the database (an OFFSET past bigint would fail).
    items = list(rows[start:start + page.size]) if start < total else []
    total_pages = max(1, ceil(total / page.size))
    base = resource_url(request)
    links = {}
    if page.number < total_pages:
        links["next"] = {"href": f"{base}?size={page.size}&page={page.number + 1}", "title": "Next page"}
    if page.number > 1:
        links["previous"] = {"href": f"{base}?size={page.size}&page={page.number - 1}", "title": "Previous page"}
    block = {"number": page.number, "size": page.size, "totalElements": total, "totalPages": total_pages}
    return items, {"page": block, "links": links}
