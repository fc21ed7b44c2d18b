"""Sign-in views: SAML (metadata, login, ACS, single logout) and GitHub/Google (begin, complete)."""

import logging

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from social_core.actions import do_complete
from social_core.exceptions import SocialAuthBaseException
from social_django import views as social_views
from social_django.utils import psa

from apps.core.public import dangerously_public
from sso import queries, saml
from sso.audit import sso_audit
from sso.auth import SESSION_BACKEND
from sso.errors import SeatsExhausted, SsoError
from sso.pipeline import MODE_FOR_BACKEND, AdminLinkRequired, NotInvited, NoVerifiedEmail
from sso.services import saml_sp_key_ensure, sso_user_provision

logger = logging.getLogger(__name__)


def _safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _refused(request, message: str, *, status: int = 403):
    return render(request, "sso/refused.html", {"message": message}, status=status)


def _seats_full(request, message: str):
    return render(request, "sso/seats_full.html", {"message": message}, status=403)


def _saml_idp_or_404():
    if "saml" not in queries.login_choices().modes:
        raise Http404("SAML sign-in is not enabled for this organisation.")
    return queries.saml_idp_get()


@dangerously_public("the SAML service provider metadata is public by design")
@require_GET
def saml_metadata(request):
    """Our SP metadata, for the admin to give to their IdP. Public, as metadata is meant to be."""
    if "saml" not in queries.modes_available():
        raise Http404("SAML is not part of this organisation's plan.")
    try:
        saml_sp_key_ensure()  # our signing certificate belongs in the metadata the admin hands over
    except SsoError:
        logger.warning("SAML SP metadata served without a signing certificate: no master key is configured")
    return HttpResponse(saml.sp_metadata(request, queries.saml_idp_get()), content_type="application/samlmetadata+xml")


@dangerously_public("starts signing in with the identity provider")
@never_cache
@require_GET
def saml_login(request):
    idp = _saml_idp_or_404()
    try:
        auth = saml.auth_for(request, idp)
    except SsoError as exc:
        return _refused(request, str(exc))
    redirect_url = auth.login(return_to=_safe_next(request, request.GET.get("next")))
    response = HttpResponseRedirect(redirect_url)
    # SameSite=None: the IdP's cross-site POST to the ACS must carry it back (see sso.saml).
    response.set_cookie(
        saml.REQUEST_COOKIE,
        saml.request_cookie_value(auth.get_last_request_id()),
        max_age=settings.SSO_SAML_REQUEST_MAX_AGE,
        path="/sso/saml/acs",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="None",
    )
    return response


# The ACS is the one csrf_exempt view: the IdP POSTs here cross-site from its own page, so no CSRF
# token can exist. What stands in for it is the response's signature plus the InResponseTo check
# against our signed request cookie (SP-initiated) and the one-time assertion ID.
@dangerously_public("the identity provider's signed assertion is the credential")
@csrf_exempt
@never_cache
@require_POST
def saml_acs(request):
    idp = _saml_idp_or_404()
    choices = queries.login_choices()
    try:
        identity = saml.response_process(request, idp=idp, allow_idp_initiated=choices.allow_idp_initiated)
        user = sso_user_provision(
            email=identity.email, name=identity.name, groups=identity.groups, source="saml", name_id=identity.name_id
        )
    except SeatsExhausted as exc:
        return _seats_full(request, str(exc))
    except SsoError as exc:
        logger.warning("SAML sign-in refused: %s", exc)
        return _refused(request, str(exc))
    login(request, user, backend=SESSION_BACKEND)
    request.session["sso_source"] = "saml"
    request.session["saml_name_id"] = identity.name_id
    request.session["saml_name_id_format"] = identity.name_id_format
    request.session["saml_session_index"] = identity.session_index
    sso_audit(actor=user, action="sso.signed_in", details={"source": "saml"})
    response = HttpResponseRedirect(_safe_next(request, request.POST.get("RelayState")))
    response.delete_cookie(saml.REQUEST_COOKIE, path="/sso/saml/acs", samesite="None")
    return response


