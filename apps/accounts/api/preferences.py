"""`/preferences/system` and `/preferences/current-user` (PactFlow's paths and body): name/value
pairs, `{"_embedded": {"preferences": [{"name": ..., "value": ...}]}, "_links": {"self": ...}}`.

PUT takes the same list (`{"preferences": [...]}`, or the `_embedded` form a GET returned) and sets
the names it lists; the others stay. System preferences are read by every member and changed under
`system_preference:manage:*`; one's own by oneself (not with a read-only token).
"""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apps.accounts import preferences
from apps.accounts.api.base import IdentityAPIView, IsPrincipal
from apps.accounts.models import User
from apps.accounts.permissions import BrokerPermission, Perm, acting_user_set, permissions_of
from apps.accounts.services.preferences import system_preferences_update, user_preferences_update

SHAPE = 'Expected {"preferences": [{"name": "...", "value": ...}]}.'


def _ui_only_token(permission, request) -> bool:
    """PactFlow's Viewer role is for the UI only: its holders' tokens open nothing (as BrokerPermission)."""
    if getattr(request.auth, "digest", None) is None:
        return False
    permissions_of(request.user)
    if getattr(request.user, "_broker_ui_only", False):
        permission.message = "Your role gives access to the UI only, not to the API."
        return True
    return False


class MembersReadPermission(BrokerPermission):
    """Reading: any signed-in principal of the organisation. Writing: as BrokerPermission."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return IsPrincipal().has_permission(request, view) and not _ui_only_token(self, request)
        return super().has_permission(request, view)


class OwnPreferencesPermission(BrokerPermission):
    """A person's or system account's own preferences; a read-only token may only read them."""

    def has_permission(self, request, view) -> bool:
        if not IsPrincipal().has_permission(request, view) or _ui_only_token(self, request):
            return False
        if request.method not in SAFE_METHODS and getattr(request.auth, "read_only", False):
            self.message = "This token is read-only."
            return False
        acting_user_set(request.user)
        return True


def _body(view) -> dict:
    """`{name: value}` from the PUT body; 400 for anything but a list of name/value pairs."""
    data = view.body()
    items = data.get("preferences", (data.get("_embedded") or {}).get("preferences"))
    if not isinstance(items, list):
        raise exceptions.ValidationError({"preferences": [SHAPE]})
    values = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or "value" not in item:
            raise exceptions.ValidationError({"preferences": [SHAPE]})
        if item["name"] in values:
            raise exceptions.ValidationError({item["name"][:64]: ["Given twice."]})
        values[item["name"]] = item["value"]
    return values


def _json(view, values: dict) -> dict:
    return {
        "_embedded": {"preferences": [{"name": name, "value": value} for name, value in values.items()]},
        "_links": {"self": view.link(view.request.path)},
    }


class SystemPreferencesView(IdentityAPIView):
    permission_classes = [MembersReadPermission]
    required_permissions = {"PUT": Perm.SYSTEM_PREFERENCE_MANAGE}

    def get(self, request):
        return Response(_json(self, preferences.system_preferences()))

    def put(self, request):
        return Response(_json(self, system_preferences_update(actor=request.user, values=_body(self))))


class CurrentUserPreferencesView(IdentityAPIView):
    permission_classes = [OwnPreferencesPermission]

    def _user(self) -> User:
        if not isinstance(self.request.user, User):  # self-hosted basic-auth principals
            raise exceptions.PermissionDenied("Only users and system accounts have preferences.")
        return self.request.user

    def get(self, request):
        return Response(_json(self, preferences.user_preferences(self._user())))

    def put(self, request):
        user = self._user()
        return Response(_json(self, user_preferences_update(actor=user, user=user, values=_body(self))))
