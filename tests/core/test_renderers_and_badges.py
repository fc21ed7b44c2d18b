"""One plain-text renderer, one SVG renderer, one badge drawer (apps/core)."""

from apps.core.badges import badge_svg
from apps.core.renderers import PlainTextRenderer, SvgRenderer


def test_text_is_written_as_is_and_an_error_body_as_json():
    assert PlainTextRenderer().render("a | b\n") == b"a | b\n"
    assert PlainTextRenderer().render({"error": "nope"}) == b'{"error": "nope"}'
    assert PlainTextRenderer().render(None) == b""


def test_an_svg_error_body_is_json_too():
    assert SvgRenderer().render({"error": "nope"}) == b'{"error": "nope"}'
    assert SvgRenderer().media_type == "image/svg+xml"


def test_a_badge_escapes_its_texts_and_draws_the_named_colour():
    svg = badge_svg("foo/<bar> pact", "verified", "brightgreen")

    assert 'aria-label="foo/&lt;bar&gt; pact: verified"' in svg
    assert 'fill="#4c1"' in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="')
