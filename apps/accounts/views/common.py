"""Shared bits of the settings pages: per-method permission checks and error display."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from apps.accounts.permissions import CATALOGUE_BY_SCOPE, user_has_permission


def forbidden(request, permission: str):
    info = CATALOGUE_BY_SCOPE.get(permission)
    return render(
        request, "accounts/forbidden.html", {"permission": info.label if info else permission}, status=403
    )


def page_permissions(*, get: str, post: str | None = None):
    """A settings page: GET needs `get`, POST needs `post` (default: the same). Other methods 405."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.method not in ("GET", "HEAD", "POST"):
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed(["GET", "POST"])
            needed = get if request.method in ("GET", "HEAD") else (post or get)
            if not user_has_permission(request.user, needed):
                return forbidden(request, needed)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def can(request, permission: str) -> bool:
    return user_has_permission(request.user, permission)
