"""Named permissions and the check every API view and UI page goes through.

Views declare what each HTTP method needs (`required_permissions = {"PUT": Perm.CONTRACT_PUBLISH}`);
a method not listed needs READ for safe methods and is refused otherwise. Read-only tokens may only
use safe methods, or unsafe ones declared to need only READ, whatever their owner's role.
"""
from rest_framework.permissions import SAFE_METHODS, BasePermission


class Perm:
    READ = "contracts:read"
    CONTRACT_PUBLISH = "contracts:publish"
    VERIFICATION_PUBLISH = "verifications:publish"
    DEPLOYMENT_RECORD = "deployments:record"
    PACTICIPANT_MANAGE = "pacticipants:manage"
    ENVIRONMENT_MANAGE = "environments:manage"
    WEBHOOK_MANAGE = "webhooks:manage"
    SECRET_MANAGE = "secrets:manage"
    USER_MANAGE = "users:manage"
    TOKEN_MANAGE = "tokens:manage"
    SETTINGS_MANAGE = "settings:manage"
    BILLING_MANAGE = "billing:manage"


ADMIN_ONLY = {Perm.USER_MANAGE, Perm.SETTINGS_MANAGE, Perm.BILLING_MANAGE, Perm.SECRET_MANAGE}


def user_has_permission(user, permission: str) -> bool:
    """Whether a user's roles grant a permission. (Role-based rules: see the Identity work.)"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return permission not in ADMIN_ONLY


class BrokerPermission(BasePermission):
    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        required = getattr(view, "required_permissions", {}).get(request.method)
        if required is None:
            required = Perm.READ if request.method in SAFE_METHODS else None
        # An unsafe method that only needs READ is a read (POST for-verification): read-only tokens may use it.
        if (token is not None and getattr(token, "read_only", False) and request.method not in SAFE_METHODS
                and required != Perm.READ):
            self.message = "This token is read-only."
            return False
        if required is None:
            return False
        return user_has_permission(request.user, required)
