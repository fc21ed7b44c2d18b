"""Reads on users, seats, roles, teams, tokens and the audit log of the current organisation."""

import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from apps.accounts.catalogue import ADMINISTRATOR, ORGANIZATION_ADMINISTRATOR
from apps.accounts.models import ApiToken, AuditEvent, Role, Team, User, UserPreference
from billing.plans import limits_for


def valid_uuid(value) -> uuid.UUID | None:
    """A UUID from a URL or body, or None when it is not one (so it reads as "not found")."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def administrator_is_last(user: User) -> bool:
    """Whether this is the organisation's only active administrator (who may then be neither
    deactivated, removed nor demoted: the organisation would lock itself out)."""
    if not user.is_active or not user.roles.filter(key=ADMINISTRATOR).exists():
        return False
    return not User.objects.filter(is_active=True, roles__key=ADMINISTRATOR).exclude(pk=user.pk).exists()


def current_tenant():
    """The organisation whose schema is active, fresh from the database (seats may just have
    changed), or None on the public schema."""
    from tenants.models import Tenant

    if connection.schema_name == get_public_schema_name():
        return None
    return Tenant.objects.filter(schema_name=connection.schema_name).first()


@dataclass(frozen=True)
class Usage:
    seats: int  # Editor seats (bought)
    seats_used: int
    system_accounts: int
    system_accounts_used: int
    plan_name: str
    viewer_seats: int | None = 0  # None: as many as needed
    viewer_seats_used: int = 0

    @property
    def seats_free(self) -> int:
        return max(self.seats - self.seats_used, 0)

    def free(self, seat_type: str) -> int | None:
        """Seats of this type still free (None: no limit)."""
        if seat_type == User.SeatType.VIEWER:
            return None if self.viewer_seats is None else max(self.viewer_seats - self.viewer_seats_used, 0)
        return self.seats_free


def seat_holders() -> QuerySet:
    """Active people, including invitations not yet accepted (they hold a seat), except those whose
    only role is Organization Administrator: PactFlow's rule, that role "does not consume a paid
    seat" (it has no contract data to read or write)."""
    through = User.roles.through.objects.filter(user_id=OuterRef("pk"))
    org_admin_only = Exists(through.filter(role__key=ORGANIZATION_ADMINISTRATOR)) & ~Exists(
        through.exclude(role__key=ORGANIZATION_ADMINISTRATOR)
    )
    return User.objects.filter(kind=User.Kind.HUMAN, is_active=True).exclude(org_admin_only)


def seats_used(seat_type: str = User.SeatType.EDITOR) -> int:
    """Seats of one type in use (Editor seats unless told)."""
    return seat_holders().filter(seat_type=seat_type).count()


def system_accounts_used() -> int:
    return User.objects.filter(kind=User.Kind.SYSTEM, is_active=True).count()


def usage() -> Usage:
    limits = limits_for(current_tenant())
    return Usage(
        seats=limits.seats,
        seats_used=seats_used(),
        system_accounts=limits.plan.system_accounts,
        system_accounts_used=system_accounts_used(),
        plan_name=limits.plan.name,
        viewer_seats=limits.viewer_seats,
        viewer_seats_used=seats_used(User.SeatType.VIEWER),
    )


def _with_relations(users: QuerySet) -> QuerySet:
    return users.prefetch_related(
        Prefetch("roles", queryset=Role.objects.order_by("name")),
        Prefetch("teams", queryset=Team.objects.order_by("name")),
    )


def user_list(*, kind: str | None = None, q: str = "", active: bool | None = None) -> QuerySet:
    users = User.objects.all()
    if kind:
        users = users.filter(kind=kind)
    if q:
        users = users.filter(Q(email__icontains=q) | Q(name__icontains=q))
    if active is not None:
        users = users.filter(is_active=active)
    return _with_relations(users.order_by("email"))


def user_by_uuid(value, *, kind: str | None = None) -> User | None:
    if valid_uuid(value) is None:
        return None
    users = User.objects.filter(uuid=valid_uuid(value))
    if kind:
        users = users.filter(kind=kind)
    return _with_relations(users).first()


def invitation_list() -> QuerySet:
    return User.objects.filter(kind=User.Kind.HUMAN).exclude(invitation_key="").order_by("-invited_at")


def role_list() -> QuerySet:
    return Role.objects.annotate(number_of_users=Count("users")).order_by("-key", "name")


