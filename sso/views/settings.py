"""Settings > SSO: administrators choose the sign-in modes and configure each one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import Perm, require_permission
from apps.secrets.services import sealed_value_exists
from sso import queries, saml, services
from sso.errors import SsoError
from sso.forms import LoginPolicyForm, OAuthClientForm, SamlIdpForm


def _page(request, *, status=200, **forms):
    policy = queries.login_policy_get()
    idp = queries.saml_idp_get()
    clients = {p: queries.oauth_client_get(p) for p in ("github", "google")}
    context = {
        "available": queries.modes_available(),
        "choices": queries.login_choices(policy),
        "sp": saml.sp_urls(request),
        "policy_form": forms.get("policy_form")
        or LoginPolicyForm(initial={f: getattr(policy, f) for f in services._POLICY_FIELDS}),
        "saml_form": forms.get("saml_form") or SamlIdpForm(initial=_idp_initial(idp)),
        "github_form": forms.get("github_form")
        or OAuthClientForm(prefix="github", initial=_client_initial(clients["github"])),
        "google_form": forms.get("google_form")
        or OAuthClientForm(prefix="google", initial=_client_initial(clients["google"])),
        "secret_saved": {p: sealed_value_exists(purpose=queries.client_secret_purpose(p)) for p in clients},
        "scim_unavailable": queries.scim_unavailable_reason(),
        "scim_url": request.build_absolute_uri("/scim/v2"),
    }
    return render(request, "sso/settings.html", context, status=status)


def _idp_initial(idp):
    if idp is None:
        return {}
    return {
        f: getattr(idp, f)
        for f in (
            "entity_id",
            "sso_url",
            "slo_url",
            "x509_cert",
            "metadata_url",
            "attr_email",
            "attr_name",
            "attr_groups",
            "admin_groups",
            "sign_requests",
        )
    }


def _client_initial(client):
    if client is None:
        return {}
    return {
        "client_id": client.client_id,
        "allowed_orgs": client.allowed_orgs,
        "allowed_teams": client.allowed_teams,
        "allowed_domains": client.allowed_domains,
    }


@require_permission(Perm.AUTHENTICATION_SETTINGS_MANAGE)
@require_GET
def sso_settings(request):
    return _page(request)


@require_permission(Perm.AUTHENTICATION_SETTINGS_MANAGE)
@require_POST
def policy_update(request):
    form = LoginPolicyForm(request.POST)
    if form.is_valid():
        try:
            services.login_policy_update(actor=request.user, **form.cleaned_data)
        except SsoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Sign-in policy saved.")
            return redirect("sso-settings")
    return _page(request, policy_form=form, status=400)


@require_permission(Perm.AUTHENTICATION_SETTINGS_MANAGE)
@require_POST
def saml_update(request):
    form = SamlIdpForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            metadata = _metadata_values(data)
            metadata["sign_requests"] = bool(metadata.get("sign_requests") or data.get("sign_requests"))
            data.update(metadata)
            services.saml_idp_update(
                actor=request.user, **{k: v for k, v in data.items() if k not in ("metadata_xml", "metadata_file")}
            )
        except SsoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Identity provider saved.")
            return redirect("sso-settings")
    return _page(request, saml_form=form, status=400)


def _metadata_values(data) -> dict:
    """Metadata (file, pasted XML or URL) fills entity ID, URLs and certificate; fields typed win otherwise."""
    xml = None
    if data.get("metadata_file"):
        xml = data["metadata_file"].read(saml.MAX_METADATA_BYTES + 1)
        if len(xml) > saml.MAX_METADATA_BYTES:
            raise SsoError("The metadata file is too large.")
    elif data.get("metadata_xml"):
        xml = data["metadata_xml"]
    elif data.get("metadata_url"):
        xml = saml.metadata_fetch(data["metadata_url"])
    return saml.metadata_parse(xml) if xml else {}


@require_permission(Perm.AUTHENTICATION_SETTINGS_MANAGE)
@require_POST
def oauth_update(request, provider):
    if provider not in ("github", "google"):
        raise Http404("No such sign-in provider")
    form = OAuthClientForm(request.POST, prefix=provider)
    if form.is_valid():
        try:
            services.oauth_client_update(actor=request.user, provider=provider, **form.cleaned_data)
        except SsoError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{provider.title()} settings saved.")
            return redirect("sso-settings")
    return _page(request, status=400, **{f"{provider}_form": form})
