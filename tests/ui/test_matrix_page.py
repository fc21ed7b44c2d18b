"""Issue 19 item 6: the matrix page as a browsing tool. Filters by application pair and, on each
side, by version, branch, tag or environment; pages of 50 or 100 rows counted and cut in SQL, whose
links keep the filters; a verdict only when an environment to deploy to is asked; bad filters are a
400 page that says why; another organisation's applications are not there."""

import pytest
from django_tenants.utils import schema_context

from apps.matrix.service import can_i_deploy
from apps.ui.views.deploy import ANSWERS
from tests.support.factories import pact_publish, verification_publish

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def rows(response) -> list[tuple]:
    return [
        (r.consumer_name, r.consumer_version_number, r.provider_name, r.provider_version_number)
        for r in response.context["page"].rows
    ]


@pytest.fixture
def many(acme, world):
    """120 more versions of Web on branch feat, each verified by Orders."""
    with schema_context(acme.schema):
        for n in range(120):
            pact_publish("Web", f"5.{n}", "Orders", branch="feat", tags=["beta"] if n % 2 else [])
            verification_publish("Web", f"5.{n}", "Orders", "9.0.0")
    return world


def test_without_an_environment_to_deploy_to_there_is_no_verdict(world, admin):
    response = admin.get("/ui/matrix?consumer=Web&provider=Orders")

    assert response.status_code == 200
    assert response.context["result"] is None
    page = text(response)
    assert "Yes, you can deploy" not in page and "No, you cannot deploy" not in page
    assert "No verdict: these are rows, not an answer." in page
    assert rows(response) == [("Web", "1.1.0", "Orders", "2.1.0"), ("Web", "1.0.0", "Orders", "2.0.0")]


def test_with_an_environment_to_deploy_to_the_verdict_is_can_i_deploys(acme, world, admin):
    yes = admin.get("/ui/matrix?consumer=Web&consumer_version=1.0.0&to=production")
    assert yes.status_code == 200
    assert '<section class="answer answer-yes"' in text(yes) and "Yes, you can deploy" in text(yes)
    assert "No verdict" not in text(yes)
    assert rows(yes) == [("Web", "1.0.0", "Orders", "2.0.0")]  # Orders' version in production

    # 1.1.0's pact with Orders was not verified by the version in production; Users is not there.
    response = admin.get("/ui/matrix?consumer=Web&consumer_version=1.1.0&to=production")
    with schema_context(acme.schema):
        expected = can_i_deploy(pacticipant="Web", version="1.1.0", environment="production").summary
    assert response.context["result"].summary.deployable is expected.deployable is not True
    assert response.context["answer"] == ANSWERS[expected.deployable]
    assert f'<section class="answer answer-{ANSWERS[expected.deployable][0]}"' in text(response)
    assert rows(response) == [("Web", "1.1.0", "Users", None), ("Web", "1.1.0", "Orders", None)]


def test_filters_by_branch_tag_environment_and_latest(many, admin):
    on_main = admin.get("/ui/matrix?consumer=Web&consumer_branch=main&latestby=cvpv")
    assert {r[1] for r in rows(on_main)} == {"1.0.0", "1.1.0"}
    assert {r[2] for r in rows(on_main)} == {"Orders", "Users"}

    latest_feat = admin.get("/ui/matrix?consumer=Web&consumer_branch=feat&consumer_latest=1&provider=Orders")
    assert rows(latest_feat) == [("Web", "5.119", "Orders", "9.0.0")]

    beta = admin.get("/ui/matrix?consumer=Web&consumer_tag=beta&provider=Orders&size=100")
    assert beta.context["page"].total == 60 and {int(r[1].split(".")[1]) % 2 for r in rows(beta)} == {1}

    in_production = admin.get("/ui/matrix?consumer=Web&consumer_environment=production&provider=Orders")
    assert rows(in_production) == [("Web", "1.0.0", "Orders", "2.0.0")]

    # Rows of every main version of Web; verified only where Orders' version in test verified it.
    provider_in_test = admin.get(
        "/ui/matrix?consumer=Web&consumer_branch=main&provider=Orders&provider_environment=test"
    )
    assert rows(provider_in_test) == [("Web", "1.1.0", "Orders", "2.1.0"), ("Web", "1.0.0", "Orders", None)]


def test_pages_of_50_or_100_rows_are_counted_and_linked_with_the_filters_kept(many, admin):
    first = admin.get("/ui/matrix?consumer=Web&provider=Orders&consumer_branch=feat")
    page = first.context["page"]
    assert (len(page.rows), page.total) == (50, 120)
    assert rows(first)[0] == ("Web", "5.119", "Orders", "9.0.0")
    body = text(first)
    assert len(first.content) < 80_000  # 34 KB here; 1,000 rows on one page were 873 KB
    assert "Rows 1–50 of 120 · page 1 of 3" in body
    assert 'href="?consumer=Web&amp;provider=Orders&amp;consumer_branch=feat&amp;page=2" rel="next"' in body
    assert 'rel="prev"' not in body

    last = admin.get("/ui/matrix?consumer=Web&provider=Orders&consumer_branch=feat&page=3")
    assert len(last.context["page"].rows) == 20 and rows(last)[-1][1] == "5.0"
    assert "Rows 101–120 of 120 · page 3 of 3" in text(last) and 'rel="next"' not in text(last)

    hundred = admin.get("/ui/matrix?consumer=Web&provider=Orders&consumer_branch=feat&size=100&page=2")
    assert len(hundred.context["page"].rows) == 20
    assert "size=100" in text(hundred).split('rel="prev"')[0].rsplit("href=", 1)[1]

    past = admin.get("/ui/matrix?consumer=Web&provider=Orders&consumer_branch=feat&page=9")
    assert past.status_code == 200 and past.context["page"].rows == []
    assert "Page 9 is past the end: 120 rows in 3 pages" in text(past)

    odd = admin.get("/ui/matrix?consumer=Web&provider=Orders&size=7&page=x")  # not offered: the first page of 50
    assert odd.status_code == 200 and odd.context["size"] == 50


def test_a_page_of_1000_rows_is_no_more(many, admin):
    response = admin.get("/ui/matrix?consumer=Web&latestby=&size=100000&limit=1000")
    assert len(response.context["page"].rows) == 50


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "consumer=Web&consumer_branch=main&consumer_tag=prod",
            "Consumer: filter by one of version, branch, tag or environment, not branch and tag.",
        ),
        ("provider_branch=main", "Choose the provider application to filter its versions."),
        ("to=production", None),  # nothing chosen: the page asks for an application
        ("consumer=Nope", "Pacticipant Nope not found"),
        ("consumer=Web&consumer_environment=moon", None),
        ("consumer=Web&to=moon", "Environment with name &#x27;moon&#x27; does not exist"),
    ],
)
def test_bad_filters_are_a_400_page_that_says_why(world, admin, query, message):
    response = admin.get(f"/ui/matrix?{query}")
    if query == "to=production":
        assert response.status_code == 400
        assert "Choose an application to ask whether it can be deployed." in text(response)
    elif query == "consumer=Web&consumer_environment=moon":
        assert response.status_code == 200 and response.context["page"].total == 0  # no version is there
    else:
        assert response.status_code == 400
        assert message in text(response)
        assert response.context["page"] is None


def test_another_organisations_applications_are_not_there(world, outsider_admin):
    response = outsider_admin.get("/ui/matrix?consumer=Web")
    assert response.status_code == 400
    assert "Pacticipant Web not found" in text(response)
    assert "<option>Web</option>" not in text(response)