def role_by_uuid(value) -> Role | None:
    return Role.objects.filter(uuid=valid_uuid(value)).first() if valid_uuid(value) else None


def roles_by_uuids(values) -> list[Role]:
    return list(Role.objects.filter(uuid__in=[v for v in map(valid_uuid, values) if v]))


def team_list(*, q: str = "") -> QuerySet:
    teams = Team.objects.annotate(number_of_members=Count("members", distinct=True))
    if q:
        teams = teams.filter(name__icontains=q)
    return teams.prefetch_related(
        "pacticipants",
        "environments",
        Prefetch("members", queryset=User.objects.order_by("email")),
        Prefetch("administrators", queryset=User.objects.order_by("email")),
    )


def team_by_uuid(value) -> Team | None:
    return team_list().filter(uuid=valid_uuid(value)).first() if valid_uuid(value) else None


def teams_owning(pacticipant_name: str) -> QuerySet:
    """Teams that own a pacticipant (for the contracts app's pages and checks)."""
    return Team.objects.filter(pacticipants__pacticipant_name=pacticipant_name)


def token_list(*, user: User) -> QuerySet:
    """A principal's live tokens (revoked ones are kept for the record but not listed)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-slot", "created_at")


def token_for_owner(*, user: User, uuid) -> ApiToken | None:
    value = valid_uuid(uuid)
    return token_list(user=user).filter(uuid=value).first() if value else None


def tokens_expiring(*, user: User, within_days: int = 7) -> QuerySet:
    soon = timezone.now() + timezone.timedelta(days=within_days)
    return token_list(user=user).filter(expires_at__isnull=False, expires_at__lte=soon)


def tokens_expiry_alert(*, user: User) -> list[ApiToken]:
    """The tokens the token-expiry alert names (expired or expiring within 7 days), or none when the
    person turned the alert off (their preference `tokenExpiryAlert`). One query."""
    if getattr(user, "pk", None) is None:
        return []
    turned_off = UserPreference.objects.filter(user=OuterRef("user"), name="tokenExpiryAlert", value=False)
    return list(tokens_expiring(user=user).filter(~Exists(turned_off)).order_by("expires_at"))


def audit_type_q(kind: str) -> Q:
    """Entries of one type (`pact.published`) or of a family: `pact` and `pact.` both mean every
    `pact.*` entry (not `pacticipant.*`)."""
    family = kind.rstrip(".*")
    return Q(action=kind) | Q(action__startswith=f"{family}.")


def audit_list(
    *,
    since=None,
    until=None,
    actor_uuid=None,
    actor_email: str = "",
    token_uuid=None,
    action: str = "",
    target_id: str = "",
    ascending: bool = False,
    start_at: AuditEvent | None = None,
) -> QuerySet:
    """The organisation's audit entries, filtered, in time order (entries of the same instant by
    insertion). `since` is inclusive, `until` exclusive; `start_at` is the keyset cursor (PactFlow's
    `from`): that entry and those after it in the chosen order."""
    events = AuditEvent.objects.select_related("actor")
    if since is not None:
        events = events.filter(timestamp__gte=since)
    if until is not None:
        events = events.filter(timestamp__lt=until)
    if actor_uuid:
        events = events.filter(actor__uuid=valid_uuid(actor_uuid)) if valid_uuid(actor_uuid) else events.none()
    if actor_email:
        events = events.filter(actor_email__iexact=actor_email.strip())
    if token_uuid:
        events = events.filter(token_uuid=valid_uuid(token_uuid)) if valid_uuid(token_uuid) else events.none()
    if action:
        events = events.filter(audit_type_q(action))
    if target_id:
        events = events.filter(target_id=target_id)
    if start_at is not None:
        if ascending:
            after = Q(timestamp__gt=start_at.timestamp) | Q(timestamp=start_at.timestamp, id__gte=start_at.id)
        else:
            after = Q(timestamp__lt=start_at.timestamp) | Q(timestamp=start_at.timestamp, id__lte=start_at.id)
        events = events.filter(after)
    return events.order_by(*(("timestamp", "id") if ascending else ("-timestamp", "-id")))


def audit_event_find(uuid) -> AuditEvent | None:
    valid = valid_uuid(uuid)
    return AuditEvent.objects.filter(uuid=valid).first() if valid else None
