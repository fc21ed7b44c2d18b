"""What the contracts app asks of the apps built on it, without importing them.

Dependencies run one way (docs/architecture.md): verifications and environments build on contracts,
so contracts never imports them, not even inside a function. Where a contracts rule or body needs
something only such an app knows, that app registers a function here from its AppConfig.ready();
writes that other apps react to go out as domain events instead (`apps/contracts/events.py`).

- `version_links_register(name=, links=, prefetch=)`: links added to a version's body
  (`links(request, version) -> dict`), with `prefetch(request, versions)` loading them for a whole
  list at once so a list costs no query per version. The environments app adds the deployment and
  release links.
- `version_keeper_register(name=, in_use=)`: `in_use()` is an `Exists(...)` over `OuterRef("pk")` of
  a version; deleting an integration keeps the versions for which one is true. The verifications
  app keeps the provider versions that verified something.
- `pacticipant_links_register(name=, links=)`: links added to the body of the pacticipant resource
  itself (`links(request, pacticipant) -> dict`, one query); the environments app adds
  `pb:deployed-environments`.
- `providers_verified_register(answer)`: `answer(consumer_id=, provider_ids=)` is the set of those
  providers with a verification of the consumer's pacts; publishing words its notices with it.
"""

_version_link_providers: dict[str, tuple] = {}
_version_keepers: dict[str, object] = {}
_pacticipant_link_providers: dict[str, object] = {}
_providers_verified = None


def version_links_register(*, name: str, links, prefetch) -> None:
    _version_link_providers[name] = (links, prefetch)


def version_links(request, version) -> dict:
    links = {}
    for provided, _prefetch in _version_link_providers.values():
        links.update(provided(request, version))
    return links


def version_links_prefetch(request, versions) -> None:
    for _links, prefetch in _version_link_providers.values():
        prefetch(request, versions)


def pacticipant_links_register(*, name: str, links) -> None:
    _pacticipant_link_providers[name] = links


def pacticipant_links(request, pacticipant) -> dict:
    links = {}
    for provided in _pacticipant_link_providers.values():
        links.update(provided(request, pacticipant))
    return links


def version_keeper_register(*, name: str, in_use) -> None:
    _version_keepers[name] = in_use


def version_keepers() -> list:
    """The `Exists(...)` conditions under which a version is still in use elsewhere."""
    return [in_use() for in_use in _version_keepers.values()]


def providers_verified_register(answer) -> None:
    global _providers_verified
    _providers_verified = answer


def providers_verified(*, consumer_id: int, provider_ids: list[int]) -> set[int]:
    if _providers_verified is None:
        return set()
    return _providers_verified(consumer_id=consumer_id, provider_ids=provider_ids)
