"""Organisation pages for roles, teams and the audit log."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from apps.accounts import queries, services
from apps.accounts.forms import RoleForm, TeamForm
from apps.accounts.models import User
from apps.accounts.permissions import Perm, require_permission, role_permissions
from apps.accounts.views.common import can


@require_permission(Perm.ROLE_READ, post=Perm.ROLE_MANAGE)
def roles(request):
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                permission_names=form.cleaned_data["permissions"],
            )
        except services.IdentityError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Role {role.name} created.")
            return redirect("organisation-roles")
    role_rows = [(role, sorted(role_permissions(role))) for role in queries.role_list()]
    return render(
        request,
        "organisation/roles.html",
        {
            "role_rows": role_rows,
            "form": form,
            "can_manage": can(request, Perm.ROLE_MANAGE),
        },
        status=400 if form.errors else 200,
    )


@require_permission(Perm.ROLE_READ, post=Perm.ROLE_MANAGE)
def role_detail(request, uuid):
    role = queries.role_by_uuid(uuid)
    if role is None:
        raise Http404("No such role.")
    initial = {
        "name": role.name,
        "description": role.description,
        "permissions": sorted(role_permissions(role)),
    }
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.role_delete(actor=request.user, role=role)
                messages.success(request, f"Role {role.name} deleted.")
                return redirect("organisation-roles")
            if form.is_valid():
                services.role_update(
                    actor=request.user,
                    role=role,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    permission_names=form.cleaned_data["permissions"],
                )
                messages.success(request, "Role saved.")
                return redirect("organisation-role", uuid=role.uuid)
        except services.IdentityError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "organisation/role_detail.html",
        {
            "role": role,
            "form": form,
            "can_manage": can(request, Perm.ROLE_MANAGE) and not role.builtin,
            "holders": role.users.order_by("email"),
        },
        status=400 if form.errors else 200,
    )


def _people():
    return User.objects.filter(is_active=True).order_by("email")


@require_permission(Perm.TEAM_READ, post=Perm.TEAM_MANAGE)
def teams(request):
    form = TeamForm(request.POST or None, users=_people())
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                pacticipant_names=form.pacticipant_names(),
                member_uuids=form.cleaned_data["members"],
            )
        except services.IdentityError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            messages.success(request, f"Team {team.name} created.")
            return redirect("organisation-teams")
    return render(
        request,
        "organisation/teams.html",
        {
            "teams": queries.team_list(),
            "form": form,
            "can_manage": can(request, Perm.TEAM_MANAGE),
        },
        status=400 if form.errors else 200,
    )


@require_permission(Perm.TEAM_READ, post=Perm.TEAM_MANAGE)
def team_detail(request, uuid):
    team = queries.team_by_uuid(uuid)
    if team is None:
        raise Http404("No such team.")
    initial = {
        "name": team.name,
        "members": [str(u.uuid) for u in team.members.all()],
        "pacticipants": "\n".join(row.pacticipant_name for row in team.pacticipants.all()),
    }
    form = TeamForm(request.POST or None, users=_people(), initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.team_delete(actor=request.user, team=team)
                messages.success(request, f"Team {team.name} deleted.")
                return redirect("organisation-teams")
            if form.is_valid():
                services.team_update(
                    actor=request.user,
                    team=team,
                    name=form.cleaned_data["name"],
                    pacticipant_names=form.pacticipant_names(),
                    member_uuids=form.cleaned_data["members"],
                )
                messages.success(request, "Team saved.")
                return redirect("organisation-team", uuid=team.uuid)
        except services.IdentityError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "organisation/team_detail.html",
        {
            "team": team,
            "form": form,
            "can_manage": can(request, Perm.TEAM_MANAGE),
        },
        status=400 if form.errors else 200,
    )
