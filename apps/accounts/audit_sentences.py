"""An audit entry as one sentence for the audit log page: who did what to which target, and when
("admin@acme.example (token “ci”) published pact “Web 1.1.0 → Orders”").

Actions are `<thing>.<what happened>` (`pact.published`, `user.roles_changed`). Whole actions that
read badly word by word have their own phrase; otherwise the thing's name in the UI's words
(application, not pacticipant) and the verb make the sentence. An action not known here still gets
a sentence from its own words, so a new audit type never shows as a bare code.
"""

from dataclasses import dataclass

# Whole actions with their own phrase; "{target}" is where the target goes, if it has one.
PHRASES = {
    "user.roles_changed": "changed the roles of {target}",
    "user.seat_type_changed": "changed the seat type of {target}",
    "user.scim_attributes_changed": "changed the SCIM attributes of {target}",
    "user.invitation_accepted": "accepted the invitation as {target}",
    "user.email_confirmed": "confirmed the email address of {target}",
    "user.locked_out": "locked out {target} after failed sign-ins",
    "user.password_changed": "changed the password of {target}",
    "user.password_reset": "reset the password of {target}",
    "token.all_revoked": "revoked every token of {target}",
    "token.rotated": "regenerated the token {target}",
    "token.authentication_failed": "used a token that was refused {target}",
    "sso.signed_in": "signed in with single sign-on as {target}",
    "sso.user_provisioned": "provisioned {target} through single sign-on",
    "sso.role_synced": "synchronised the roles of {target} from single sign-on",
    "sso.policy_updated": "changed the sign-in policy",
    "sso.saml_idp_updated": "changed the SAML identity provider settings",
    "sso.saml_sp_key_created": "created a new SAML signing key",
    "sso.oauth_client_updated": "changed the GitHub/Google sign-in settings",
    "role.builtin_reset": "reset the built-in roles",
    "team.pacticipant_renamed": "renamed an application of team {target}",
    "team.external_id_changed": "changed the identity provider's id of team {target}",
    "integrations.deleted_all": "deleted every integration",
    "audit.pruned": "removed audit entries older than the plan keeps",
    "retention.batch_deleted": "deleted old versions under the retention policy",
    "retention.policy_updated": "changed the retention policy",
    "webhook.executed": "tested the webhook {target}",
    "webhook_execution.succeeded": "delivered the webhook {target}",
    "webhook_execution.failed": "failed to deliver the webhook {target}",
    "billing.checkout_started": "started a Stripe Checkout",
    "billing.portal_opened": "opened the billing portal",
    "billing.plan_change_requested": "asked to change the plan",
    "billing.seats_change_requested": "asked to change the number of seats",
    "billing.subscription_changed": "changed the subscription (Stripe)",
    "billing.payment_failed": "recorded a failed payment",
    "billing.payment_recovered": "recorded a recovered payment",
    "billing.plan_set_by_platform": "set the plan by hand",
    "billing.invoiced_subscription_started": "started an invoiced subscription",
    "organisation.close_requested": "asked to close the organisation",
    "organisation.close_cancelled": "cancelled the closing of the organisation",
    "organisation.export_requested": "asked for an export of the organisation's data",
}

# The thing an action is about, in the UI's words.
NOUNS = {
    "pacticipant": "application",
    "pacticipants": "applications",
    "branch_version": "branch version",
    "provider_contract": "provider contract",
    "webhook_execution": "webhook delivery",
    "user": "person",
    "system_account": "system account",
    "pacts": "pacts of",
    "branches": "branches of",
}

VERBS = {"rotated": "regenerated", "executed": "ran"}

WHO = {
    "system": "The broker",
    "platform_staff": "Platform staff",
    "basic_auth": "Basic auth user",
    "system_account": "System account",
}


@dataclass
class Sentence:
    who: str  # "admin@acme.example" or "The broker"
    via: str  # "token “ci”" or ""
    what: str  # "published pact “Web 1.1.0 → Orders”"

    def __str__(self) -> str:
        return f"{self.who}{f' ({self.via})' if self.via else ''} {self.what}"


def _who(event) -> str:
    kind = str(event.actor_kind or "system")
    if kind == "user":
        return event.actor_email or "A person since removed"
    if kind == "system":
        return WHO["system"]
    return f"{WHO.get(kind, kind.replace('_', ' ').capitalize())} {event.actor_email}".strip()


def _target(event) -> str:
    label = event.target_label or event.target_id
    return f"“{label}”" if label else ""


def audit_sentence(event) -> Sentence:
    thing, _, happened = str(event.action).partition(".")
    target = _target(event)
    phrase = PHRASES.get(event.action)
    if phrase is not None:
        what = phrase.format(target=target).replace("  ", " ").strip()
    elif happened:
        verb = VERBS.get(happened, happened.replace("_", " "))
        noun = NOUNS.get(thing, thing.replace("_", " "))
        what = " ".join(part for part in (verb, noun, target) if part)
    else:
        what = " ".join(part for part in (thing.replace("_", " "), target) if part)
    via = f"token “{event.token_name}”" if event.token_name else ""
    return Sentence(_who(event), via, what)
