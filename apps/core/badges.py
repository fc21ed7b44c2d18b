"""The one badge answer (pact badges, can-i-deploy and matrix badges): a redirect to shields.io or
an SVG drawn here.

The broker's default (`badge_provider_mode` redirect) is a 307 to
`<shields_io_base_url>/badge/<left>-<right>-<colour>.svg`, so that is ours too
(`PACT_BROKER_BADGE_PROVIDER_MODE=redirect`). `local` draws the same flat badge here: no outbound
call from the reader's browser, and no pacticipant names sent to a third party in the image URL
(docs/compatibility.md). A client following redirects (every browser, a README) sees a badge either
way. Texts are escaped; colours are shields.io's named ones.
"""

from html import escape
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

SVG_CONTENT_TYPE = "image/svg+xml;charset=utf-8"

COLOURS = {"brightgreen": "#4c1", "red": "#e05d44", "orange": "#fe7d37", "lightgrey": "#9f9f9f"}


def _text_width(text: str) -> int:
    # Verdana 11px averages ~6.5px per character; shields.io pads each side by 5px.
    return int(len(text) * 6.5) + 10


def badge_svg(left: str, right: str, colour: str) -> str:
    lw, rw = _text_width(left), _text_width(right)
    width = lw + rw
    fill = COLOURS[colour]
    left_e, right_e = escape(left), escape(right)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{left_e}: {right_e}"><title>{left_e}: {right_e}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{fill}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2}" y="15" fill="#010101" fill-opacity=".3">{left_e}</text>'
        f'<text x="{lw / 2}" y="14">{left_e}</text>'
        f'<text x="{lw + rw / 2}" y="15" fill="#010101" fill-opacity=".3">{right_e}</text>'
        f'<text x="{lw + rw / 2}" y="14">{right_e}</text></g></svg>'
    )


def _shields_text(text: str) -> str:
    # shields.io's path syntax: `-` and `_` are doubled (a single one separates or means a space),
    # then the text is percent-encoded as a path segment (`/` too).
    return quote(text.replace("-", "--").replace("_", "__"), safe="")


def shields_url(left: str, right: str, colour: str) -> str:
    base = settings.BADGE_SHIELDS_IO_BASE_URL.rstrip("/")
    return f"{base}/badge/{_shields_text(left)}-{_shields_text(right)}-{colour}.svg"


def badge_response(left: str, right: str, colour: str) -> HttpResponse:
    """The badge as the broker answers it: 307 to shields.io (with the SVG content type and no body),
    or, in `local` mode (or without a shields.io URL), the SVG itself."""
    if settings.BADGE_PROVIDER_MODE == "redirect" and settings.BADGE_SHIELDS_IO_BASE_URL:
        response = HttpResponse(status=307, content_type=SVG_CONTENT_TYPE)
        response["Location"] = shields_url(left, right, colour)
    else:
        response = HttpResponse(badge_svg(left, right, colour), content_type=SVG_CONTENT_TYPE)
    response["Cache-Control"] = "no-cache"
    return response
