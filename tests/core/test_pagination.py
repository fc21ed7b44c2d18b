"""The one pagination (apps/core/pagination.py): the broker's parameters, texts and links on every
paginated API list, the broker's and ours; pages for people read a bad number as the first page."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from apps.core.pagination import page_number_or_first, page_request

pytestmark = pytest.mark.django_db

LISTS = ["/pacticipants", "/integrations", "/labels", "/admin/teams", "/admin/users", "/audit"]


def _request(query: str) -> Request:
    return Request(RequestFactory().get(f"/things?{query}"))


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("size=0", {"size": ["must be greater than or equal to 1"]}),
        ("page=x", {"page": ["must be an integer"]}),
        ("pageNumber=-1", {"pageNumber": ["must be greater than or equal to 1"]}),
        ("pageSize=1.5", {"pageSize": ["must be an integer"]}),
    ],
)
def test_a_bad_page_parameter_is_the_brokers_400_on_every_list(acme, path, query, errors):
    response = acme.client().get(f"{path}?{query}")

    assert response.status_code == 400
    assert response.json() == {"errors": errors}


def test_without_parameters_a_broker_list_is_whole_and_ours_is_the_first_page():
    assert page_request(_request("")) is None
    assert page_request(_request(""), always=True).number == 1
    assert page_request(_request(""), always=True).size == 100


def test_the_legacy_names_work_and_the_size_is_clamped(settings):
    settings.PAGE_SIZE_MAX = 50

    page = page_request(_request("pageNumber=3&pageSize=999"))

    assert (page.number, page.size) == (3, 50)
    assert page_request(_request("size=999"), max_size=20).size == 20


def test_digits_of_other_scripts_are_not_integers():
    with pytest.raises(Exception) as refused:
        page_request(_request("page=%D9%A3"))
    assert refused.value.body == {"errors": {"page": ["must be an integer"]}}


def test_the_links_carry_size_and_page_only_as_the_brokers_do(acme):
    client = acme.client()
    for name in ("A1", "A2", "A3"):
        client.post("/pacticipants", data={"name": name}, content_type="application/json")

    body = client.get("/pacticipants?size=1&page=2&q=A").json()

    assert body["page"] == {"number": 2, "size": 1, "totalElements": 3, "totalPages": 3}
    assert body["_links"]["next"]["href"].endswith("/pacticipants?size=1&page=3")
    assert body["_links"]["next"]["title"] == "Next page"
    assert body["_links"]["previous"]["href"].endswith("/pacticipants?size=1&page=1")


def test_an_empty_list_has_one_page(acme):
    body = acme.client().get("/integrations?size=5", HTTP_ACCEPT="application/hal+json").json()

    assert body["page"] == {"number": 1, "size": 5, "totalElements": 0, "totalPages": 1}


def test_our_lists_keep_their_filters_in_the_next_link(acme):
    client = acme.client()
    for name in ("red", "green", "blue"):
        client.post("/admin/teams", data={"name": f"team {name}"}, content_type="application/json")

    body = client.get("/admin/teams?q=team&size=1").json()

    assert body["page"]["totalElements"] == 3
    assert body["_links"]["next"]["href"].endswith("/admin/teams?q=team&size=1&page=2")


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("", 1),
        ("page=3", 3),
        ("page=0", 1),
        ("page=-2", 1),
        ("page=x", 1),
        ("page=100000", 1),
        ("page=%D9%A3", 1),
    ],
)
def test_a_page_for_people_reads_a_bad_number_as_the_first_page(query, number):
    assert page_number_or_first(RequestFactory().get(f"/dashboard?{query}")) == number
