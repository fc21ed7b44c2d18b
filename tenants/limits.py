"""Sign-up rate limits: per client address and per email, counted in the shared cache.

Sign-up is the one unauthenticated write of the public site, and an expensive one (a schema, an
email). Every sign-up POST counts, refused or not: someone probing subdomains or emails is limited
as much as someone creating organisations. The address is the one `client_ip` trusts (the proxy's
right-most X-Forwarded-For entry only when TRUST_PROXY is on), so a client cannot reset its own
counter with a header. The email is counted normalised (trimmed, lower-case) and only hashed into the
cache key, never stored. Counters are django-ratelimit's fixed windows (SIGNUP_RATE_LIMIT_* settings).
"""

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from apps.accounts.audit import client_ip

IP_LIMITED = "Too many sign-up attempts from your network. Please try again later."
EMAIL_LIMITED = "Too many sign-up attempts for this email address. Please try again later."


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int  # seconds until the counter's window ends


def _count(request, *, group: str, value: str, rate: str) -> int | None:
    """Count the attempt; seconds until the window ends if it is over the limit, else None."""
    if not rate or not value:
        return None
    usage = get_usage(request, group=group, key=lambda group, request: value, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def signup_refusal(request) -> Refusal | None:
    """Count one sign-up attempt; why to answer 429 if it is over a limit, else None."""
    email = request.POST.get("email", "").strip().lower()
    by_ip = _count(request, group="signup:ip", value=client_ip(request) or "-", rate=settings.SIGNUP_RATE_LIMIT_PER_IP)
    by_email = _count(request, group="signup:email", value=email, rate=settings.SIGNUP_RATE_LIMIT_PER_EMAIL)
    if by_ip:
        return Refusal(IP_LIMITED, by_ip)
    if by_email:
        return Refusal(EMAIL_LIMITED, by_email)
    return None
