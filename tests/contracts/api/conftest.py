"""Fixtures for the pacticipant/version/branch/tag/label API: acme's client and data builders."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts.services.find_or_create import pacticipant_find_or_create
from tests.support.factories import version_ensure

BASE = "http://acme.localhost"


class Api:
    """A JSON client on acme's host with the admin's read-write token."""

    def __init__(self, org):
        self.org = org
        self.client = org.client()

    def get(self, path, **headers):
        return self.client.get(path, HTTP_ACCEPT="application/hal+json", **headers)

    def _send(self, method, path, body, content_type):
        data = "" if body is None else json.dumps(body)
        return getattr(self.client, method)(
            path, data=data, content_type=content_type, HTTP_ACCEPT="application/hal+json"
        )

    def put(self, path, body=None, content_type="application/json"):
        return self._send("put", path, body if body is not None else {}, content_type)

    def patch(self, path, body=None, content_type="application/merge-patch+json"):
        return self._send("patch", path, body if body is not None else {}, content_type)

    def post(self, path, body=None, content_type="application/json"):
        return self._send("post", path, body, content_type)

    def delete(self, path):
        return self.client.delete(path, HTTP_ACCEPT="application/hal+json")


@pytest.fixture
def api(acme):
    return Api(acme)


@pytest.fixture
def data(acme):
    """Builds acme's data directly through the services: data.version("Foo", "1", branch=..., tags=[...])."""

    class Builder:
        def pacticipant(self, name):
            with schema_context(acme.schema):
                return pacticipant_find_or_create(name=name)

        def version(self, name, number, *, branch=None, tags=()):
            with schema_context(acme.schema):
                return version_ensure(name, number, branch=branch, tags=tags)

    return Builder()


@pytest.fixture
def in_acme(acme):
    with schema_context(acme.schema):
        yield acme
