"""`GET /audit`: the organisation's audit log, newest first unless `sort=+timestamp`."""

from django.utils.dateparse import parse_datetime
from rest_framework import exceptions
from rest_framework.response import Response

from apps.accounts import queries
from apps.accounts.api.base import IdentityAPIView
from apps.accounts.hal.accounts import audit_json
from apps.accounts.permissions import Perm


class AuditView(IdentityAPIView):
    required_permissions = {"GET": Perm.AUDIT_READ}

    def get(self, request):
        params = request.query_params
        since = None
        if params.get("since"):
            since = parse_datetime(params["since"])
            if since is None:
                raise exceptions.ValidationError({"since": ["Use an ISO 8601 time."]})
        events = queries.audit_list(
            since=since,
            actor_uuid=params.get("userUuid"),
            action=params.get("type", ""),
            target_id=params.get("targetUuid", ""),
            ascending=params.get("sort", "-timestamp").lstrip() in ("+timestamp", "timestamp"),
        )
        items, page, links = self.page(events, max_size=100, keep=("userUuid", "type", "targetUuid", "sort"))
        return Response({"events": [audit_json(request, event) for event in items], "page": page, "_links": links})
