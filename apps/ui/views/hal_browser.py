"""The HAL browser: `/hal-browser/browser.html#<path>`, where the broker sends people who ask the API
for HTML (`GET /` with `text/html` and HAL in Accept, a verification asked for as the extended type).

The page is a shell with no data in it: static/js/hal-browser.js fetches the resource named after
`#` through the API, with the API's authentication (the signed-in session), and shows its links,
embedded resources and properties. Served as `text/html` without a charset, as the broker serves
its HAL browser file.
"""

from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.html import escape

from apps.core.public import dangerously_public


@dangerously_public("a static page with no data: everything it shows it fetches through the API's authentication")
def hal_browser(request):
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>HAL browser</title>'
        f'<link rel="stylesheet" href="{escape(static("css/app.css"))}"></head><body><main>'
        '<h1>HAL browser</h1><form id="go"><label for="path">Path</label> '
        '<input id="path" name="path" size="80"> <button type="submit">Go</button></form>'
        '<div id="resource"></div></main>'
        f'<script src="{escape(static("js/hal-browser.js"))}"></script></body></html>'
    )
    return HttpResponse(page, content_type="text/html")
