"""The one SVG badge drawer (pact badges, can-i-deploy and matrix badges).

The broker redirects to shields.io by default (and falls back to bundled static SVGs); drawing the
same flat badge ourselves needs no outbound call and leaks no names to a third party. Texts are
escaped; colours are shields.io's named ones.
"""

from html import escape

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
