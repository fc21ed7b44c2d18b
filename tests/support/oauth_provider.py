"""A local OAuth2 provider answering in GitHub's and Google's documented shapes.

It runs a real HTTP server on 127.0.0.1 in a thread. The authorize endpoints redirect back with a
code bound to the client and redirect URI; the token endpoints check client id, secret, code and
redirect URI as the real services do; the user endpoints answer for the token they issued.
"""

import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class ProviderState:
    client_id: str = "client-id"
    client_secret: str = "client-secret"
    github_user: dict = field(default_factory=lambda: {"login": "octo", "id": 4242, "name": "Octo Cat", "email": None})
    github_emails: list = field(
        default_factory=lambda: [
            {"email": "octo@acme.example", "primary": True, "verified": True, "visibility": "private"}
        ]
    )
    github_orgs: list = field(default_factory=lambda: [{"login": "acme-inc", "id": 1}])
    github_teams: list = field(
        default_factory=lambda: [
            {"slug": "platform", "name": "Platform", "organization": {"login": "acme-inc", "id": 1}}
        ]
    )
    google_userinfo: dict = field(
        default_factory=lambda: {
            "sub": "1098765",
            "email": "ada@acme.example",
            "email_verified": True,
            "name": "Ada L",
            "given_name": "Ada",
            "family_name": "L",
            "hd": "acme.example",
        }
    )
    codes: dict = field(default_factory=dict)
    tokens: set = field(default_factory=set)
    token_requests: list = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    state: ProviderState

    def log_message(self, *args):
        pass

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path in ("/login/oauth/authorize", "/o/oauth2/auth"):
            if query.get("client_id") != self.state.client_id:
                return self._json(400, {"error": "invalid_client"})
            code = secrets.token_urlsafe(12)
            self.state.codes[code] = query["redirect_uri"]
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return None
        auth = self.headers.get("Authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else ""
        if token not in self.state.tokens:
            return self._json(401, {"message": "Bad credentials"})
        if url.path == "/api/user":
            return self._json(200, self.state.github_user)
        if url.path == "/api/user/emails":
            return self._json(200, self.state.github_emails)
        if url.path == "/api/user/orgs":
            return self._json(200, self.state.github_orgs)
        if url.path == "/api/user/teams":
            return self._json(200, self.state.github_teams)
        if url.path == "/oauth2/v3/userinfo":
            return self._json(200, self.state.google_userinfo)
        return self._json(404, {"message": "Not Found"})

    def do_POST(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if url.path not in ("/login/oauth/access_token", "/token"):
            return self._json(404, {"message": "Not Found"})
        self.state.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        redirect_uri = self.state.codes.pop(form.get("code", ""), None)
        if (
            form.get("client_id") != self.state.client_id
            or form.get("client_secret") != self.state.client_secret
            or redirect_uri is None
            or redirect_uri != form.get("redirect_uri")
        ):
            return self._json(
                400, {"error": "bad_verification_code" if url.path.startswith("/login") else "invalid_grant"}
            )
        token = secrets.token_urlsafe(16)
        self.state.tokens.add(token)
        if url.path.startswith("/login"):
            return self._json(200, {"access_token": token, "token_type": "bearer", "scope": "read:org,user:email"})
        return self._json(
            200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer", "scope": "openid email profile"}
        )


class OAuthProvider:
    def __init__(self):
        self.state = ProviderState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