@dangerously_public("signing out ends only the caller's own session")
@require_POST
def saml_logout(request):
    """Sign out here, then at the IdP when it offers single logout."""
    idp = queries.saml_idp_get()
    name_id = request.session.get("saml_name_id")
    via_saml = request.session.get("sso_source") == "saml"
    name_id_format = request.session.get("saml_name_id_format")
    session_index = request.session.get("saml_session_index")
    logout(request)
    if not (via_saml and idp and idp.slo_url and "saml" in queries.login_choices().modes):
        return HttpResponseRedirect(settings.LOGIN_URL)
    try:
        auth = saml.auth_for(request, idp)
    except SsoError:
        return HttpResponseRedirect(settings.LOGIN_URL)  # signed out here; the IdP's session stays
    return HttpResponseRedirect(
        auth.logout(
            return_to=settings.LOGIN_URL, name_id=name_id, name_id_format=name_id_format, session_index=session_index
        )
    )


@dangerously_public("the identity provider's signed logout message")
@never_cache
@require_GET
def saml_sls(request):
    """The IdP's side of single logout: its LogoutResponse, or its LogoutRequest.

    Either must carry a valid HTTP-Redirect signature by the IdP's certificate; an unsigned or
    badly signed one is refused and changes nothing (sso.saml.settings_dict, logout=True).
    """
    idp = _saml_idp_or_404()
    if not idp.slo_url:
        raise Http404("This identity provider does not offer single logout.")
    try:
        auth = saml.auth_for(request, idp, logout=True)
    except SsoError as exc:
        return _refused(request, str(exc), status=400)
    redirect_url = auth.process_slo(delete_session_cb=lambda: logout(request))
    if auth.get_errors():
        logger.warning("SAML logout refused: %s", auth.get_last_error_reason())
        return _refused(request, "The identity provider's logout message was refused.", status=400)
    return HttpResponseRedirect(redirect_url or settings.LOGIN_URL)


# --- GitHub and Google --------------------------------------------------------------------------------


def _social_mode_enabled(backend: str) -> None:
    if MODE_FOR_BACKEND.get(backend) not in queries.login_choices().modes:
        raise Http404("This sign-in method is not enabled for this organisation.")


@dangerously_public("starts signing in with GitHub or Google")
@never_cache
@require_POST
def social_begin(request, backend):
    """Redirect to the provider (POST with CSRF: a GET would let any page start a sign-in)."""
    _social_mode_enabled(backend)
    return social_views.auth(request, backend)


def _social_login(backend, user, social_user):
    login(backend.strategy.request, user, backend=SESSION_BACKEND)
    backend.strategy.request.session["sso_source"] = backend.name
    sso_audit(actor=user, action="sso.signed_in", details={"source": backend.name})


@dangerously_public("the provider's answer, bound to the session by the OAuth state")
@never_cache
@csrf_exempt  # the provider's redirect back; the OAuth `state` bound to the session stands in for CSRF
@require_GET
@psa("social:complete")
def social_complete(request, backend):
    _social_mode_enabled(backend)
    try:
        return do_complete(request.backend, _social_login, user=request.user, redirect_name="next", request=request)
    except SeatsExhausted as exc:
        return _seats_full(request, str(exc))
    except (SocialAuthBaseException, SsoError) as exc:
        # The code names the failed check; provider payloads and tokens are never logged.
        logger.warning("%s sign-in refused: %s %s", backend, type(exc).__name__, getattr(exc, "code", ""))
        return _refused(request, _social_message(exc))


def _social_message(exc) -> str:
    if isinstance(exc, (AdminLinkRequired, NotInvited, NoVerifiedEmail, SsoError)):
        return str(exc)
    return "Sign-in with this provider was refused for this organisation."
