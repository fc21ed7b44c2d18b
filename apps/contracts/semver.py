"""Semantic version numbers as the Pact Broker reads them (`PactBroker::Versions::ParseSemanticVersion`).

Used only when `ORDER_VERSIONS_BY_DATE` is false. The broker parses with the `semver2` gem, trying
each of `semver_formats` in turn (default `%M.%m.%p%s%d`, `%M.%m`, `%M`); the first that matches
wins. The gem's rules are kept on purpose, quirks included, so a version sorts here where it sorts
in the Ruby broker:

- a format becomes an *unanchored* regular expression: `%M`/`%m`/`%p` are digit runs, `%s` an
  optional `-` pre-release (a letter then at least one more of `[0-9A-Za-z.]`), `%d` an optional
  `+` build metadata; so `v1.2.3`, `release-1.2.3` and `1.2.3.4` parse (as 1.2.3), and with `%M`
  anything containing a digit parses (`abc123` is major 123);
- parts a format does not name are 0 (`1.2` is 1.2.0);
- order: major, minor, patch numerically, then the pre-release (SemVer 2.0.0-rc2 precedence: none
  sorts after any, dot-separated identifiers compared one by one, numerically when both are digits,
  else as text, fewer identifiers first); build metadata never counts.
"""

import functools
import re
from dataclasses import dataclass

from django.conf import settings

_PARTS = {
    "%M": r"(?P<major>[0-9]+)",
    "%m": r"(?P<minor>[0-9]+)",
    "%p": r"(?P<patch>[0-9]+)",
    "%s": r"(?:-(?P<special>[A-Za-z][0-9A-Za-z.]+))?",
    "%d": r"(?:\+(?P<metadata>[0-9A-Za-z][0-9A-Za-z.]*))?",
}
_ONLY_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class SemanticVersion:
    major: int
    minor: int
    patch: int
    special: str = ""  # the pre-release
    metadata: str = ""

    def __lt__(self, other: "SemanticVersion") -> bool:
        return semver_compare(self, other) < 0


@functools.lru_cache(maxsize=32)
def _format_regex(semver_format: str) -> re.Pattern:
    pattern = re.escape(semver_format)
    if pattern.startswith("v"):
        pattern = "v?" + pattern[1:]  # the gem's `gsub(/^v/, 'v?')`
    for token, group in _PARTS.items():
        pattern = pattern.replace(token, group)
    return re.compile(pattern)


def semver_parse(number: str, formats: list[str] | tuple[str, ...] | None = None) -> SemanticVersion | None:
    """The version number parsed with the first matching format, or None (cannot be parsed)."""
    for semver_format in formats if formats is not None else settings.SEMVER_FORMATS:
        match = _format_regex(semver_format).search(number)
        if match is None:
            continue
        groups = match.groupdict()
        return SemanticVersion(
            major=int(groups.get("major") or 0),
            minor=int(groups.get("minor") or 0),
            patch=int(groups.get("patch") or 0),
            special=groups.get("special") or "",
            metadata=groups.get("metadata") or "",
        )
    return None


def _identifiers(prerelease: str) -> list[str]:
    ids = prerelease.split(".")
    while ids and ids[-1] == "":  # Ruby's String#split drops trailing empty fields
        ids.pop()
    return ids


def _cmp(a, b) -> int:
    return (a > b) - (a < b)


def _prerelease_compare(mine: str, theirs: str) -> int:
    ids, other_ids = _identifiers(mine), _identifiers(theirs)
    if not ids or not other_ids:
        # No pre-release sorts after any pre-release; two without are equal.
        return _cmp(not ids, not other_ids)
    for index in range(max(len(ids), len(other_ids))):
        if index >= len(other_ids):
            return 1
        if index >= len(ids):
            return -1
        mine_id, their_id = ids[index], other_ids[index]
        if _ONLY_DIGITS.fullmatch(mine_id) and _ONLY_DIGITS.fullmatch(their_id):
            result = _cmp(int(mine_id), int(their_id))
        else:
            result = _cmp(mine_id, their_id)
        if result:
            return result
    return 0


def semver_compare(a: SemanticVersion, b: SemanticVersion) -> int:
    """-1, 0 or 1 (the gem's `<=>`)."""
    return _cmp((a.major, a.minor, a.patch), (b.major, b.minor, b.patch)) or _prerelease_compare(a.special, b.special)


def version_number_compare(number: str, other: str) -> int:
    """Two version numbers, a number that cannot be parsed before any that can (the broker's
    `OrderableVersion#<=>`: such versions "will almost definitely not be the latest")."""
    mine, theirs = semver_parse(number), semver_parse(other)
    if mine is None or theirs is None:
        return _cmp(mine is not None, theirs is not None)
    return semver_compare(mine, theirs)


def version_number_error(number: str) -> str | None:
    """The broker's 400 message for a version number that semantic ordering cannot place (its
    `invalid_version_number`); None when it parses or when versions are ordered by date."""
    if settings.ORDER_VERSIONS_BY_DATE or semver_parse(number) is not None:
        return None
    return (
        f"Version number '{number}' cannot be parsed to a version number. The expected format (unless "
        f"this configuration has been overridden) is a semantic version. eg. 1.3.0 or 2.0.4.rc1"
    )
