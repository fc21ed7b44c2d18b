"""Pacts for people: a browser asking for a pact URL gets the contract page, API clients keep JSON.

The broker's pact resources also produce `text/html` (the pact rendered for people). Here the same
URL (`.../version/{v}`, `.../latest[/{tag}]`, `.../latest-untagged`, `.../branch/{b}/latest`,
`.../pact-version/{sha}[/metadata/{m}]`) renders the web UI's contract view
(`apps.ui.views.contracts.pact`) of the pact it resolves to, in place (200, same URL). The UI
registers that page here from UiConfig.ready() (`pact_page_register`): the contracts app does not
import the UI, which depends on it (docs/architecture.md).

Who is a browser follows the index's rule (`apps.core.negotiation.wants_ui`): `Accept` names
`text/html` and no `json`. The broker sends `text/html` *with* `json` (the HAL browser's Accept) to its
HAL browser; there is none here, so those requests get the API's JSON.

Authentication is the API's (bearer token or the signed-in session); a browser that is not signed in
is sent to the sign-in page and comes back to the pact URL. Unknown pacts get the site's 404 page.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.defaults import page_not_found
from rest_framework import exceptions

from apps.core.errors import NotFound
from apps.core.negotiation import wants_ui

# `page(request, provider, consumer, consumer_version_number)`: the UI's contract page.
_pact_page = None


def pact_page_register(page) -> None:
    global _pact_page
    _pact_page = page


def wants_html(request) -> bool:
    return _pact_page is not None and request.method in ("GET", "HEAD") and wants_ui(request)


def pact_html(request, row):
    """The contract page of a pact row (a LatestPactPublication), for the DRF `request`."""
    # DRF has authenticated the request; its user is also set on the Django request the page reads.
    response = _pact_page(request._request, row.provider.name, row.consumer.name, row.consumer_version.number)
    if response.status_code == 200:
        response["Content-Type"] = "text/html;charset=utf-8"  # byte for byte as the broker's pact page
    return response


class BrowserPactMixin:
    """For the pact GET views: sign-in redirect and an HTML 404 instead of JSON errors for browsers."""

    def handle_exception(self, exc):
        request = self.request
        if wants_html(request):
            if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed) or (
                isinstance(exc, exceptions.PermissionDenied) and not request.user.is_authenticated
            ):
                return redirect_to_login(request.get_full_path())
            if isinstance(exc, NotFound | Http404 | exceptions.NotFound):
                return page_not_found(request._request, Http404())
        return super().handle_exception(exc)
