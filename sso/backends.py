"""GitHub and Google sign-in: social-core's backends with our restrictions and configurable endpoints.

Endpoints come from settings (SOCIAL_AUTH_<BACKEND>_AUTHORIZATION_URL / _ACCESS_TOKEN_URL, plus
_API_URL for GitHub and _USERINFO_URL for Google) so GitHub Enterprise and the tests' local
providers work. Only verified email addresses leave these backends: an unverified address could
name someone else's account.
"""
from urllib.parse import urljoin

from social_core.backends.github import GithubOAuth2
from social_core.backends.google import GoogleOAuth2
from social_core.exceptions import AuthPolicyError


class GithubLogin(GithubOAuth2):
    name = "github"

    def api_url(self) -> str:
        return self.setting("API_URL", self.API_URL)

    def get_scope(self):
        scope = ["user:email"]
        if self.setting("RESTRICT_TO", []):
            scope.append("read:org")  # needed to see private organisation memberships
        return scope

    def user_data(self, access_token, *args, **kwargs):
        headers = {"Authorization": f"token {access_token}"}
        data = self.get_json(urljoin(self.api_url(), "user"), headers=headers)
        emails = self.get_json(urljoin(self.api_url(), "user/emails"), headers=headers)
        verified = [e for e in emails if isinstance(e, dict) and e.get("verified") and e.get("email")]
        primary = [e for e in verified if e.get("primary")] or verified
        # GitHub's profile email may be unverified or public-only: trust only /user/emails' verified ones.
        data["email"] = primary[0]["email"] if primary else ""
        allowed_orgs = self.setting("RESTRICT_TO", [])
        if allowed_orgs:
            orgs = self.get_json(urljoin(self.api_url(), "user/orgs"), headers=headers)
            logins = {str(org.get("login", "")).lower() for org in orgs if isinstance(org, dict)}
            if not logins & set(allowed_orgs):
                raise AuthPolicyError(self)
        return data


class GoogleLogin(GoogleOAuth2):
    name = "google-oauth2"

    def user_data(self, access_token, *args, **kwargs):
        response = self.get_json(
            self.setting("USERINFO_URL", "https://www.googleapis.com/oauth2/v3/userinfo"),
            headers={"Authorization": f"Bearer {access_token}"},
        )
        self.validate_email_verified(response)
        allowed = set(self.setting("RESTRICT_TO", []))
        email = str(response.get("email", "")).lower()
        domain = email.rpartition("@")[2]
        # `hd` is Google's statement that the account belongs to that Workspace domain; a consumer
        # account with a matching address (no `hd`) is not a member of the organisation's Workspace.
        if not allowed or str(response.get("hd", "")).lower() not in allowed or domain not in allowed:
            raise AuthPolicyError(self)
        return response

    def auth_extra_arguments(self):
        extra = super().auth_extra_arguments()
        allowed = self.setting("RESTRICT_TO", [])
        if len(allowed) == 1:
            extra["hd"] = allowed[0]  # only a hint for Google's account chooser; enforced above
        return extra
