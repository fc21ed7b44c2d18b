"""HTTP: /matrix, /can-i-deploy and their URL forms and badges (thin: parse, call, render)."""

from django.http import HttpResponse
from rest_framework.response import Response

from apps.contracts.queries import pacticipant_find
from apps.core.badges import badge_response
from apps.core.errors import NotFound, ValidationFailed
from apps.core.public import DangerouslyPublicWhenConfigured
from apps.core.rack import QueryParseError
from apps.core.renderers import HalJSONRenderer, PlainJSONRenderer, PlainTextRenderer, SvgRenderer
from apps.core.views import BrokerAPIView
from apps.matrix.hal import matrix as hal
from apps.matrix.query_params import (
    MatrixOptions,
    UnresolvedSelector,
    can_i_deploy_query_parse,
    matrix_query_parse,
)
from apps.matrix.service import MatrixQueryInvalid, can_i_deploy, matrix_find


class MatrixBaseView(BrokerAPIView):
    renderer_classes = [HalJSONRenderer, PlainJSONRenderer, PlainTextRenderer]
    produces = tuple(renderer.media_type for renderer in renderer_classes)

    def query_string(self) -> str:
        return self.request.META.get("QUERY_STRING", "")

    def run(self, selectors, options):
        try:
            return matrix_find(selectors, options)
        except MatrixQueryInvalid as invalid:
            raise ValidationFailed(invalid.errors)

    def render(self, result) -> Response:
        if self.request.accepted_renderer.media_type == "text/plain":
            return Response(hal.matrix_text(result))
        return Response(hal.matrix_body(self.request, result))

    def parse(self):
        try:
            return matrix_query_parse(self.query_string())
        except QueryParseError as error:
            raise ValidationFailed([str(error)])


class MatrixView(MatrixBaseView):
    def get(self, request):
        selectors, options = self.parse()
        return self.render(self.run(selectors, options))


class MatrixForConsumerAndProviderView(MatrixBaseView):
    def get(self, request, provider_name, consumer_name):
        # The broker looks the consumer up first and names the missing one.
        for role, name in (("consumer", consumer_name), ("provider", provider_name)):
            if pacticipant_find(name) is None:
                raise NotFound(f"No {role} with name '{name}' found")
        _, options = self.parse()
        selectors = [
            UnresolvedSelector(pacticipant_name=consumer_name),
            UnresolvedSelector(pacticipant_name=provider_name),
        ]
        try:
            result = matrix_find(selectors, options)
        except MatrixQueryInvalid as invalid:
            if any(error.startswith("Pacticipant ") for error in invalid.errors):
                raise NotFound()
            raise ValidationFailed(invalid.errors)
        return self.render(result)


class CanIDeployView(MatrixBaseView):
    def get(self, request):
        try:
            fields, ignore = can_i_deploy_query_parse(self.query_string())
        except QueryParseError as error:
            raise ValidationFailed([str(error)])
        errors: dict[str, list[str]] = {}
        for key in ("pacticipant", "version"):
            value = fields.get(key)
            if value is None:
                errors.setdefault(key, []).append("is missing")
            elif not isinstance(value, str) or not value.strip():
                errors.setdefault(key, []).append("must be filled")
        environment = fields.get("environment") or None
        to_tag = fields.get("to") or None
        if environment and to_tag:
            errors.setdefault("environment", []).append("Cannot specify both a 'to' tag and an environment.")
        elif not environment and not to_tag and not errors:
            # a rule checked only once the parameters themselves are valid, as in the broker
            errors[""] = ["Must specify either an environment or a 'to' tag."]
        if errors:
            raise ValidationFailed(errors)
        try:
            result = can_i_deploy(
                pacticipant=fields["pacticipant"],
                version=fields["version"],
                environment=environment,
                to_tag=to_tag,
                ignore=ignore,
            )
        except MatrixQueryInvalid as invalid:
            raise ValidationFailed(_can_i_deploy_errors(invalid.errors))
        return self.render(result)


