"""Why a write was refused, in words for the person who asked."""


class IdentityError(Exception):
    """A refusal the caller can fix. The API answers `status` with {"errors": {field: [message]}}."""

    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class LimitReached(IdentityError):
    """A seat or plan limit would be exceeded."""


class InvitationInvalid(IdentityError):
    status = 400

    def __init__(self, message: str):
        super().__init__("token", message)
