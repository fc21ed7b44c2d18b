"""Routes that skip authentication, said loudly.

Every other route is behind a gate: an API view is a `BrokerAPIView` (token, session or Basic, then
`BrokerPermission`), a page is behind `apps.accounts.permissions.require_permission` (or the
platform's `staff_required`). A view that lets anyone in says so where it is defined, with
`@dangerously_public("why")`, and its URL name is listed in `PUBLIC_ROUTES` below, so review can
read them all in one place. `tests/security/test_public_routes.py` walks both URL confs and fails
on a view that is neither gated nor marked, and on a marked view missing from this list (or the
reverse).

An API view that is public only when an operator turns a setting on inherits
`DangerouslyPublicWhenConfigured` and is listed in `PUBLIC_WHEN_CONFIGURED` (badges, so they can be
embedded in READMEs, as the broker's `enable_public_badge_access`).

A view that only dispatches (a browser to a page, an API client to an API view) is `@dispatches_to`
its targets; the test checks that every target is gated.
"""

# URL names by URL conf (config/urls_tenant.py, config/urls_public.py); the reason is on the marker.
PUBLIC_ROUTES: dict[str, frozenset[str]] = {
    # organisation hosts: signing in and everything that comes before it
    "tenant": frozenset(
        {
            "login",
            "logout",
            "signup-confirm",
            "invitation-accept",
            "password-reset",
            "password-reset-done",
            "password_reset_confirm",
            "password-reset-complete",
            "saml-metadata",
            "saml-login",
            "saml-acs",
            "saml-sls",
            "saml-logout",
            "begin",
            "complete",  # GitHub and Google sign-in (social-auth's names)
            "hal-browser",  # the HAL browser's shell: no data, it fetches through the API
        }
    ),
    # the public site
    "public": frozenset({"landing", "signup", "stripe-webhook", "platform-login", "logout"}),
}


# setting -> the API view classes (dotted paths) it opens to anyone
PUBLIC_WHEN_CONFIGURED: dict[str, tuple[str, ...]] = {
    "BROKER_ENABLE_PUBLIC_BADGE_ACCESS": (
        "apps.verifications.api.badges.PactBadgeResource",
        "apps.matrix.api.views._BadgeView",
    ),
}


class DangerouslyPublicWhenConfigured:
    """Mixin for a BrokerAPIView that skips authentication and permissions while the setting named
    by `public_when` is true (listed in PUBLIC_WHEN_CONFIGURED)."""

    public_when: str = ""

    def get_permissions(self):
        from django.conf import settings

        if getattr(settings, self.public_when):
            return []
        return super().get_permissions()


def dangerously_public(reason: str):
    """Mark a view (function or class) that anyone may call, without signing in. `reason` says why
    that is safe; the URL name must be in PUBLIC_ROUTES."""
    if not reason.strip():
        raise ValueError("say why this view may skip authentication")

    def mark(view):
        view.dangerously_public = reason
        return view

    return mark


def dispatches_to(*targets):
    """Mark a view that only hands the request to one of `targets` (each of them gated)."""

    def mark(view):
        view.dispatches_to = targets
        return view

    return mark
