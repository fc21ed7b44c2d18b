"""Writes on environments, deployments and releases. Import from here
(`from apps.environments import services`); the submodules are split by concept only."""

from apps.environments.services.environments import (
    CANNOT_SET_DEPLOYED_TRUE,
    CANNOT_SET_SUPPORTED_TRUE,
    deployed_version_for_tag,
    deployed_version_patch,
    deployment_record,
    deployment_undeploy,
    environment_create,
    environment_delete,
    environment_update,
    release_record,
    release_support_end,
    released_version_patch,
)

__all__ = [
    "CANNOT_SET_DEPLOYED_TRUE",
    "CANNOT_SET_SUPPORTED_TRUE",
    "deployed_version_for_tag",
    "deployed_version_patch",
    "deployment_record",
    "deployment_undeploy",
    "environment_create",
    "environment_delete",
    "environment_update",
    "release_record",
    "release_support_end",
    "released_version_patch",
]
