"""Version numbers as the broker's semver2 gem reads them (apps/contracts/semver.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.contracts.semver import SemanticVersion, semver_parse, version_number_compare, version_number_error
from config.env import env_words


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("1.2.3", SemanticVersion(1, 2, 3)),
        ("1.2.3-beta.1+build.5", SemanticVersion(1, 2, 3, "beta.1", "build.5")),
        ("v1.2.3", SemanticVersion(1, 2, 3)),  # the patterns are not anchored (the gem's quirk)
        ("release-1.2.3-rc1", SemanticVersion(1, 2, 3, "rc1")),
        ("1.2.3.4", SemanticVersion(1, 2, 3)),
        ("1.0.0-a", SemanticVersion(1, 0, 0)),  # a one-character pre-release does not match %s
        ("1.2", SemanticVersion(1, 2, 0)),  # second format, the patch defaults to 0
        ("7", SemanticVersion(7, 0, 0)),  # third format
        ("abc123def", SemanticVersion(123, 0, 0)),  # %M finds any run of digits
    ],
)
def test_numbers_parse_with_the_first_matching_default_format(number, expected):
    assert semver_parse(number) == expected


@pytest.mark.parametrize("number", ["main", "abcdef", "", "v.x"])
def test_numbers_without_digits_do_not_parse(number):
    assert semver_parse(number) is None


def test_only_the_configured_formats_are_tried(settings):
    settings.SEMVER_FORMATS = ["%M.%m.%p"]

    assert semver_parse("1.2") is None
    assert semver_parse("1.2.3") == SemanticVersion(1, 2, 3)
    assert semver_parse("1.2", ["%M.%m"]) == SemanticVersion(1, 2, 0)


def test_pre_release_precedence_follows_semver():
    chain = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.9.0",
        "1.10.0",
        "2.0.0",
    ]
    for lower, higher in zip(chain, chain[1:], strict=False):
        assert version_number_compare(lower, higher) == -1, (lower, higher)
        assert version_number_compare(higher, lower) == 1, (lower, higher)
    assert sorted(reversed(chain), key=semver_parse) == chain


def test_build_metadata_does_not_count_and_unparsable_numbers_sort_first():
    assert version_number_compare("1.0.0+build.1", "1.0.0+build.2") == 0
    assert version_number_compare("main", "0.0.1") == -1
    assert version_number_compare("0.0.1", "main") == 1
    assert version_number_compare("main", "develop") == 0


def test_a_version_number_error_only_when_ordering_semantically(settings):
    assert version_number_error("main") is None  # ordered by date: any number is fine

    settings.ORDER_VERSIONS_BY_DATE = False

    assert version_number_error("1.0.0") is None
    assert version_number_error("main") == (
        "Version number 'main' cannot be parsed to a version number. The expected format (unless this "
        "configuration has been overridden) is a semantic version. eg. 1.3.0 or 2.0.4.rc1"
    )


def test_semver_formats_are_read_as_a_whitespace_separated_list(monkeypatch):
    monkeypatch.setenv("PACT_BROKER_SEMVER_FORMATS", " %M.%m.%p  %M ")
    assert env_words("PACT_BROKER_SEMVER_FORMATS", "%M") == ["%M.%m.%p", "%M"]

    monkeypatch.delenv("PACT_BROKER_SEMVER_FORMATS")
    assert env_words("PACT_BROKER_SEMVER_FORMATS", "%M.%m.%p%s%d %M.%m %M") == ["%M.%m.%p%s%d", "%M.%m", "%M"]

    monkeypatch.setenv("PACT_BROKER_SEMVER_FORMATS", "  ")
    with pytest.raises(ImproperlyConfigured):
        env_words("PACT_BROKER_SEMVER_FORMATS", "%M")
