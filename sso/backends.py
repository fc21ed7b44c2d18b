"""GitHub and Google sign-in: social-core's backends, gathering only verified facts.

Endpoints come from settings (SOCIAL_AUTH_<BACKEND>_AUTHORIZATION_URL / _ACCESS_TOKEN_URL, plus
_API_URL for GitHub and _USERINFO_URL for Google) so GitHub Enterprise and the tests' local
providers work. Only verified email addresses leave these backends: an unverified address could
name someone else's account. Who is admitted is decided in the pipeline (sso.admission).
"""

from urllib.parse import urljoin

from social_core.backends.github import GithubOAuth2
from social_core.backends.google import GoogleOAuth2


class GithubLogin(GithubOAuth2):
    name = "github"

    def api_url(self) -> str:
        return self.setting("API_URL", self.API_URL)

    def _needs_memberships(self) -> bool:
        return bool(self.setting("ALLOWED_ORGS", []) or self.setting("ALLOWED_TEAMS", []))

    def get_scope(self):
        scope = ["user:email"]
        if self._needs_memberships():
            scope.append("read:org")  # needed to see private organisation and team memberships
        return scope

    def user_data(self, access_token, *args, **kwargs):
        headers = {"Authorization": f"token {access_token}"}
        data = self.get_json(urljoin(self.api_url(), "user"), headers=headers)
        emails = self.get_json(urljoin(self.api_url(), "user/emails"), headers=headers, params={"per_page": 100})
        verified = [e for e in emails if isinstance(e, dict) and e.get("verified") and e.get("email")]
        verified.sort(key=lambda e: not e.get("primary"))
        # GitHub's profile email may be unverified or public-only: trust only /user/emails' verified ones.
        data["verified_emails"] = [str(e["email"]).strip().lower() for e in verified]
        data["email"] = data["verified_emails"][0] if verified else ""
        if self._needs_memberships():
            orgs = self.get_json(urljoin(self.api_url(), "user/orgs"), headers=headers, params={"per_page": 100})
            data["organisations"] = [str(o.get("login", "")).lower() for o in orgs if isinstance(o, dict)]
        if self.setting("ALLOWED_TEAMS", []):
            teams = self.get_json(urljoin(self.api_url(), "user/teams"), headers=headers, params={"per_page": 100})
            data["teams"] = [
                f"{str((t.get('organization') or {}).get('login', '')).lower()}/{str(t.get('slug', '')).lower()}"
                for t in teams
                if isinstance(t, dict)
            ]
        return data


class GoogleLogin(GoogleOAuth2):
    name = "google-oauth2"

    def user_data(self, access_token, *args, **kwargs):
        response = self.get_json(
            self.setting("USERINFO_URL", "https://www.googleapis.com/oauth2/v3/userinfo"),
            headers={"Authorization": f"Bearer {access_token}"},
        )
        email = str(response.get("email") or "").strip().lower()
        # An address Google has not verified is no address at all (the pipeline then refuses).
        verified = response.get("email_verified") in (True, "true")
        response["email"] = email if verified else ""
        response["verified_emails"] = [email] if verified and email else []
        return response

    def auth_extra_arguments(self):
        extra = super().auth_extra_arguments()
        allowed = self.setting("ALLOWED_DOMAINS", [])
        if len(allowed) == 1:
            extra["hd"] = allowed[0]  # only a hint for Google's account chooser; enforced in sso.admission
        return extra
