"""Who may join an organisation through GitHub or Google sign-in.

A GitHub or Google account proves only that someone controls that account. Anyone on the internet
has one, so by default these modes admit only people the organisation already knows: members and
pending invitees (a User row with that verified email, which is what an invitation creates) and
accounts already linked to a member. An administrator opens the door wider with an allow-list,
as PactFlow's admin settings do:

- GitHub organisations: the person is a member of one (`/user/orgs`, needs scope `read:org`);
- GitHub teams, written `organisation/team-slug`: the person is on one (`/user/teams`);
- email domains: for GitHub, one of the account's *verified* addresses (`/user/emails`) is at the
  domain, and that address becomes the person's email; for Google, the Workspace domain `hd` and
  the verified address's domain are both on the list (a consumer Google account created with a
  company address has no `hd`, and Google never verified the company owns it).

Anything unverified counts for nothing: an unverified address is refused before this runs
(sso.backends), so an attacker cannot claim a member's or a domain's address.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AllowList:
    orgs: frozenset[str] = field(default_factory=frozenset)
    teams: frozenset[str] = field(default_factory=frozenset)
    domains: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.orgs or self.teams or self.domains)


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def allow_listed_email(*, provider: str, allow: AllowList, response: dict, emails: list[str]) -> str | None:
    """The verified email under which the allow-list admits this person, or None.

    `emails` are the account's verified addresses, primary first; `response` is what the backend
    gathered from the provider (organisations, teams, `hd`).
    """
    if not emails or not allow:
        return None
    if provider == "google":
        hd = str(response.get("hd") or "").lower()
        email = emails[0]
        return email if hd and hd in allow.domains and _domain(email) in allow.domains else None
    for email in emails:
        if _domain(email) in allow.domains:
            return email
    organisations = {str(o).lower() for o in response.get("organisations") or []}
    teams = {str(t).lower() for t in response.get("teams") or []}
    if organisations & allow.orgs or teams & allow.teams:
        return emails[0]
    return None
