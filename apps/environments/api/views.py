"""HTTP: environments, deployed versions and released versions (thin: parse, call, render)."""

from django.http import HttpResponse
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries as contract_queries
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView
from apps.environments import queries, services
from apps.environments.access import (
    deployment_authorize,
    environment_authorize,
    environment_visible,
    environments_visible,
)
from apps.environments.api import contracts
from apps.environments.hal import environments as hal


def _is_merge_patch(request) -> bool:
    """A PATCH of a deployed or released version takes only `application/merge-patch+json`: any other
    content type is 415 with no body (but the HAL content type), as the broker answers."""
    return (request.content_type or "").split(";", 1)[0].strip().lower() == "application/merge-patch+json"


def _unsupported_media_type() -> HttpResponse:
    return HttpResponse(status=415, content_type="application/hal+json;charset=utf-8")


def _environment_or_404(uuid: str):
    environment = queries.environment_find(uuid)
    if environment is None:
        raise NotFound()
    return environment


def _version_or_404(pacticipant_name: str, version_number: str):
    pacticipant = contract_queries.pacticipant_find(pacticipant_name)
    if pacticipant is None:
        raise NotFound(f"No pacticipant with name '{pacticipant_name}' found")
    version = contract_queries.version_find(pacticipant, version_number)
    if version is None:
        raise NotFound()
    version.pacticipant = pacticipant
    return version


class EnvironmentsView(BrokerAPIView):
    required_permissions = {"POST": Perm.ENVIRONMENT_MANAGE}

    def get(self, request):
        name = request.query_params.get("name")
        environments = queries.environments_list(name=name or None, with_teams=True)
        return Response(hal.environments_body(request, environments_visible(request.user, environments)))

    def post(self, request):
        fields = contracts.environment_input(contracts.body(request))
        environment_authorize(request.user, team_uuids=fields.team_uuids)
        environment = services.environment_create(
            name=fields.name,
            display_name=fields.display_name,
            production=fields.production,
            contacts=fields.contacts,
            team_uuids=fields.team_uuids,
        )
        body = hal.environment_body(request, environment)
        return Response(body, status=201, headers={"Location": body["_links"]["self"]["href"]})


class EnvironmentView(BrokerAPIView):
    required_permissions = {"PUT": Perm.ENVIRONMENT_MANAGE, "DELETE": Perm.ENVIRONMENT_MANAGE}

    def get(self, request, uuid):
        environment = _environment_or_404(uuid)
        if not environment_visible(request.user, environment):
            raise NotFound()
        return Response(hal.environment_body(request, environment))

    def put(self, request, uuid):
        environment = _environment_or_404(uuid)
        fields = contracts.environment_input(contracts.body(request), existing=environment)
        environment_authorize(request.user, environment=environment, team_uuids=fields.team_uuids)
        environment = services.environment_update(
            environment=environment,
            name=fields.name,
            display_name=fields.display_name,
            production=fields.production,
            contacts=fields.contacts,
            team_uuids=fields.team_uuids,
        )
        return Response(hal.environment_body(request, environment))

    def delete(self, request, uuid):
        environment = _environment_or_404(uuid)
        environment_authorize(request.user, environment=environment)
        services.environment_delete(environment=environment)
        return Response(status=204)


class CurrentlyDeployedVersionsView(BrokerAPIView):
    def get(self, request, uuid):
        environment = _environment_or_404(uuid)
        params = request.query_params
        # applicationInstance (legacy: target) given but blank selects deployments without an instance.
        target_key = "applicationInstance" if "applicationInstance" in params else "target"
        rows = queries.currently_deployed_versions(
            environment,
            pacticipant_name=params.get("pacticipant") or None,
            target=params.get(target_key),
            target_given=target_key in params,
        )
        title = f"Currently deployed versions for {environment.display_name}"
        return Response(hal.deployed_versions_body(request, rows, title))


