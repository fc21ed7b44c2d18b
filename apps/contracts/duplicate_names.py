"""The broker's potential duplicate pacticipant name check (`check_for_potential_duplicate_pacticipant_names`).

Publishing a pact (`PUT`/`PATCH /pacts/...`, `POST /contracts/publish`) creates missing pacticipants. If
a *new* name is only a spelling variant of an existing one ("Foo Service" vs "foo-service" vs
"FooService"), the broker refuses with 409 and writes nothing, so a typo does not split an
integration in two. The rule is `PactBroker::Pacticipants::FindPotentialDuplicatePacticipantNames`:

- a name that exists exactly is never a duplicate (and is not checked);
- otherwise both names are split into words (whitespace, `-` and `_` separate words, so do CamelCase
  boundaries; `::` becomes `/`), lower-cased, one trailing `s` is removed from every word, and the
  words `api`, `provider` and `service` are dropped; names whose word lists are equal are potential
  duplicates ("Contract Service" and "contracts" both give `["contract"]`).

The views call `duplicate_pacticipant_messages` before the publish service runs: one SELECT, which
returns nothing unless one of the names is new.
"""

import re

from django.conf import settings
from django.db import connection

from apps.contracts.models import Pacticipant

_WHITESPACE = re.compile(r"[ \t\r\n\f\v]")  # Ruby's /\s/ (ASCII only)
# Ruby's gsub(/([A-Z]+)([A-Z][a-z])/, '\\1_\\2') as a zero-width match: the same insertion points, but
# linear (the original backtracks over every run of capitals: quadratic on "AAAA...").
_ACRONYM = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_IGNORED_WORDS = ("api", "provider", "service")


def name_words(name: str) -> list[str]:
    """The broker's `split`: "S3BucketService" -> ["s3", "bucket", "service"].

    Like Ruby's `String#split("_")`, empty words in the middle are kept and trailing ones dropped.
    """
    text = _WHITESPACE.sub("_", name).replace("::", "/")
    text = _CAMEL.sub(r"\1_\2", _ACRONYM.sub("_", text))
    words = text.replace("-", "_").lower().split("_")
    while words and words[-1] == "":
        words.pop()
    return words


def _cleaned(name: str) -> list[str]:
    words = [word[:-1] if word.endswith("s") else word for word in name_words(name)]
    return [word for word in words if word not in _IGNORED_WORDS]


class DuplicateNameIndex:
    """Existing names grouped by their cleaned words: each lookup is one dict access, so checking
    k new names against n existing ones costs O(n + k), not O(n * k)."""

    def __init__(self, existing_names: list[str]):
        self._existing = set(existing_names)
        self._by_words: dict[tuple[str, ...], list[str]] = {}
        for name in existing_names:
            self._by_words.setdefault(tuple(_cleaned(name)), []).append(name)

    def duplicates_of(self, new_name: str) -> list[str]:
        """The existing names `new_name` is a near-duplicate of (none when it exists exactly)."""
        if new_name in self._existing:
            return []
        return list(self._by_words.get(tuple(_cleaned(new_name)), []))


def potential_duplicate_names(new_name: str, existing_names: list[str]) -> list[str]:
    """The existing names `new_name` is a near-duplicate of (none when it exists exactly)."""
    return DuplicateNameIndex(existing_names).duplicates_of(new_name)


def duplicate_pacticipant_message(new_name: str, duplicates: list[str], base_url: str) -> str:
    """The broker's `errors.duplicate_pacticipant` text (ends with a newline, as the broker's does)."""
    existing = "\n".join(f"* {name}" for name in duplicates)
    return (
        f'This is the first time a pact has been published for "{new_name}".\n'
        f'The name "{new_name}" is very similar to the following existing pacticipants:\n'
        f"{existing}\n"
        "If you meant to specify one of the above names, please correct the pact configuration, "
        "and re-publish the pact.\n"
        f'If the pact is intended to be for a new consumer or provider, please manually create "{new_name}" '
        "using the following command from the Pact Broker CLI, and then re-publish the pact:\n\n"
        f'pact-broker create-or-update-pacticipant --name "{new_name}" --broker-base-url {base_url}\n\n'
        "For information on the Pact Broker CLI see https://docs.pact.io/go/pbc-cli\n"
        "To disable this check, set `check_for_potential_duplicate_pacticipant_names` to false in the "
        "configuration.\n"
    )


def _existing_names_if_any_new(names: list[str]) -> list[str]:
    """Every pacticipant name (sorted, as the broker lists them), or [] when all `names` exist.

    One statement either way; the common case (re-publishing known pacticipants) transfers no rows.
    """
    table = connection.ops.quote_name(Pacticipant._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM {table} WHERE (SELECT count(*) FROM {table} WHERE name = ANY(%s)) < %s ORDER BY name",
            [names, len(names)],
        )
        return [row[0] for row in cursor.fetchall()]


def duplicate_pacticipant_messages(names, base_url: str) -> list[str]:
    """One message per new name that looks like an existing pacticipant's; [] when the check is off."""
    if not settings.CHECK_FOR_POTENTIAL_DUPLICATE_PACTICIPANT_NAMES:
        return []
    wanted = list(dict.fromkeys(name for name in names if isinstance(name, str)))
    if not wanted:
        return []
    index = DuplicateNameIndex(_existing_names_if_any_new(wanted))
    messages = []
    for name in wanted:
        duplicates = index.duplicates_of(name)
        if duplicates:
            messages.append(duplicate_pacticipant_message(name, duplicates, base_url))
    return messages
