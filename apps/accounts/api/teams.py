"""`/admin/teams…`: teams, their members and the pacticipants they own."""

from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.accounts import queries, services
from apps.accounts.api.base import IdentityAPIView, not_found
from apps.accounts.hal.accounts import team_json, user_ref
from apps.accounts.permissions import Perm

READ, MANAGE = Perm.TEAM_READ, Perm.TEAM_MANAGE


def team(uuid):
    found = queries.team_by_uuid(uuid)
    if found is None:
        raise not_found("team")
    return found


def _strings(view, name):
    values = view.field(name, kind=list)
    if values is not None and not all(isinstance(value, str) for value in values):
        raise exceptions.ValidationError({name: ["Expected a list of strings."]})
    return values


class TeamListView(IdentityAPIView):
    required_permissions = {"GET": READ, "POST": MANAGE}

    def get(self, request):
        items, page, links = self.page(queries.team_list(q=request.query_params.get("q", "")), keep=("q",))
        return Response({"teams": [team_json(request, item) for item in items], "page": page, "_links": links})

    def post(self, request):
        """PactFlow's `{name, pacticipantNames[], administratorUuids[], environmentUuids[]}` (and
        our `memberUuids[]`); administrators are members who also hold `team:manage:{uuid}`."""
        created = services.team_create(
            actor=request.user,
            name=self.field("name", required=True),
            pacticipant_names=_strings(self, "pacticipantNames"),
            member_uuids=_strings(self, "memberUuids"),
            administrator_uuids=_strings(self, "administratorUuids"),
            environment_uuids=_strings(self, "environmentUuids"),
        )
        return Response(
            team_json(request, team(created.uuid)),
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"/admin/teams/{created.uuid}")},
        )


class TeamDetailView(IdentityAPIView):
    required_permissions = {"GET": READ, "PUT": MANAGE, "DELETE": MANAGE}

    def get(self, request, uuid):
        return Response(team_json(request, team(uuid)))

    def put(self, request, uuid):
        found = team(uuid)
        services.team_update(
            actor=request.user,
            team=found,
            name=self.field("name"),
            pacticipant_names=_strings(self, "pacticipantNames"),
            member_uuids=_strings(self, "memberUuids"),
            administrator_uuids=_strings(self, "administratorUuids"),
            environment_uuids=_strings(self, "environmentUuids"),
        )
        return Response(team_json(request, team(uuid)))

    def delete(self, request, uuid):
        services.team_delete(actor=request.user, team=team(uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamUsersView(IdentityAPIView):
    """GET lists; PUT replaces, POST appends, DELETE removes `{users: [uuid]}`; PATCH takes
    `[{op: "add"|"remove", path: "/users", value: {uuid}}]` (PactFlow's shapes)."""

    required_permissions = {"GET": READ, "PUT": MANAGE, "POST": MANAGE, "DELETE": MANAGE, "PATCH": MANAGE}

    def _render(self, request, uuid):
        return Response({"_embedded": {"users": [user_ref(request, u) for u in team(uuid).members.all()]}})

    def get(self, request, uuid):
        return self._render(request, uuid)

    def put(self, request, uuid):
        services.team_members_set(actor=request.user, team=team(uuid), member_uuids=_strings(self, "users") or [])
        return self._render(request, uuid)

    def post(self, request, uuid):
        services.team_members_add(actor=request.user, team=team(uuid), member_uuids=_strings(self, "users") or [])
        return self._render(request, uuid)

    def delete(self, request, uuid):
        services.team_members_remove(actor=request.user, team=team(uuid), member_uuids=_strings(self, "users") or [])
        return self._render(request, uuid)

    def patch(self, request, uuid):
        found = team(uuid)
        if not isinstance(request.data, list):
            raise exceptions.ValidationError({"base": ["Expected a list of operations."]})
        adds, removes = [], []
        for op in request.data:
            value = op.get("value") if isinstance(op, dict) else None
            if not isinstance(value, dict) or op.get("op") not in ("add", "remove") or op.get("path") != "/users":
                raise exceptions.ValidationError(
                    {"base": ['Each operation is {op: add|remove, path: "/users", value: {uuid}}.']}
                )
            (adds if op["op"] == "add" else removes).append(str(value.get("uuid")))
        current = [str(v) for v in found.members.values_list("uuid", flat=True)]
        wanted = [v for v in current + adds if v not in set(removes)]
        services.team_members_set(actor=request.user, team=found, member_uuids=list(dict.fromkeys(wanted)))
        return self._render(request, uuid)


class TeamUserView(IdentityAPIView):
    """`GET|DELETE /admin/teams/{uuid}/users/{userUuid}`: one member (the provider's
    `DeleteTeamAssignment`)."""

    required_permissions = {"GET": READ, "DELETE": MANAGE}

    def _member(self, found, user_uuid):
        member = (
            found.members.filter(uuid=queries.valid_uuid(user_uuid)).first() if queries.valid_uuid(user_uuid) else None
        )
        if member is None:
            raise not_found("team member")
        return member

    def get(self, request, uuid, user_uuid):
        return Response(user_ref(request, self._member(team(uuid), user_uuid)))

    def delete(self, request, uuid, user_uuid):
        found = team(uuid)
        services.team_manage_check(actor=request.user, team=found)
        member = self._member(found, user_uuid)
        services.team_members_remove(actor=request.user, team=found, member_uuids=[str(member.uuid)])
        return Response(status=status.HTTP_204_NO_CONTENT)
