"""`/doc/{rel}?context=...`: the pages the index's `curies` point at (`pb:` and `beta:` relations), and
the broker's `/test/error`.

HAL clients and the HAL browser open them for people, so the broker serves them as `text/html`
only: any other Accept is the generic 404 (no 406: the broker's documentation is not one of its
negotiating resources, so `produces` is None). A relation without documentation is still a 200
page that says so, as the broker answers. The texts are ours: the relation's title from the index,
its URL template, and where to read more.
"""

from django.http import HttpResponse
from django.utils.html import escape

from apps.contracts.api.index import INDEX_RELATIONS, TRAILING_RELATIONS
from apps.core.errors import NotFound
from apps.core.negotiation import accepts
from apps.core.views import BrokerAPIView

_RELATIONS = {
    rel.split(":", 1)[1]: (title, path) for rel, path, title, _templated in INDEX_RELATIONS + TRAILING_RELATIONS
}
_RELATIONS.setdefault(
    "pacticipants", ("Pacticipants (the applications that publish and verify pacts)", "/pacticipants")
)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def doc_page(rel: str, context: str) -> str:
    found = _RELATIONS.get(rel)
    if found is None:
        return _page(
            rel,
            f"<p>There is no documentation for the relation <code>{escape(rel)}</code>"
            f" (context: <code>{escape(context)}</code>).</p>",
        )
    title, path = found
    return _page(
        f"pb:{rel}",
        f"<p>{escape(title)}.</p><p>URL (a template when it has <code>{{…}}</code> parts): "
        f"<code>{escape(path)}</code></p><p>Follow the relation from the index with a HAL client "
        "(<code>Accept: application/hal+json</code>); the API reference lists every resource, its "
        "methods and answers.</p>",
    )


class DocResource(BrokerAPIView):
    produces = None  # answers text/html itself, and the generic 404 to anything else

    def get(self, request, rel):
        if not accepts(request.headers.get("Accept"), "text/html"):
            raise NotFound()
        body = doc_page(rel, request.query_params.get("context", ""))
        return HttpResponse(body, content_type="text/html;charset=utf-8")


class ErrorTestResource(BrokerAPIView):
    """`/test/error`: the broker's route for checking error reporting end to end: it fails on purpose
    and answers the 500 every unexpected error gets (the body's reference is in the log)."""

    def get(self, request):
        raise RuntimeError("Don't panic. This is a test API error.")
