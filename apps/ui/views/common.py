"""Bits every UI page shares: the organisation's broker URL (for CLI examples) and htmx requests."""


def broker_url(request) -> str:
    """This organisation's base URL as the Pact CLI should be given it."""
    return request.build_absolute_uri("/").rstrip("/")


def is_htmx(request) -> bool:
    """A request htmx made to swap part of the page (it then gets only that part). A history
    restore (the back button after a pushed URL) needs the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
