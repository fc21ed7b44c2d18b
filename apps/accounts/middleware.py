"""The request context of the audit log: who is asking, from where, and the failed token
authentications to audit once the request's own (possibly rolled-back) transaction is over."""

from apps.accounts.audit import request_info, request_info_reset, request_info_set
from apps.accounts.permissions import acting_user_reset, acting_user_set
from apps.accounts.token_failures import pending_failures, pending_failures_write


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_info_set(request_info(request))
        failures = pending_failures.set([])
        acting = acting_user_set(None)
        try:
            return self.get_response(request)
        finally:
            # Failed token authentications of this request, outside its rolled-back transaction.
            queued = pending_failures.get()
            pending_failures.reset(failures)
            if queued:
                pending_failures_write(queued)
            request_info_reset(token)
            acting_user_reset(acting)
