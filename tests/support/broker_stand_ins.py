"""Stand-ins for broker resources owned by the pacticipants work (the index, a pacticipant, a branch
version, a tag), so the e2e tests can drive the real Pact CLI through HAL before those land.

`e2e_urlconf()` returns the real tenant URLconf when it already serves them, so once the real
resources are merged these stand-ins are no longer used.
"""
from django.urls import Resolver404, include, path, resolve
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries
from apps.contracts.services.versions import (
    branch_version_add,
    pacticipant_find_or_create,
    tag_add,
    version_find_or_create,
)
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView

_RELS = {
    "pb:publish-pact": "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
    "pb:publish-contracts": "/contracts/publish",
    "pb:latest-pact-versions": "/pacts/latest",
    "pb:pacticipant": "/pacticipants/{pacticipant}",
    "pb:pacticipant-version": "/pacticipants/{pacticipant}/versions/{version}",
    "pb:pacticipant-version-tag": "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
    "pb:pacticipant-branch-version": "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
    "pb:branch-pact-versions": "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
    "pb:latest-branch-pact-versions": "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
    "pb:main-branch-pact-versions": "/pacts/provider/{provider}/consumer/{consumer}/branch/versions",
    "pb:latest-main-branch-pact-versions": "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions",
    "pb:provider-pacts-with-main-branch": "/pacts/provider/{provider}/branch",
    "pb:provider-pacts-with-branch": "/pacts/provider/{provider}/branch/{branch}",
    "pb:latest-provider-pacts-with-main-branch": "/pacts/provider/{provider}/branch/latest",
    "pb:latest-provider-pacts-with-branch": "/pacts/provider/{provider}/branch/{branch}/latest",
    "pb:latest-provider-pacts": "/pacts/provider/{provider}/latest",
    "pb:latest-provider-pacts-with-tag": "/pacts/provider/{provider}/latest/{tag}",
    "pb:provider-pacts-with-tag": "/pacts/provider/{provider}/tag/{tag}",
    "pb:provider-pacts": "/pacts/provider/{provider}",
    "pb:integrations": "/integrations",
}


class StandInIndex(BrokerAPIView):
    def get(self, request):
        links = {"self": hal.link(hal.url(request), title="Index")}
        for rel, template in _RELS.items():
            links[rel] = hal.link(hal.template_url(request, template), title=rel, templated="{" in template)
        return Response({"_links": links})


class StandInPacticipant(BrokerAPIView):
    def get(self, request, pacticipant):
        row = queries.pacticipant_find(pacticipant)
        if row is None:
            raise NotFound()
        base = hal.url(request, "pacticipants", pacticipant)
        return Response({"name": row.name, "_links": {
            "self": hal.link(base),
            "pb:branch-version": hal.link(base + "/branches/{branch}/versions/{version}", templated=True),
            "pb:version-tag": hal.link(base + "/versions/{version}/tags/{tag}", templated=True),
            "pb:version": hal.link(base + "/versions/{version}", templated=True),
        }})


class StandInBranchVersion(BrokerAPIView):
    required_permissions = {"PUT": Perm.CONTRACT_PUBLISH}

    def put(self, request, pacticipant, branch, version):
        app, _ = pacticipant_find_or_create(name=pacticipant)
        row, _ = version_find_or_create(pacticipant=app, number=version)
        _, created = branch_version_add(version=row, branch_name=branch)
        return Response({"_links": {"self": hal.link(hal.url(request, "pacticipants", pacticipant, "branches",
                                                             branch, "versions", version))}},
                        status=201 if created else 200)


class StandInTag(BrokerAPIView):
    required_permissions = {"PUT": Perm.CONTRACT_PUBLISH}

    def put(self, request, pacticipant, version, tag):
        app, _ = pacticipant_find_or_create(name=pacticipant)
        row, _ = version_find_or_create(pacticipant=app, number=version)
        _, created = tag_add(version=row, name=tag)
        return Response({"name": tag}, status=201 if created else 200)


urlpatterns = [
    path("", StandInIndex.as_view()),
    path("pacticipants/<str:pacticipant>", StandInPacticipant.as_view()),
    path("pacticipants/<str:pacticipant>/branches/<str:branch>/versions/<str:version>",
         StandInBranchVersion.as_view()),
    path("pacticipants/<str:pacticipant>/versions/<str:version>/tags/<str:tag>", StandInTag.as_view()),
    path("", include("config.urls_tenant")),
]


def e2e_urlconf() -> str:
    """The URLconf for e2e tests: the real one if it serves the index and pacticipants as API views."""
    try:
        index = resolve("/", urlconf="config.urls_tenant")
        resolve("/pacticipants/x/branches/main/versions/1", urlconf="config.urls_tenant")
    except Resolver404:
        return __name__
    if not isinstance(getattr(index.func, "cls", None), type):
        return __name__
    return "config.urls_tenant"
