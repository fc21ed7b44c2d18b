"""Branches: `/pacticipants/{name}/branches[/{branch}[/versions[/{number}]|/latest-version]]`."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries, services
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import json_body, pacticipant_or_404
from apps.contracts.api.versions import version_response, versions_response
from apps.contracts.hal.branches import branch_body, branch_version_body, branches_collection_body
from apps.contracts.hal.urls import branch_version_url
from apps.core.errors import NotFound
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView


def branch_or_404(pacticipant_name: str, branch_name: str):
    branch = queries.branch_find(pacticipant_or_404(pacticipant_name), branch_name)
    if branch is None:
        raise NotFound()
    return branch


class BranchesView(BrokerAPIView):
    required_permissions = {"DELETE": Perm.CONTRACT_DATA_MANAGE}

    def get(self, request, pacticipant_name):
        pacticipant = pacticipant_or_404(pacticipant_name, named=True)
        rows = queries.branches_for_pacticipant(pacticipant, query=request.query_params.get("q"))
        # Unlike other lists, branches are always paginated (100 a page by default).
        branches, page_body = paginate(request, rows, page_request(request, always=True))
        return Response(branches_collection_body(request, pacticipant.name, branches, page_body=page_body))

    def delete(self, request, pacticipant_name):
        """Bulk delete all branches but the excluded ones and the main branch; 202 with a notice.

        The broker deletes after replying; here the deletion is part of the request's transaction
        (so the reply already describes the final state).
        """
        contract_data_authorize(
            request.user, changing=[pacticipant_name], action=Perm.CONTRACT_DATA_BULK_DELETE, create=False
        )
        pacticipant = pacticipant_or_404(pacticipant_name)
        exclude = request.query_params.getlist("exclude[]") + request.query_params.getlist("exclude")
        count, remaining = services.branches_delete_except(pacticipant=pacticipant, exclude=exclude)
        text = (
            f"Scheduled deletion of {count} branches for pacticipant {pacticipant.name}. "
            f"Remaining branches are: {', '.join(remaining)}"
        )
        return Response({"notices": [{"type": "success", "text": text}]}, status=status.HTTP_202_ACCEPTED)


class BranchView(BrokerAPIView):
    required_permissions = {"DELETE": Perm.CONTRACT_DATA_MANAGE}

    def get(self, request, pacticipant_name, branch_name):
        branch = branch_or_404(pacticipant_name, branch_name)
        return Response(branch_body(request, branch.pacticipant.name, branch))

    def delete(self, request, pacticipant_name, branch_name):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        services.branch_delete(branch=branch_or_404(pacticipant_name, branch_name))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BranchVersionsView(BrokerAPIView):
    def get(self, request, pacticipant_name, branch_name):
        branch = branch_or_404(pacticipant_name, branch_name)
        return versions_response(
            request,
            branch.pacticipant,
            queries.versions_on_branch(branch),
            title=f"Versions for branch {branch.name} of {branch.pacticipant.name}",
        )


class BranchLatestVersionView(BrokerAPIView):
    """The branch head: the version most recently added to the branch."""

    def get(self, request, pacticipant_name, branch_name):
        pacticipant = pacticipant_or_404(pacticipant_name)
        return version_response(request, queries.branch_head_version(pacticipant, branch_name))


class BranchVersionView(BrokerAPIView):
    required_permissions = {"PUT": Perm.CONTRACT_DATA_MANAGE, "DELETE": Perm.CONTRACT_DATA_MANAGE}

    def _branch_version_or_404(self, pacticipant_name, branch_name, version_number):
        pacticipant = pacticipant_or_404(pacticipant_name)
        branch_version = queries.branch_version_find(pacticipant, branch_name, version_number)
        if branch_version is None:
            raise NotFound()
        return branch_version

    def get(self, request, pacticipant_name, branch_name, version_number):
        branch_version = self._branch_version_or_404(pacticipant_name, branch_name, version_number)
        return Response(branch_version_body(request, branch_version))

    def put(self, request, pacticipant_name, branch_name, version_number):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        json_body(request)  # the broker wants a JSON content type even for this empty body
        branch_version, created = services.branch_version_create(
            pacticipant_name=pacticipant_name, branch_name=branch_name, number=version_number
        )
        if not created:
            return Response(branch_version_body(request, branch_version))
        location = branch_version_url(request, pacticipant_name, branch_name, version_number)
        return Response(
            branch_version_body(request, branch_version), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def delete(self, request, pacticipant_name, branch_name, version_number):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        branch_version = self._branch_version_or_404(pacticipant_name, branch_name, version_number)
        services.branch_version_remove(branch_version=branch_version)
        return Response(status=status.HTTP_204_NO_CONTENT)
