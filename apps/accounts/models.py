"""People and machines that act in an organisation, what they may do, and what they did.

These tables exist in every tenant schema (an organisation's users) and in the public schema
(platform staff): the same email in two organisations is two unrelated users, with their own
roles, tokens, audit trail and login lock-outs.
"""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self.create_user(email, password, **fields)


class Role(models.Model):
    """A named set of permissions. Built-in roles have a `key` and take their permissions from code
    (apps.accounts.permissions.BUILTIN_ROLES), so a release can fix them without a data migration."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=30, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=500, blank=True)
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def builtin(self) -> bool:
        return self.key is not None


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        HUMAN = "human", "Person"
        SYSTEM = "system", "System account"

    class SeatType(models.TextChoices):
        """PactFlow's seat types: an Editor seat for people who change things, a Viewer seat for
        people who only read (its default role is Viewer). Someone whose only role is Organization
        Administrator takes no seat at all (apps.accounts.queries.seats_used)."""

        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HUMAN)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    email_confirmed = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # Non-empty while an invitation is pending; part of the signed link, so re-inviting or
    # accepting makes every earlier link useless.
    invitation_key = models.CharField(max_length=64, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    seat_type = models.CharField(max_length=10, choices=SeatType.choices, default=SeatType.EDITOR)
    # The identity provider's names for this person (PactFlow's `externalIdpId` and
    # `externalIdpUsername`; SCIM's `externalId` and `userName`). Set by SCIM (the permission
    # `user:manage_scim_attributes`); empty for people nobody provisioned.
    external_idp_id = models.CharField(max_length=255, blank=True, db_index=True)
    external_idp_username = models.CharField(max_length=255, blank=True, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    @property
    def is_system(self) -> bool:
        return self.kind == self.Kind.SYSTEM

    @property
    def invitation_pending(self) -> bool:
        return bool(self.invitation_key)

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A bearer token. Only a SHA-256 of the secret is stored; the secret is shown once.

    Every principal has two slot tokens (read-only "ro" and read-write "rw", as PactFlow's users
    do); named tokens have an empty slot and may be revoked.
    """

    class Slot(models.TextChoices):
        NAMED = "", "Named"
        READ_ONLY = "ro", "Read only token (developer)"
        READ_WRITE = "rw", "Read/write token (CI)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=2, choices=Slot.choices, blank=True, default="")
    read_only = models.BooleanField(default=False)
    prefix = models.CharField(max_length=16, help_text="first characters, to recognise a token")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rotated_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the owner was emailed that this token expires soon (the personal preference
    # `tokenExpiryAlert`): once per token lifetime, cleared when regenerating gives it a new expiry.
    expiry_alert_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "slot"], condition=~Q(slot=""), name="one_token_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Team(models.Model):
    """A named group that owns things (PactFlow's teams): members (people and system accounts),
    administrators (each holds `team:manage:{uuid}`), pacticipants, environments, and the secrets
    and webhooks made for it.

    Pacticipants are referenced by name (TeamPacticipant), not by foreign key: the contracts app
    owns the pacticipant table and renames must go through `team_pacticipant_rename`. Environments,
    secrets and webhooks point at their team from their own apps (downstream of this one); deleting
    a team unlinks all of them and deletes none (their foreign keys are SET_NULL or through rows).
    """

    # Every organisation starts with it; new people, system accounts and applications join it
    # until an administrator deletes it (PactFlow's "Default" team).
    DEFAULT_NAME = "Default"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, blank=True, related_name="teams")
    administrators = models.ManyToManyField(User, blank=True, related_name="administered_teams")
    # The identity provider's id of the group this team mirrors (SCIM's `externalId`), if any.
    external_idp_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamPacticipant(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pacticipants")
    pacticipant_name = models.CharField(max_length=255, db_index=True)

    class Meta:
        ordering = ["pacticipant_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "pacticipant_name"], name="team_pacticipant_once"),
        ]


class AuditEvent(models.Model):
    """Who changed what, when, from where. Rows are only ever inserted (and removed in bulk when
    older than the plan's audit retention: apps/accounts/tasks.py)."""

    class ActorKind(models.TextChoices):
        USER = "user", "Person"
        SYSTEM_ACCOUNT = "system_account", "System account"
        PLATFORM_STAFF = "platform_staff", "Platform staff"
        BASIC_AUTH = "basic_auth", "Basic auth user"
        SYSTEM = "system", "The broker itself"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    # The actor row may be removed later; the email keeps the entry readable. Platform staff are
    # users of the public schema: no row here, their email and kind say who it was.
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True)
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.SYSTEM)
    # The API token that authenticated the change (its name and uuid, never its secret).
    token_uuid = models.UUIDField(null=True, blank=True)
    token_name = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The request that made the change (PactFlow's payload.method and payload.path).
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]


class LoginThrottle(models.Model):
    """Failed sign-ins counted per key (a hash of email, or of email and client IP).

    Lives in the tenant schema, so a lock-out in one organisation never touches the same email in
    another one.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)


class SystemPreference(models.Model):
    """One organisation-wide setting by name (PactFlow's `config(name, type, value)`): the names and
    their rules are in apps/accounts/preferences.py; a name without a row has its default."""

    name = models.CharField(max_length=64, unique=True)
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]


class UserPreference(models.Model):
    """One person's setting by name (PactFlow's `pactflow_user_preferences(name, value, user_id)`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="preferences")
    name = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="user_preference_once")]
