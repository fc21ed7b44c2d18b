"""can-i-deploy / can-i-merge badges as SVG, drawn here.

The broker redirects to shields.io by default (and falls back to bundled static SVGs); drawing the
same flat badge ourselves needs no outbound call and leaks no names to a third party.
"""
from html import escape

COLOURS = {"brightgreen": "#4c1", "red": "#e05d44", "lightgrey": "#9f9f9f", "orange": "#fe7d37"}


def _width(text: str) -> int:
    return 10 + int(len(text) * 6.5)


def badge_svg(left: str, right: str, colour: str) -> str:
    left_w, right_w = _width(left), _width(right)
    total = left_w + right_w
    fill = COLOURS.get(colour, colour)
    left_text, right_text = escape(left), escape(right)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{left_text}: {right_text}"><title>{left_text}: {right_text}</title>'
        f'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left_w}" height="20" fill="#555"/>'
        f'<rect x="{left_w}" width="{right_w}" height="20" fill="{fill}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        f'font-size="11"><text x="{left_w / 2}" y="14">{left_text}</text>'
        f'<text x="{left_w + right_w / 2}" y="14">{right_text}</text></g></svg>'
    )
