"""The site's two navigations: the main bar (contract pages) and Settings (every settings page,
whichever app owns it, shown only to people who may open it). `nav` in every template's context
is lazy: it is worked out only when a page shows it, and then from the permissions the request
has already loaded (permissions_of caches them on the user)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from apps.accounts.permissions import Perm, user_has_permission


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    permission: str | None  # None: anyone signed in
    description: str = ""
    prefixes: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MAIN = [
    Entry("Dashboard", "ui-dashboard", Perm.CONTRACT_DATA_READ, prefixes=("/dashboard", "/ui/pacts")),
    Entry("Applications", "ui-applications", Perm.CONTRACT_DATA_READ, prefixes=("/ui/applications",)),
    Entry("Network", "ui-network", Perm.CONTRACT_DATA_READ),
    Entry("Can I deploy?", "ui-can-i-deploy", Perm.CONTRACT_DATA_READ),
    Entry("Matrix", "ui-matrix", Perm.CONTRACT_DATA_READ),
    Entry("Environments", "ui-environments", Perm.CONTRACT_DATA_READ),
    Entry("Webhooks", "ui-webhooks", Perm.CONTRACT_DATA_READ, prefixes=("/ui/webhooks",)),
    Entry("Settings", "ui-settings", None, prefixes=("/settings", "/account", "/organisation")),
]

SETTINGS = [
    Entry("My tokens", "account-tokens", Perm.TOKEN_MANAGE, "Your API tokens for the Pact CLI and CI."),
    Entry("Password", "account-password", None, "Change your password."),
    Entry(
        "Preferences",
        "settings-preferences",
        None,
        "Token expiry alerts; for administrators, the organisation's defaults, banner and token expiry.",
    ),
    Entry("Users", "organisation-users", Perm.USER_READ, "People in the organisation, invitations and seats."),
    Entry(
        "System accounts",
        "organisation-system-accounts",
        Perm.USER_READ,
        "Machine users for CI, with their own tokens.",
    ),
    Entry("Roles", "organisation-roles", Perm.ROLE_READ, "What each role may do."),
    Entry("Teams", "organisation-teams", Perm.TEAM_READ, "Teams, their members and applications."),
    Entry(
        "Environments",
        "ui-settings-environments",
        Perm.CONTRACT_DATA_READ,
        "Where applications are deployed: create and rename them.",
        prefixes=("/settings/environments",),
    ),
    Entry("Secrets", "ui-secrets", Perm.SECRET_READ, "Encrypted values webhooks use as ${user.NAME}."),
    Entry(
        "Webhooks",
        "ui-webhooks",
        Perm.CONTRACT_DATA_READ,
        "Requests sent when pacts or verifications are published.",
        prefixes=("/ui/webhooks",),
    ),
    Entry("Import", "broker-import", Perm.SYSTEM_PREFERENCE_MANAGE, "Bring the history of a running Pact Broker over."),
    Entry("Single sign-on", "sso-settings", Perm.AUTHENTICATION_SETTINGS_MANAGE, "SAML, GitHub and Google sign-in."),
    Entry("Subscription", "billing-subscription", Perm.BILLING_MANAGE, "Plan, seats and payment."),
    Entry("Audit log", "organisation-audit", Perm.AUDIT_READ, "Who changed what, and when."),
    Entry("Data export", "portability-data", Perm.SYSTEM_PREFERENCE_MANAGE, "Download all of the organisation's data."),
    Entry("Retention", "retention-settings", Perm.SYSTEM_PREFERENCE_MANAGE, "How much history is kept."),
    Entry("Organisation", "organisation-settings", Perm.SYSTEM_PREFERENCE_MANAGE, "Close the organisation."),
]


def _allowed(user, entry: Entry) -> bool:
    if entry.permission is None:
        return True
    return user_has_permission(user, entry.permission)


def settings_sections(user) -> list[Entry]:
    return [entry for entry in SETTINGS if _allowed(user, entry)]


def _links(request, entries: list[Entry]) -> list[dict]:
    links = []
    for entry in entries:
        url = entry.url
        current = request.path == url or any(request.path.startswith(p) for p in entry.prefixes)
        links.append({"label": entry.label, "url": url, "current": current, "description": entry.description})
    # Only the most specific match is "current" (the settings index vs a settings page).
    exact = [link for link in links if link["url"] == request.path]
    if exact:
        for link in links:
            link["current"] = link in exact
    return links


def navigation(request) -> dict:
    """Context processor: `nav.main` and `nav.settings` for signed-in people."""

    def build():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {"main": [], "settings": []}
        return {
            "main": _links(request, [e for e in MAIN if _allowed(user, e)]),
            "settings": _links(request, settings_sections(user)),
        }

    return {"nav": SimpleLazyObject(build)}