def _can_i_deploy_errors(errors: list[str]) -> dict | list:
    """can-i-deploy validates its parameters as named fields (the matrix answers a plain list)."""
    keyed: dict[str, list[str]] = {}
    for message in errors:
        if message.startswith("Pacticipant ") and message.endswith(" not found"):
            keyed.setdefault("pacticipant", []).append("does not match an existing pacticipant")
        elif message.startswith("Environment with name "):
            keyed.setdefault("environment", []).append(message.removeprefix("Environment "))
        else:
            return errors
    return keyed


class _LatestVersionCanIDeploy(MatrixBaseView):
    """Shared by the tag -> tag and branch -> environment URL forms and their badges."""

    def result(self, **kwargs):
        raise NotImplementedError

    def get(self, request, **kwargs):
        result = self.result(**kwargs)
        if result is None or result.specified[0].version_does_not_exist:
            raise NotFound()
        return self.render(result)

    def _find(self, selector: UnresolvedSelector, options: MatrixOptions):
        try:
            return matrix_find([selector], options)
        except MatrixQueryInvalid:
            return None


class TagToTagCanIDeployView(_LatestVersionCanIDeploy):
    def result(self, pacticipant_name, tag, to_tag):
        return self._find(
            UnresolvedSelector(pacticipant_name=pacticipant_name, tag=tag, latest=True),
            MatrixOptions(tag=to_tag, latest=True, latestby="cvp"),
        )


class BranchToEnvironmentCanIDeployView(_LatestVersionCanIDeploy):
    def result(self, pacticipant_name, branch, environment):
        return self._find(
            UnresolvedSelector(pacticipant_name=pacticipant_name, branch=branch, latest=True),
            MatrixOptions(environment_name=environment, latestby="cvpv"),
        )


class _BadgeView(DangerouslyPublicWhenConfigured, BrokerAPIView):
    # Readable without a token when badges are public, like the pact badges (the broker's
    # enable_public_badge_access covers every badge).
    public_when = "BROKER_ENABLE_PUBLIC_BADGE_ACCESS"
    renderer_classes = [SvgRenderer]
    produces = (SvgRenderer.media_type,)

    def svg(self, left: str, right: str, colour: str) -> HttpResponse:
        return badge_response(self.request.query_params.get("label") or left, right, colour)


class TagToTagCanIDeployBadgeView(_BadgeView):
    def get(self, request, pacticipant_name, tag, to_tag):
        result = TagToTagCanIDeployView().result(pacticipant_name, tag, to_tag)
        return self._deploy_badge(result, f"{tag} to {to_tag}")

    def _deploy_badge(self, result, right: str) -> Response:
        if result is None:
            return self.svg("pacticipant", "not found", "lightgrey")
        if result.specified[0].version_does_not_exist:
            return self.svg("version", "not found", "lightgrey")
        return self.svg("can-i-deploy", right, "brightgreen" if result.summary.deployable else "red")


class BranchToEnvironmentCanIDeployBadgeView(TagToTagCanIDeployBadgeView):
    def get(self, request, pacticipant_name, branch, environment):
        result = BranchToEnvironmentCanIDeployView().result(pacticipant_name, branch, environment)
        return self._deploy_badge(result, f"{branch} to {environment}")


class CanIMergeBadgeView(_BadgeView):
    def get(self, request, pacticipant_name):
        try:
            result = matrix_find(
                [UnresolvedSelector(pacticipant_name=pacticipant_name, main_branch=True, latest=True)],
                MatrixOptions(main_branch=True, latest=True, latestby="cvp"),
            )
        except MatrixQueryInvalid:
            return self.svg("pacticipant", "not found", "lightgrey")
        if result.specified[0].version_does_not_exist:
            return self.svg("main branch version", "not found", "lightgrey")
        deployable = result.summary.deployable
        if deployable is None:
            return self.svg("can-i-merge", "unknown", "lightgrey")
        return self.svg("can-i-merge", "success" if deployable else "failed", "brightgreen" if deployable else "red")