class CurrentlySupportedReleasedVersionsView(BrokerAPIView):
    def get(self, request, uuid):
        environment = _environment_or_404(uuid)
        rows = queries.currently_supported_released_versions(
            environment,
            pacticipant_name=request.query_params.get("pacticipant") or None,
            version_number=request.query_params.get("version") or None,
        )
        title = f"Released versions for {environment.display_name}"
        return Response(hal.released_versions_body(request, rows, title))


class DeployedVersionsForVersionView(BrokerAPIView):
    required_permissions = {"POST": Perm.DEPLOYMENT_RECORD}

    def get(self, request, pacticipant_name, version_number, uuid):
        version = _version_or_404(pacticipant_name, version_number)
        environment = _environment_or_404(uuid)
        rows = queries.deployed_versions_for_version(version, environment)
        title = f"Deployments of {pacticipant_name} version {version_number} to {environment.display_name}"
        return Response(hal.deployed_versions_body(request, rows, title))

    def post(self, request, pacticipant_name, version_number, uuid):
        version = _version_or_404(pacticipant_name, version_number)
        environment = _environment_or_404(uuid)
        deployment_authorize(request.user, pacticipant_name=version.pacticipant.name, environment=environment)
        target = contracts.deployment_target(contracts.body(request))
        deployed, _ = services.deployment_record(version=version, environment=environment, target=target)
        body = hal.deployed_version_body(request, deployed)
        return Response(body, status=201, headers={"Location": body["_links"]["self"]["href"]})


class ReleasedVersionsForVersionView(BrokerAPIView):
    required_permissions = {"POST": Perm.DEPLOYMENT_RECORD}

    def get(self, request, pacticipant_name, version_number, uuid):
        version = _version_or_404(pacticipant_name, version_number)
        environment = _environment_or_404(uuid)
        rows = queries.released_versions_for_version(version, environment)
        title = f"Releases of {pacticipant_name} version {version_number} to {environment.display_name}"
        return Response(hal.released_versions_body(request, rows, title))

    def post(self, request, pacticipant_name, version_number, uuid):
        version = _version_or_404(pacticipant_name, version_number)
        environment = _environment_or_404(uuid)
        deployment_authorize(request.user, pacticipant_name=version.pacticipant.name, environment=environment)
        released, created = services.release_record(version=version, environment=environment)
        body = hal.released_version_body(request, released)
        # The broker sends `Location` with the repeated record too (200).
        return Response(body, status=201 if created else 200, headers={"Location": body["_links"]["self"]["href"]})


class DeployedVersionView(BrokerAPIView):
    required_permissions = {"PATCH": Perm.DEPLOYMENT_RECORD}

    def _find(self, uuid):
        deployed = queries.deployed_version_find(uuid)
        if deployed is None:
            raise NotFound()
        return deployed

    def get(self, request, uuid):
        return Response(hal.deployed_version_body(request, self._find(uuid)))

    def patch(self, request, uuid):
        if not _is_merge_patch(request):
            return _unsupported_media_type()
        deployed = self._find(uuid)
        deployment_authorize(request.user, pacticipant_name=deployed.pacticipant.name, environment=deployed.environment)
        deployed = services.deployed_version_patch(
            deployed_version=deployed,
            currently_deployed=contracts.merge_patch_flag(contracts.body(request), "currentlyDeployed"),
        )
        return Response(hal.deployed_version_body(request, deployed))


class ReleasedVersionView(BrokerAPIView):
    required_permissions = {"PATCH": Perm.DEPLOYMENT_RECORD}

    def _find(self, uuid):
        released = queries.released_version_find(uuid)
        if released is None:
            raise NotFound()
        return released

    def get(self, request, uuid):
        return Response(hal.released_version_body(request, self._find(uuid)))

    def patch(self, request, uuid):
        if not _is_merge_patch(request):
            return _unsupported_media_type()
        released = self._find(uuid)
        deployment_authorize(request.user, pacticipant_name=released.pacticipant.name, environment=released.environment)
        released = services.released_version_patch(
            released_version=released,
            currently_supported=contracts.merge_patch_flag(contracts.body(request), "currentlySupported"),
        )
        return Response(hal.released_version_body(request, released))
